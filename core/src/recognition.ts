import type { Role } from './board';
import type { Kind } from './kinds';

/** Where a credit was given from. */
export type Source = 'bot' | 'message-extension' | 'tab' | 'outlook' | 'api';
/** Who may see a credit: the whole board, or only its giver and recipients. */
export type Visibility = 'board' | 'private';

/** A person as a credit names them. */
export interface Person {
  userId: string;
  name: string;
}

/** Someone credited: a roster member (userId) or, from an email thread, an address. */
export interface Recipient {
  userId?: string;
  email?: string;
  name: string;
}

/** What the credit points at as proof of the work. */
export interface Evidence {
  type: 'teams-message' | 'email' | 'link';
  url?: string;
  title?: string;
  /** The Outlook conversation id or Teams message id the evidence came from. */
  ref?: string;
  /** An email's Outlook item id, from which `url` is built (`outlookWebLink`). */
  itemId?: string;
}

/** One "I saw this too". */
export interface Endorsement {
  userId: string;
  name: string;
  at: string;
}

/** The record of a credit (DESIGN §5). */
export interface Recognition {
  id: string;
  tenantId: string;
  boardId: string;
  giver: Person;
  recipients: Recipient[];
  kind: Kind;
  message: string;
  evidence?: Evidence;
  source: Source;
  visibility: Visibility;
  createdAt: string;
  endorsements: Endorsement[];
  inspiredBy?: string;
  deletedAt?: string;
  /** The chat message that shows the credit, once the bot has posted it there. */
  postedCard?: PostedCard;
}

/** A credit card the bot posted: its message id and the activity that asked for it. */
export interface PostedCard {
  activityId?: string;
  /** The incoming activity answered with this card: Teams redelivering it needs no second answer. */
  inReplyTo?: string;
}

/** The key that identifies a recipient in stats and filters: the user id, else the email. */
export function recipientKey(r: Recipient): string {
  return r.userId ?? `email:${(r.email ?? '').toLowerCase()}`;
}

/** The keys of everyone a credit names as recipient. */
export function recipientKeys(rec: Pick<Recognition, 'recipients'>): string[] {
  return rec.recipients.map(recipientKey);
}

/** True when the viewer may see the credit: board credits to all, private ones to giver and recipients. */
export function canSee(rec: Pick<Recognition, 'visibility' | 'giver' | 'recipients'>, viewerId: string): boolean {
  if (rec.visibility === 'board') return true;
  return rec.giver.userId === viewerId || rec.recipients.some((r) => r.userId === viewerId);
}

/** Who reads an answer: the person alone (a personal chat, their tab) or a conversation others are in too. */
export type Audience = 'personal' | 'shared';

/**
 * True when the credit may be shown to the audience. A shared conversation holds more people
 * than the giver and the recipients, so it sees board credits only, whoever asked.
 */
export function mayShowIn(rec: Pick<Recognition, 'visibility'>, audience: Audience): boolean {
  return audience === 'personal' || rec.visibility === 'board';
}

/**
 * True when people other than its giver and recipients see the credit. Only such a credit can
 * be endorsed (its own people cannot endorse it) or passed on (the link would show it to others).
 */
export function isShared(rec: Pick<Recognition, 'visibility'>): boolean {
  return rec.visibility === 'board';
}

/** True when the person gave or received the credit. */
export function isPartOf(rec: Pick<Recognition, 'giver' | 'recipients'>, userId: string): boolean {
  return rec.giver.userId === userId || rec.recipients.some((r) => r.userId === userId);
}

/** Who may say "I saw this too": anyone who sees the credit and is not part of it, once. */
export function canEndorse(rec: Pick<Recognition, 'visibility' | 'giver' | 'recipients' | 'endorsements'>, userId: string): boolean {
  return canSee(rec, userId) && !isPartOf(rec, userId) && !rec.endorsements.some((e) => e.userId === userId);
}

/** Whether a person may remove a credit: its giver, or a lead of its board. */
export function mayRemove(credit: { giver: { userId: string } }, person: { userId: string; role: Role }): boolean {
  return credit.giver.userId === person.userId || person.role === 'lead';
}

/** Whether a person may change a credit's kind: its giver only, for the kind is what they meant to say. */
export function mayChangeKind(credit: { giver: { userId: string } }, person: { userId: string }): boolean {
  return credit.giver.userId === person.userId;
}

/** Who a credit names once its giver or a recipient erased their data from the board. */
export const FORMER_MEMBER: Person = { userId: 'former-member', name: 'A former member' };
