import type { Evidence } from './recognition';

/** Longest Outlook item id accepted: EWS ids are about 150 characters, REST ids the same. */
export const OUTLOOK_ITEM_ID_MAX = 512;

/**
 * An Outlook item id as Office.js gives it (EWS: base64 with + / =; REST: base64url with - _).
 * Only those characters, so an id can never carry a path, query or script into the link built from it.
 */
export const OUTLOOK_ITEM_ID = /^[A-Za-z0-9+/=_-]+$/;

/** Whether a value is an Outlook item id by that rule. */
export function isOutlookItemId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= OUTLOOK_ITEM_ID_MAX && OUTLOOK_ITEM_ID.test(value);
}

/** The Outlook on the web link that opens the message: the item id, URL-encoded, after the read deep link. */
export function outlookWebLink(itemId: string): string {
  return `https://outlook.office.com/mail/deeplink/read/${encodeURIComponent(itemId)}`;
}

/**
 * The evidence as stored: an email with an item id links to that message in Outlook, whatever
 * link the client sent, so "From an email" can never point a reader at some other site.
 */
export function evidenceOf(evidence: Evidence | undefined): Evidence | undefined {
  if (!evidence || evidence.type !== 'email' || !evidence.itemId) return evidence;
  return { ...evidence, url: outlookWebLink(evidence.itemId) };
}
