import type { Member, MemberStats, Role } from './board';
import { type CreditView, toCreditView } from './credit-view';
import { forgetDigestSpotlight } from './digest';
import type { Caller } from './noticed';
import { forgetSpotlighted } from './standup';
import { FORMER_MEMBER, type Recipient, type Recognition, recipientKey } from './recognition';
import type { SendRecord } from './send-record';
import type { FeedQuery, MemberErasure, Store } from './store/store';

/**
 * Who an erased member becomes wherever a credit must keep a person: the giver of credits
 * they gave, and the placeholder recipient of a scrubbed credit that named only them.
 */

/** How many credits one page of an export reads; the export never asks the store for everything at once. */
const EXPORT_PAGE = 100;

/** A member's own data on one board, as the export lists it. */
export interface BoardExport {
  board: { id: string; name: string };
  membership: { name: string; email?: string; role: Role; joinedAt: string; leftAt?: string; prefersPrivate: boolean; optedOut: boolean };
  /** The member's counters on the board, or null when there are none. */
  stats: Omit<MemberStats, 'tenantId' | 'boardId'> | null;
  received: CreditView[];
  given: CreditView[];
  endorsed: Array<{ recognitionId: string; endorsedAt: string; credit: CreditView }>;
  /** The records of the private messages Noticed sent them, or tried to (nudges, reminders, notices of credit), by key. */
  messages: Array<Omit<SendRecord, 'tenantId' | 'boardId'>>;
}

/** Everything Noticed keeps about a member in their tenant (DESIGN §1, principle 5). */
export interface MemberExport {
  exportedAt: string;
  user: Caller;
  boards: BoardExport[];
}

/** What erasing a person changes in one credit; undefined from `eraseFromCredit` when it does not name them. */
export interface CreditErasure {
  next: Recognition;
  /** A live credit that named only them, now deleted: its giver's stats must drop it. */
  deleted: boolean;
  /** They were one of several recipients and are no longer listed. */
  removedFrom: boolean;
  /** They gave it; the giver is now `FORMER_MEMBER`. */
  anonymised: boolean;
  endorsementRemoved: boolean;
}

/** The recipient keys a member can be credited under on a board: their user id and, if known, their email. */
export function erasureKeys(userId: string, email?: string): string[] {
  return email ? [userId, recipientKey({ email, name: '' })] : [userId];
}

/**
 * The credit with the person taken out of it. A credit that named only them is about them
 * alone, so it is deleted and its message and evidence scrubbed; one they shared stays for
 * the others without them; one they gave stays, given by a former member; their
 * endorsement goes. Applying it to its own result returns undefined, so erasing twice
 * changes nothing.
 */
export function eraseFromCredit(rec: Recognition, userId: string, keys: ReadonlySet<string>, at: string): CreditErasure | undefined {
  const named = rec.recipients.some((r) => keys.has(recipientKey(r)));
  const others = rec.recipients.filter((r) => !keys.has(recipientKey(r)));
  const gave = rec.giver.userId === userId;
  const endorsed = rec.endorsements.some((e) => e.userId === userId);
  if (!named && !gave && !endorsed) return undefined;

  let next: Recognition = { ...rec, endorsements: rec.endorsements.filter((e) => e.userId !== userId) };
  const sole = named && others.length === 0;
  if (sole) {
    const { evidence: _evidence, ...rest } = next;
    const placeholder: Recipient = { ...FORMER_MEMBER };
    next = { ...rest, recipients: [placeholder], message: '', deletedAt: rec.deletedAt ?? at };
  } else if (named) {
    next.recipients = others;
  }
  if (gave) next.giver = { ...FORMER_MEMBER };
  return { next, deleted: sole && !rec.deletedAt, removedFrom: named && !sole, anonymised: gave, endorsementRemoved: endorsed };
}

/**
 * The roster entry an erased member leaves behind: no name, email or channel id, left and
 * opted out, never a lead. It keeps the user id only so that erasing again finds the board.
 * A roster sync from Teams that lists the person again treats the entry as a member who
 * left, so they come back as a new join (a fresh joinedAt, the channel's name and email)
 * and none of what was erased returns.
 */
export function tombstoneOf(member: Member, at: string): Member {
  return {
    tenantId: member.tenantId,
    boardId: member.boardId,
    userId: member.userId,
    name: FORMER_MEMBER.name,
    role: 'member',
    joinedAt: member.joinedAt,
    leftAt: member.leftAt ?? at,
    prefersPrivate: false,
    optedOut: true,
  };
}

