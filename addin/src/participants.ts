import { type CreditDraft, type Kind, type RosterMember, isOutlookItemId } from '../../core/browser';
import { suggestKind } from '../../core/kind-suggestion';

/** Someone named on the message, as Outlook gives them. */
export interface Address {
  name: string;
  email: string;
}

/** Where a person appears on the message. */
export type ThreadRole = 'from' | 'to' | 'cc';

/** Someone on the thread who could be credited. */
export interface Participant extends Address {
  roles: ThreadRole[];
}

/** A participant matched against the board's roster: `member` when they are on it. */
export interface Candidate extends Participant {
  /** A stable key for lists and selection: the lower-cased email. */
  key: string;
  member?: RosterMember;
}

/** What the task pane read from the open message; everything may be missing. */
export interface MailSnapshot {
  from?: Address;
  to: Address[];
  cc: Address[];
  subject: string;
  conversationId?: string;
  itemId?: string;
  internetMessageId?: string;
  /** The first characters of the body as text; empty when it could not be read. */
  body: string;
  /** Why the body could not be read, when it could not. */
  bodyError?: string;
  /** A link that opens the message in Outlook on the web, when one can be made. */
  itemLink?: string;
}

/** The most body text the pane reads and keeps. */
export const BODY_MAX_CHARS = 2000;

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The email compared case-insensitively, or undefined when it is not an address at all. */
export function normalizeEmail(email: string | undefined | null): string | undefined {
  const trimmed = (email ?? '').trim().toLowerCase();
  return EMAIL.test(trimmed) ? trimmed : undefined;
}

/**
 * Everyone on the message (from, to, cc) once each, in that order, without the signed-in
 * user. Emails compare case-insensitively; the first display name seen wins, and an address
 * without a name shows the address.
 */
export function threadParticipants(mail: Pick<MailSnapshot, 'from' | 'to' | 'cc'>, selfEmail?: string): Participant[] {
  const self = normalizeEmail(selfEmail);
  const byEmail = new Map<string, Participant>();
  const add = (address: Address | undefined, role: ThreadRole) => {
    const email = normalizeEmail(address?.email);
    if (!email || email === self) return;
    const name = (address?.name ?? '').trim();
    const known = byEmail.get(email);
    if (known) {
      if (!known.roles.includes(role)) known.roles.push(role);
      if (known.name === email && name) known.name = name;
      return;
    }
    byEmail.set(email, { email, name: name || email, roles: [role] });
  };
  add(mail.from, 'from');
  for (const a of mail.to ?? []) add(a, 'to');
  for (const a of mail.cc ?? []) add(a, 'cc');
  return [...byEmail.values()];
}

/**
 * Marks the participants who are on the board's roster. The caller is dropped again by
 * user id, because their mailbox address may differ from the email on the roster.
 */
export function matchRoster(participants: Participant[], roster: RosterMember[], selfUserId?: string): Candidate[] {
  const byEmail = new Map<string, RosterMember>();
  for (const m of roster) {
    const email = normalizeEmail(m.email);
    if (email) byEmail.set(email, m);
  }
  return participants.flatMap((p) => {
    const member = byEmail.get(p.email);
    if (member && selfUserId && member.userId === selfUserId) return [];
    return [{ ...p, key: p.email, member }];
  });
}

/** The recipients of a credit: roster members by user id, everyone else by email and name. */
export function creditRecipients(chosen: Candidate[]): CreditDraft['recipients'] {
  return chosen.map((c) => (c.member ? { userId: c.member.userId } : { email: c.email, name: c.name.slice(0, 200) }));
}

/** The kind the pane suggests for the message, from its subject and body. */
export function suggestKindFor(mail: Pick<MailSnapshot, 'subject' | 'body'>): Kind {
  return suggestKind(`${mail.subject}\n${mail.body}`);
}

/** The message the pane starts with; the giver edits it. */
export function defaultMessage(subject: string): string {
  const topic = subject.replace(/^\s*((re|fw|fwd|aw|wg)\s*:\s*)+/i, '').trim();
  return topic ? `Thank you for your part in “${topic.slice(0, 200)}”.` : 'Thank you for your part in this.';
}

/** The email as evidence: its subject, the conversation it belongs to, and a link when there is one. */
export function emailEvidence(mail: MailSnapshot): { type: 'email'; title?: string; ref?: string; url?: string; itemId?: string } {
  const title = mail.subject.trim().slice(0, 300) || undefined;
  // The server builds the link that opens the message from the item id; an id it would refuse is left out rather than failing the credit.
  const itemId = isOutlookItemId(mail.itemId) ? mail.itemId : undefined;
  const ref = (mail.conversationId ?? mail.internetMessageId ?? mail.itemId)?.slice(0, 1024);
  const url = mail.itemLink && mail.itemLink.length <= 2048 ? mail.itemLink : undefined;
  return { type: 'email', ...(title ? { title } : {}), ...(ref ? { ref } : {}), ...(url ? { url } : {}), ...(itemId ? { itemId } : {}) };
}
