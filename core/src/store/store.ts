import type { Board, Member, MemberStats } from '../board';
import type { BoardCounts, HourCount } from '../credit-counts';
import type { Kind } from '../kinds';
import type { Reconciliation } from '../reconcile';
import type { Endorsement, PostedCard, Recognition } from '../recognition';
import type { SendRecord } from '../send-record';

/** Boards by tenant and id. */
export interface BoardStore {
  get(tenantId: string, boardId: string): Promise<Board | undefined>;
  /** Creates or replaces the board. */
  put(board: Board): Promise<void>;
  /** Every tenant's boards a page at a time, in a stable order, for scheduled work; the cursor is opaque. */
  list(options: { limit: number; cursor?: string }): Promise<Page<Board>>;
  /**
   * Changes the board as stored now, so that writers of different fields (a stand-up held, a
   * roster sync's progress, a settings change) never undo each other: the write expects the
   * version `change` saw, and on a conflict the board is read again and `change` asked again,
   * a bounded number of times. `change` returns the board as it should be, or undefined to
   * write nothing; it may run more than once, so it only computes. Returns the board as stored
   * afterwards, or undefined if there is no such board.
   */
  update(tenantId: string, boardId: string, change: (board: Board) => Board | undefined): Promise<Board | undefined>;
}

/** What insights read of a roster entry. */
export type RosterPerson = Pick<Member, 'userId' | 'name' | 'optedOut' | 'leftAt'>;

/** The roster of each board. */
export interface MemberStore {
  get(tenantId: string, boardId: string, userId: string): Promise<Member | undefined>;
  /** Everyone on the board now (members who left are omitted unless asked for). */
  list(tenantId: string, boardId: string, options?: { includeLeft?: boolean }): Promise<Member[]>;
  /** Everyone on the board now, by user id and name and whether they opted out: a big board's roster for insights, without the rest of each member. */
  listPeople(tenantId: string, boardId: string): Promise<RosterPerson[]>;
  /** Active members whose name or email starts with the text (any word of the name), case-insensitive. */
  search(tenantId: string, boardId: string, text: string, limit: number): Promise<Member[]>;
  /** The active member with this email, compared case-insensitively. */
  findByEmail(tenantId: string, boardId: string, email: string): Promise<Member | undefined>;
  /** The active member the channel knows by this id (29:… in Teams). */
  findByChannelId(tenantId: string, boardId: string, channelUserId: string): Promise<Member | undefined>;
  /** Creates or replaces the member. */
  put(member: Member): Promise<void>;
  /**
   * Creates or replaces each member, in bulk: one transaction (SQLite) or one batch per 100
   * of a board (Cosmos DB), so a roster page is a few writes, not one per person. Each
   * member is written whole; a failure may leave some written, and writing them again is safe.
   */
  putMany(members: readonly Member[]): Promise<void>;
  /** Every board where the user is an active member, within the tenant (also those they left, if asked for). */
  boardsOf(tenantId: string, userId: string, options?: { includeLeft?: boolean }): Promise<Member[]>;
}

/** A page of the board feed, newest first. */
export interface FeedQuery {
  tenantId: string;
  boardId: string;
  /** Private credits are included only when this user gave or received them. */
  viewerId: string;
  /** Only board-visible credits, whoever the viewer: for a conversation others read too. */
  boardOnly?: boolean;
  kind?: Kind;
  /** Only credits this member key received. */
  recipientKey?: string;
  /** Only credits this user gave. */
  giverId?: string;
  /** Only credits this user endorsed. */
  endorserId?: string;
  /** Inclusive lower bound on createdAt (ISO). */
  since?: string;
  /** Exclusive upper bound on createdAt (ISO). */
  until?: string;
  limit: number;
  cursor?: string;
}

/** One page of credits and the cursor of the next, absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** The part of a credit that insights aggregate. */
export interface CreditFact {
  kind: Kind;
  createdAt: string;
  recipientKeys: string[];
}

/** What erasing a member from one board changed (all zero when there was nothing left to erase). */
export interface MemberErasure {
  /** Live credits that named only them, now deleted and scrubbed. */
  deleted: number;
  /** Credits they shared with others, which stay without them. */
  removedFrom: number;
  /** Credits they gave, now given by a former member. */
  anonymised: number;
  endorsementsRemoved: number;
}