/** Counts of an erasure with nothing done, to add boards' counts to. */
export function noErasure(): MemberErasure {
  return { deleted: 0, removedFrom: 0, anonymised: 0, endorsementsRemoved: 0 };
}

/** Every credit of a feed query, read a page at a time. */
async function allPages(store: Store, query: Omit<FeedQuery, 'limit' | 'cursor'>): Promise<Recognition[]> {
  const items: Recognition[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.recognitions.page({ ...query, limit: EXPORT_PAGE, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * The caller's data on every board of their tenant they are or were on: membership,
 * stats, the live credits they received and gave (private ones included, since they are
 * part of them), and their endorsements. Boards they were erased from show no credits.
 */
export async function exportMemberData(store: Store, caller: Caller, now: Date): Promise<MemberExport> {
  const { tenantId, userId } = caller;
  const memberships = await store.members.boardsOf(tenantId, userId, { includeLeft: true });
  const boards: BoardExport[] = [];
  for (const m of memberships) {
    const board = await store.boards.get(tenantId, m.boardId);
    if (!board) continue;
    const scope = { tenantId, boardId: m.boardId, viewerId: userId };
    const receivedByKey = await Promise.all(erasureKeys(userId, m.email).map((key) => allPages(store, { ...scope, recipientKey: key })));
    const received = [...new Map(receivedByKey.flat().map((r) => [r.id, r])).values()].sort(newestFirst);
    const given = await allPages(store, { ...scope, giverId: userId });
    const endorsed = await allPages(store, { ...scope, endorserId: userId });
    const stats = await store.stats.get(tenantId, m.boardId, userId);
    const messages = await store.sends.listRecipient(tenantId, m.boardId, userId);
    boards.push({
      board: { id: board.id, name: board.name },
      membership: withoutUndefined({
        name: m.name,
        email: m.email,
        role: m.role,
        joinedAt: m.joinedAt,
        leftAt: m.leftAt,
        prefersPrivate: m.prefersPrivate,
        optedOut: m.optedOut,
      }),
      stats: stats ? ownStats(stats) : null,
      received: received.map(toCreditView),
      given: given.map(toCreditView),
      endorsed: endorsed.map((rec) => ({
        recognitionId: rec.id,
        endorsedAt: rec.endorsements.find((e) => e.userId === userId)?.at ?? rec.createdAt,
        credit: toCreditView(rec),
      })),
      messages: messages.map(({ tenantId: _tenantId, boardId: _boardId, ...own }) => own),
    });
  }
  return { exportedAt: now.toISOString(), user: { tenantId, userId, name: caller.name }, boards };
}

/**
 * Erases the caller from every board of their tenant they are or were on, one board at a
 * time. Each board's erasure is idempotent and the board stays listed (as a tombstone), so
 * running this again after a failure part-way finishes the job.
 */
export async function eraseMemberData(store: Store, caller: Caller, now: Date): Promise<MemberErasure> {
  const total = noErasure();
  // A user id equal to the placeholder would match every erased credit; Entra ids never are.
  if (caller.userId === FORMER_MEMBER.userId) return total;
  const at = now.toISOString();
  const memberships = await store.members.boardsOf(caller.tenantId, caller.userId, { includeLeft: true });
  for (const m of memberships) {
    const counts = await store.recognitions.eraseMember(caller.tenantId, m.boardId, caller.userId, at);
    total.deleted += counts.deleted;
    total.removedFrom += counts.removedFrom;
    total.anonymised += counts.anonymised;
    total.endorsementsRemoved += counts.endorsementsRemoved;
    // The stand-up's and the digest's no-repeat memories say who was spotlighted: that goes with the rest of them.
    await store.boards.update(caller.tenantId, m.boardId, (board) => {
      const afterStandup = forgetSpotlighted(board, caller.userId);
      return forgetDigestSpotlight(afterStandup ?? board, caller.userId) ?? afterStandup;
    });
    // Which nudges and reminders went to them names them too.
    await store.sends.eraseRecipient(caller.tenantId, m.boardId, caller.userId);
  }
  return total;
}

function ownStats({ tenantId: _tenantId, boardId: _boardId, ...own }: MemberStats): BoardExport['stats'] {
  return own;
}

function newestFirst(a: Recognition, b: Recognition): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
