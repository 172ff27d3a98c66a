import type { JSONObject } from '@azure/cosmos';
import type { Member, MemberStats } from '../board';
import type { DayHours, ReceivedDays } from '../credit-counts';
import { type Recognition, recipientKeys } from '../recognition';

/** The kinds of item sharing the one container, told apart by their `type` field. */
type DocType = 'board' | 'member' | 'recognition' | 'stats' | 'lease' | 'erasure' | 'send' | 'day-counts' | 'counts-state';
/** A domain object as stored: with its item id, partition key and type. */
export type Doc<T> = T & { id: string; pk: string; type: DocType; _etag?: string };
/**
 * A stored credit; recipientKeys lets the feed filter with ARRAY_CONTAINS instead of a join
 * table. `posted` is true exactly when postedCard is set: noting the card is a Patch whose
 * condition must name a lower-case field, since the local emulator lower-cases the condition's
 * text (c.postedCard would become c.postedcard, which no credit has).
 */
export type RecognitionDoc = Doc<Recognition> & { recipientKeys: string[]; posted?: true };
/**
 * A stored member's stats, with the credits they received per day (`ReceivedDays`; absent on
 * items written before counts were kept) and the channel's id for them (29:… in Teams), which
 * lets a credit's context query find the stats of people named by mention.
 */
export type StatsDoc = Doc<MemberStats> & { receivedDays?: ReceivedDays; channelUserId?: string };
/** One UTC day of a board's credit counts, in the board's partition. */
export type DayCountsDoc = Doc<{ day: string; hours: DayHours }>;
/** Written once a board's counts hold every credit: boards whose credits predate counts have none until rebuilt. */
export const COUNTS_STATE_ID = 'counts-state';

/** A stored member, with the lower-cased fields search and lookups compare. */
export type MemberDoc = Doc<Member> & { nameLower: string; emailLower?: string; active: boolean };

/** Live credits of the partition: the start of every query over credits that count. */
export const LIVE_CREDITS = "c.pk = @pk AND c.type = 'recognition' AND NOT IS_DEFINED(c.deletedAt)";

const SYSTEM_FIELDS = ['_rid', '_etag', '_ts', '_self', '_attachments', 'pk', 'type'] as const;

/** The partition of a board: its records and its members' stats, so one batch can write them together. */
export function partitionKey(tenantId: string, boardId: string): string {
  return `${tenantId}/${boardId}`;
}

/** The item id of a member on their board's partition. */
export function memberId(userId: string): string {
  return `member:${safeId(userId)}`;
}

/** The item id of a member key's stats on their board's partition. */
export function statsId(memberKey: string): string {
  return `stats:${safeId(memberKey)}`;
}

/** The item id of one UTC day (YYYY-MM-DD) of a board's counts. */
export function dayCountsId(day: string): string {
  return `day-counts:${day}`;
}

/** Cosmos refuses '/', '\\', '?' and '#' in item ids; an email-derived key could hold any of them. */
export function safeId(text: string): string {
  return text.replace(/[%/\\?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The credit as stored on its board's partition. */
export function toRecognitionDoc(rec: Recognition, pk: string): RecognitionDoc {
  const doc: RecognitionDoc = { ...rec, pk, type: 'recognition', recipientKeys: [...new Set(recipientKeys(rec))] };
  if (rec.postedCard) doc.posted = true;
  return doc;
}

/** The credit inside a stored item. */
export function fromRecognitionDoc(doc: RecognitionDoc): Recognition {
  return strip<Recognition>(doc, ['recipientKeys', 'posted']);
}

/** The member as stored on their board's partition. */
export function toMemberDoc(m: Member, pk: string): MemberDoc {
  return { ...m, id: memberId(m.userId), pk, type: 'member', nameLower: m.name.toLowerCase(), emailLower: m.email?.toLowerCase(), active: !m.leftAt };
}

/** The member inside a stored item. */
export function fromMemberDoc(doc: MemberDoc): Member {
  return strip<Member>(doc, ['id', 'nameLower', 'emailLower', 'active']);
}

/** The stats inside a stored item. */
export function fromStatsDoc(doc: Doc<MemberStats>): MemberStats {
  return strip<MemberStats>(doc, ['id', 'receivedDays', 'channelUserId']);
}

/** The domain object inside a stored item: Cosmos system fields and our helper fields removed. */
export function strip<T>(doc: object, extra: readonly string[]): T {
  const out: Record<string, unknown> = { ...doc };
  for (const field of [...SYSTEM_FIELDS, ...extra]) delete out[field];
  return out as T;
}

/** Our documents are plain JSON; the SDK's JSONObject type cannot see that through `unknown` fields. */
export function json(doc: object): JSONObject {
  return doc as JSONObject;
}