/** Credits; every write keeps MemberStats in step in the same transaction. */
export interface RecognitionStore {
  /**
   * Creates the credit and updates stats; an existing id returns the stored credit unchanged.
   * `basis` is what `Store.readCreditContext` read for this credit, which the write may start
   * from instead of reading it again.
   */
  create(rec: Recognition, basis?: CreditBasis): Promise<{ recognition: Recognition; created: boolean }>;
  get(tenantId: string, boardId: string, id: string): Promise<Recognition | undefined>;
  page(query: FeedQuery): Promise<Page<Recognition>>;
  /** Adds the endorsement once per user; returns the credit as stored afterwards. */
  endorse(tenantId: string, boardId: string, id: string, endorsement: Endorsement): Promise<{ recognition: Recognition; added: boolean } | undefined>;
  /** Takes back this user's endorsement, if they made one; returns the credit as stored afterwards. */
  unendorse(tenantId: string, boardId: string, id: string, userId: string): Promise<{ recognition: Recognition; removed: boolean } | undefined>;
  /** Notes where the credit's card was posted, unless a card is noted already; returns the credit as stored afterwards. */
  recordCard(tenantId: string, boardId: string, id: string, card: PostedCard): Promise<Recognition | undefined>;
  /** Marks the credit deleted and takes it out of stats; a second delete changes nothing. */
  softDelete(tenantId: string, boardId: string, id: string, at: string): Promise<Recognition | undefined>;
  /**
   * Sets a live credit's kind and moves the counts kept for it (members' received per kind, the
   * board's insight counts) in the same write. Undefined when no such credit; a removed one is
   * answered as it is, unchanged.
   */
  changeKind(tenantId: string, boardId: string, id: string, kind: Kind): Promise<Recognition | undefined>;
  /**
   * Takes the member out of every credit on the board (see `eraseFromCredit`), deleting
   * their stats and putting the other members' stats in step, then leaves a tombstone on the
   * roster (`tombstoneOf`). Idempotent, and a run cut short is finished by running it again.
   */
  eraseMember(tenantId: string, boardId: string, userId: string, at: string): Promise<MemberErasure>;
  /**
   * Kind, time and recipients of the board's live credits since the given time, and before
   * `until` if given; only board-visible ones if `boardOnly`. For a short span: insights read
   * counts (`StatsStore.counts`) and only the window's first, partial day from here.
   */
  facts(tenantId: string, boardId: string, since: string, options?: { until?: string; boardOnly?: boolean }): Promise<CreditFact[]>;
}

/** A board's roster with the counts of its people (`StatsStore.rosterCounts`). */
export interface RosterCounts {
  roster: RosterPerson[];
  counts: BoardCounts;
}

/** Read side of MemberStats and of the board's credit counts, both kept in step with every credit write. */
export interface StatsStore {
  list(tenantId: string, boardId: string): Promise<MemberStats[]>;
  get(tenantId: string, boardId: string, memberKey: string): Promise<MemberStats | undefined>;
  /**
   * The board's live credits counted from the start of the UTC day `fromDay` (YYYY-MM-DD) on:
   * per kind and UTC hour (a store may count private credits with the others here, so
   * `private` is not to be read), and per member key received; and when each member key was
   * last credited. With `previousFromDay` (an earlier day), also the counts of the days from it
   * up to `fromDay` (`previous`), read in the same pass: a window's and the one before it.
   */
  counts(tenantId: string, boardId: string, fromDay: string, previousFromDay?: string): Promise<BoardCounts>;
  /**
   * What insights read, together: the roster as `MemberStore.listPeople` lists it, and `counts`
   * as above for its people (a store may leave other member keys out). With `weekBounds`
   * (ascending UTC hours, the first at `fromDay`, as `weekStartHours` gives them), a store may
   * count the hours from each bound up to the next in the first of them; hours from the last
   * bound on stay as they are.
   */
  rosterCounts(tenantId: string, boardId: string, fromDay: string, previousFromDay?: string, weekBounds?: readonly string[]): Promise<RosterCounts>;
  /** The board's live credits per kind, visibility and UTC hour from the start of the UTC day `fromDay` on. */
  hours(tenantId: string, boardId: string, fromDay: string): Promise<HourCount[]>;
  /**
   * Recomputes the board's member stats and credit counts from its live credits and reports
   * every field and bucket that disagrees (`reconcile` in core); with `repair`, writes the
   * recomputed values, guarded so that a credit written meanwhile is not lost.
   */
  reconcile(tenantId: string, boardId: string, options: ReconcileOptions): Promise<Reconciliation>;
}

