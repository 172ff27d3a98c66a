import { type Board, type Member, settingsOf } from './board';
import { COVERAGE_DAYS, type Digest, composeDigest } from './digest';
import type { Caller, Noticed } from './noticed';
import { NUDGE_PEOPLE_MAX, type Nudge, composeNudge, unnoticedFor } from './nudge';
import type { Recognition } from './recognition';
import { daysBefore, localTime, periodOf } from './schedule';
import type { Store } from './store/store';

const PAGE = 100;
/** Credits a digest reads for its coverage window, newest first: bounded, so a busy board's digest stays one short read. */
const WINDOW_CREDITS_MAX = 2000;

/** What the habits are made of, read from the store: digests and nudges for a board at a time. */
export class Habits {
  constructor(
    private readonly store: Store,
    private readonly access: Pick<Noticed, 'requireMember'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The digest of the week that ends at `until`. */
  async digest(board: Board, until: Date, period: string): Promise<Digest> {
    const since = daysBefore(until, 7).toISOString();
    const [roster, window] = await Promise.all([
      this.store.members.list(board.tenantId, board.id),
      this.boardCredits(board, daysBefore(until, COVERAGE_DAYS).toISOString(), until.toISOString()),
    ]);
    return composeDigest({ board, roster, week: window.filter((rec) => rec.createdAt >= since), window, period, since, until: until.toISOString() });
  }

  /**
   * The digest of the last seven days, for anyone on the board to see now without waiting a
   * week (`/digest` in `npm run chat`). It remembers nothing: the next posted digest is unchanged.
   */
  async digestNow(caller: Caller, boardId: string): Promise<Digest> {
    const { board } = await this.access.requireMember(caller, boardId);
    const now = this.now();
    const settings = settingsOf(board);
    return this.digest(board, now, periodOf(localTime(now, settings.timeZone), settings.weekStartsOn));
  }

  /** The lead's nudge about who has gone unnoticed for the board's nudge window, or undefined when nobody has. */
  async nudge(board: Board, lead: Member, roster: readonly Member[], now: Date): Promise<Nudge | undefined> {
    const days = settingsOf(board).nudgeAfterDays;
    const stats = await this.store.stats.list(board.tenantId, board.id);
    const unnoticed = unnoticedFor(lead, roster, stats, days, now);
    const named = unnoticed.slice(0, NUDGE_PEOPLE_MAX);
    const last = new Map<string, Recognition>();
    await Promise.all(
      named.map(async ({ member }) => {
        const page = await this.store.recognitions.page({ tenantId: board.tenantId, boardId: board.id, viewerId: lead.userId, boardOnly: true, recipientKey: member.userId, limit: 1 });
        if (page.items[0]) last.set(member.userId, page.items[0]);
      }),
    );
    return composeNudge(board, unnoticed, last, days, now);
  }

  /** Board-visible credits from `since` up to `until`, newest first, bounded. */
  private async boardCredits(board: Board, since: string, until: string): Promise<Recognition[]> {
    const credits: Recognition[] = [];
    let cursor: string | undefined;
    do {
      // boardOnly whoever reads it: a digest goes where everyone on the board sees it.
      const page = await this.store.recognitions.page({ tenantId: board.tenantId, boardId: board.id, viewerId: '', boardOnly: true, since, until, limit: PAGE, cursor });
      credits.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && credits.length < WINDOW_CREDITS_MAX);
    return credits;
  }
}
