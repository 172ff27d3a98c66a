import type { Board, Member } from './board';
import type { Recognition } from './recognition';
import type { CreditBasis, CreditContextRecords } from './store/store';

/**
 * What giving one credit reads of its board before it writes, read at once for one giver on
 * one board: the board, the giver and the people asked for as the roster has them (active
 * ones only), and the giver's credits of the same-credit windows. The bot reads it at the
 * start of a chat turn to find the people mentioned, then hands it to `Noticed.giveCredit`,
 * so the turn reads its board and people once instead of once per layer. It is this turn's
 * read, not a cache: whatever it does not hold is read from the store.
 */
export class CreditContext {
  private readonly byUserId: ReadonlyMap<string, Member>;
  private readonly byChannelId: ReadonlyMap<string, Member>;
  private readonly givenById?: ReadonlyMap<string, Recognition>;
  /** The board, if it exists. */
  readonly board?: Board;
  /** What the store read that its write of this credit may start from. */
  readonly basis?: CreditBasis;

  constructor(
    readonly tenantId: string,
    readonly boardId: string,
    readonly giverId: string,
    /** Every credit of the giver's created since this instant (ISO) was read. */
    readonly givenSince: string,
    records: CreditContextRecords,
  ) {
    this.board = records.board;
    this.basis = records.basis;
    this.byUserId = new Map(records.members.map((m) => [m.userId, m]));
    this.byChannelId = new Map(records.members.flatMap((m) => (m.channelUserId ? [[m.channelUserId, m] as const] : [])));
    if (records.given) this.givenById = new Map(records.given.map((r) => [r.id, r]));
  }

  /** The active member with this user id, if read. */
  member(userId: string): Member | undefined {
    return this.byUserId.get(userId);
  }

  /** The active member the channel knows by this id (29:… in Teams), if read. */
  memberByChannelId(channelUserId: string): Member | undefined {
    return this.byChannelId.get(channelUserId);
  }

  /** The members read. */
  members(): Member[] {
    return [...this.byUserId.values()];
  }

  /**
   * The giver's credit at this id, removed or not; undefined when there is none. Answers only
   * for credits created since `since`, when the store read the giver's credits whole from
   * `givenSince` on; otherwise `unknown`, and the credit is read by its id.
   */
  givenAt(id: string, since: string): Recognition | undefined | 'unknown' {
    if (!this.givenById || since < this.givenSince) return 'unknown';
    return this.givenById.get(id);
  }
}