/** How a reconcile runs. */
export interface ReconcileOptions {
  repair: boolean;
  /**
   * Credits changed this recently (ms) are left to their writers, which may still be retrying
   * the stats of a credit already written (Cosmos DB); 30 s by default, longer than any request's deadline.
   */
  settleMs?: number;
}

/** Named leases so that two instances never run the same scheduled job. */
export interface LeaseStore {
  /** Takes the lease if it is free, expired, or already held by this holder. */
  acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/**
 * One record per proactive message (board, kind, period, recipient), written before the
 * message is posted, so that nothing is posted twice across restarts or instances.
 */
export interface SendStore {
  /** Writes the record only if none has its key: `created` is false, with the stored one, when another run wrote it first. */
  create(record: SendRecord): Promise<{ created: boolean; record: SendRecord }>;
  get(tenantId: string, boardId: string, key: string): Promise<SendRecord | undefined>;
  /**
   * Replaces the record only while it is still as `expected` was read (same status and
   * attempts): of two runs moving one record on, only the first wins. Returns whether it did.
   */
  update(expected: SendRecord, next: SendRecord): Promise<boolean>;
  /** The board's records of messages to the member, by key (their data export). */
  listRecipient(tenantId: string, boardId: string, userId: string): Promise<SendRecord[]>;
  /** Deletes the board's records of messages to the member (their erasure); returns how many went. */
  eraseRecipient(tenantId: string, boardId: string, userId: string): Promise<number>;
}

/** Which of a board's records giving one credit reads before it writes. */
export interface CreditContextQuery {
  /** The giver's user id: their roster entry and their latest credits are read. */
  giverId: string;
  /** Other members asked for by user id. */
  userIds: readonly string[];
  /** Members asked for by the channel's id for them (29:… in Teams), as mentions name them. */
  channelUserIds: readonly string[];
  /** The giver's credits created at or after this instant (ISO) are read, removed ones too, where that saves round trips. */
  givenSince: string;
  /** When the credit is being given (ISO): what its write will change that day may be read too, where that saves a round trip. */
  at?: string;
}

/**
 * What a store read with a credit's context that its `create` can write against without
 * reading it again (Cosmos DB: the stats and the day's counts with their ETags). Only the store
 * that read it looks inside; a basis from another board is ignored.
 */
export interface CreditBasis {
  readonly tenantId: string;
  readonly boardId: string;
}

/** What a board holds for one credit about to be given, as stored when read. */
export interface CreditContextRecords {
  board?: Board;
  /** The active members among those asked for (the giver, by user id or by channel id), each once. */
  members: Member[];
  /**
   * The giver's credits since `givenSince`, removed ones included, in no particular order; left
   * out (undefined) by a store that reads a credit by id without a round trip (SQLite), where
   * scanning a busy board's window would cost more than the few point reads it saves.
   */
  given?: Recognition[];
  /** What the store's create may start from (`CreditBasis`), from a store whose reads cost round trips. */
  basis?: CreditBasis;
}

/** Everything Noticed keeps, behind one handle the composition root opens and closes. */
export interface Store {
  boards: BoardStore;
  members: MemberStore;
  recognitions: RecognitionStore;
  stats: StatsStore;
  leases: LeaseStore;
  sends: SendStore;
  /**
   * The board, members and credits one credit needs, read together: in Cosmos DB they share
   * the board's partition, so this is one query where reading them one by one would be many.
   */
  readCreditContext(tenantId: string, boardId: string, query: CreditContextQuery): Promise<CreditContextRecords>;
  close(): Promise<void>;
}
