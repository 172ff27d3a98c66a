import { type Board, type LiveStandup, type Member, isActive, settingsOf } from './board';
import { DomainError } from './errors';
import { kindInfo } from './kinds';
import type { Caller, Noticed } from './noticed';
import { type Recognition, recipientKey } from './recognition';
import { localTime, zonedInstant } from './schedule';
import { type LivePosition, STANDUP_WINDOWS, type StandupWindow } from './standup-position';
import type { Store } from './store/store';

export { type LivePosition, STANDUP_WINDOWS, type StandupWindow };

const DAY_MS = 86_400_000;
/** A board's first stand-up looks back this many days. */
const FIRST_WINDOW_DAYS = 7;
/** How far back from a stand-up's start the spotlight looks to judge who has been quiet. */
const QUIET_WINDOW_DAYS = 30;
/** How many past spotlights a board remembers: nobody repeats within them while someone else qualifies. */
export const SPOTLIGHT_MEMORY = 10;

/** Credits read to judge who is quiet, newest first: bounded, so a busy board's stand-up still opens at once. */
const QUIET_CREDITS_MAX = 500;
const PAGE = 100;

/** A presented stand-up nobody has moved for this long is over: a meeting forgotten open does not hold the stage. */
export const LIVE_STANDUP_IDLE_MS = 3 * 60 * 60_000;
/** The highest slide a deck can have: the opening, at most 100 credits, a spotlight, the closing. */
export const LIVE_STANDUP_MAX_SLIDE = PAGE + 2;

/** Someone a stand-up spotlights: a name to ask about, never a count. */
export interface Spotlight {
  userId: string;
  name: string;
}

/** The stand-up a board runs now: every screen that opens it sees the same one. */
export interface StandupSession {
  /** Where it starts (ISO): the last stand-up, or for a board's first, seven days back from the start of today (UTC). */
  since: string;
  /** When the last stand-up was held, absent before the first. */
  lastHeldAt?: string;
  /** Board-visible credits since then, oldest first, at most 100 (the newest). */
  credits: Recognition[];
  spotlight?: Spotlight;
}

/** What marking a stand-up held did. */
export interface StandupHeld {
  /** False when that stand-up was already marked held (by another screen, or a retry): nothing changed. */
  recorded: boolean;
  /** When the board's last stand-up was held. */
  lastHeldAt?: string;
}

/**
 * The stand-up as a board holds it, kept on the board so that the team's screen and a
 * lead's laptop run the same one: since when, what to show, who to spotlight, and that it
 * was held, so the next one starts there.
 */
export class Standups {
  constructor(
    private readonly store: Store,
    private readonly access: Pick<Noticed, 'requireMember'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The board's stand-up now; any member may run it. */
  async session(caller: Caller, boardId: string, window: StandupWindow = 'last'): Promise<StandupSession> {
    const { board } = await this.access.requireMember(caller, boardId);
    const since = this.windowStart(board, window);
    const [page, spotlight] = await Promise.all([
      // A stand-up is a shared screen: whoever opens it, private credits stay off it.
      this.store.recognitions.page({ tenantId: caller.tenantId, boardId, viewerId: caller.userId, boardOnly: true, since, limit: PAGE }),
      this.spotlight(caller, board, since),
    ]);
    return { since, lastHeldAt: board.standup?.lastAt, credits: page.items.reverse(), spotlight };
  }

  /**
   * Marks held the stand-up that started at `since`, so the next one starts now and its
   * spotlight is remembered. `since` names which stand-up ended: a second screen or a retry
   * that ends the same one again changes nothing, instead of skipping a stand-up and a spotlight.
   */
  async hold(caller: Caller, boardId: string, since: string): Promise<StandupHeld> {
    const { board } = await this.access.requireMember(caller, boardId);
    if (since !== this.since(board)) return { recorded: false, lastHeldAt: board.standup?.lastAt };
    const [spotlight, roster] = await Promise.all([this.spotlight(caller, board, since), this.store.members.list(caller.tenantId, boardId)]);
    const onRoster = new Set(roster.map((m) => m.userId));
    const at = this.now().toISOString();
    let recorded = false;
    // On the board as stored now: a roster sync or a settings change written meanwhile stays,
    // and a second screen that ended this stand-up meanwhile has recorded it already.
    const stored = await this.store.boards.update(caller.tenantId, boardId, (current) => {
      recorded = since === this.since(current);
      if (!recorded) return undefined;
      // Only people still on the roster are remembered: whoever left or erased their data drops out here.
      const kept = (current.standup?.spotlighted ?? []).filter((id) => onRoster.has(id) && id !== spotlight?.userId);
      const spotlighted = [...kept, ...(spotlight ? [spotlight.userId] : [])].slice(-SPOTLIGHT_MEMORY);
      return { ...current, standup: { lastAt: at, spotlighted }, updatedAt: at };
    });
    return { recorded, lastHeldAt: stored?.standup?.lastAt };
  }

  /**
   * Presents the stand-up to a meeting: the caller becomes the presenter and everyone in the
   * meeting follows their slide. Leads only, since the stage is the whole meeting's screen; a
   * lead who presents takes over from another. The deck is pinned now, from the chosen start.
   */
  async present(caller: Caller, boardId: string, window: StandupWindow = 'last'): Promise<LivePosition> {
    const { board, member } = await this.access.requireMember(caller, boardId);
    if (member.role !== 'lead') throw new DomainError('forbidden', 'Only a lead of this board can present the stand-up to the meeting.');
    const since = this.windowStart(board, window);
    const spotlight = await this.spotlight(caller, board, since);
    const at = this.now().toISOString();
    const live: LiveStandup = { presenterId: caller.userId, window, since, until: at, spotlight, slide: 0, startedAt: at, updatedAt: at };
    await this.store.boards.update(caller.tenantId, boardId, (current) => ({ ...current, liveStandup: live }));
    return this.positionOf(live, caller, member.name);
  }

  /** Moves the presented stand-up to `slide`; only its presenter may, so nobody else turns the meeting's page. */
  async moveLive(caller: Caller, boardId: string, slide: number): Promise<LivePosition> {
    const { board, member } = await this.access.requireMember(caller, boardId);
    this.requirePresenter(this.current(board), caller);
    const at = this.now().toISOString();
    let moved: LiveStandup | undefined;
    // On the board as stored now: a lead who took over meanwhile is the presenter, not the caller.
    await this.store.boards.update(caller.tenantId, boardId, (current) => {
      const live = this.requirePresenter(this.current(current), caller);
      moved = { ...live, slide: Math.min(Math.max(slide, 0), LIVE_STANDUP_MAX_SLIDE), updatedAt: at };
      return { ...current, liveStandup: moved };
    });
    return this.positionOf(moved!, caller, member.name);
  }

  /** Ends the presented stand-up (its presenter only); ending one that is over changes nothing. */
  async endLive(caller: Caller, boardId: string): Promise<void> {
    const { board } = await this.access.requireMember(caller, boardId);
    if (!this.current(board)) return;
    this.requirePresenter(this.current(board), caller);
    await this.store.boards.update(caller.tenantId, boardId, (current) => {
      const live = this.current(current);
      if (!live || live.presenterId !== caller.userId) return undefined;
      const { liveStandup: _ended, ...rest } = current;
      return rest;
    });
  }

  /** Where the presented stand-up is, for any member's screen; undefined when none is presented. */
  async livePosition(caller: Caller, boardId: string): Promise<LivePosition | undefined> {
    const { board } = await this.access.requireMember(caller, boardId);
    const live = this.current(board);
    if (!live) return undefined;
    const presenter = await this.store.members.get(caller.tenantId, boardId, live.presenterId);
    return this.positionOf(live, caller, presenter?.name ?? 'A lead');
  }

  /** The presented stand-up's deck: the same slides on every screen, whenever it is asked for. */
  async liveSession(caller: Caller, boardId: string): Promise<StandupSession> {
    const { board } = await this.access.requireMember(caller, boardId);
    const live = this.current(board);
    if (!live) throw new DomainError('not_found', 'No stand-up is being presented on this board.');
    // A stand-up is a shared screen: whoever opens it, private credits stay off it.
    const page = await this.store.recognitions.page({ tenantId: caller.tenantId, boardId, viewerId: caller.userId, boardOnly: true, since: live.since, until: live.until, limit: PAGE });
    return { since: live.since, lastHeldAt: board.standup?.lastAt, credits: page.items.reverse(), spotlight: live.spotlight };
  }

  private current(board: Board): LiveStandup | undefined {
    const live = board.liveStandup;
    return live && this.now().getTime() - Date.parse(live.updatedAt) < LIVE_STANDUP_IDLE_MS ? live : undefined;
  }

  private requirePresenter(live: LiveStandup | undefined, caller: Caller): LiveStandup {
    if (!live) throw new DomainError('not_found', 'No stand-up is being presented on this board.');
    if (live.presenterId !== caller.userId) throw new DomainError('forbidden', 'Only the presenter moves the stand-up.');
    return live;
  }

  private positionOf(live: LiveStandup, caller: Caller, presenterName: string): LivePosition {
    return { presenter: { userId: live.presenterId, name: presenterName }, window: live.window, slide: live.slide, startedAt: live.startedAt, presenting: live.presenterId === caller.userId };
  }

  private windowStart(board: Board, window: StandupWindow): string {
    return window === 'last' ? this.since(board) : window === 'week' ? this.weekStart(board) : new Date(this.now().getTime() - FIRST_WINDOW_DAYS * DAY_MS).toISOString();
  }

  /** Midnight at the start of the board's week, in the board's time zone. */
  private weekStart(board: Board): string {
    const { timeZone, weekStartsOn } = settingsOf(board);
    const local = localTime(this.now(), timeZone);
    return zonedInstant(local.year, local.month, local.day - ((local.weekday - weekStartsOn + 7) % 7), 0, timeZone).toISOString();
  }

  private since(board: Board): string {
    if (board.standup) return board.standup.lastAt;
    // From the start of a day, so the first stand-up starts at the same time on every screen that opens it today.
    const day = Math.floor(this.now().getTime() / DAY_MS) * DAY_MS;
    return new Date(day - FIRST_WINDOW_DAYS * DAY_MS).toISOString();
  }

  private async spotlight(caller: Caller, board: Board, since: string): Promise<Spotlight | undefined> {
    const [roster, credits] = await Promise.all([this.store.members.list(caller.tenantId, board.id), this.quietWindow(caller, board.id, since)]);
    const person = pickSpotlight(roster, credits, board.standup?.spotlighted ?? []);
    return person && { userId: person.userId, name: person.name };
  }

  /** Board-visible credits of the 30 days before the stand-up starts, newest first. */
  private async quietWindow(caller: Caller, boardId: string, since: string): Promise<Recognition[]> {
    const from = new Date(Date.parse(since) - QUIET_WINDOW_DAYS * DAY_MS).toISOString();
    const credits: Recognition[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.recognitions.page({ tenantId: caller.tenantId, boardId, viewerId: caller.userId, boardOnly: true, since: from, until: since, limit: PAGE, cursor });
      credits.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && credits.length < QUIET_CREDITS_MAX);
    return credits;
  }
}

/**
 * The board without the person in its stand-up memory, for erasing them: the spotlights it
 * remembers, and a presented stand-up they present or spotlight. Undefined when it never named them.
 */
export function forgetSpotlighted(board: Board, userId: string): Board | undefined {
  const live = board.liveStandup;
  const inLive = live && (live.presenterId === userId || live.spotlight?.userId === userId);
  if (!board.standup?.spotlighted.includes(userId) && !inLive) return undefined;
  const { liveStandup, ...rest } = board;
  const standup = board.standup && { ...board.standup, spotlighted: board.standup.spotlighted.filter((id) => id !== userId) };
  return { ...rest, ...(standup ? { standup } : {}), ...(liveStandup && !inLive ? { liveStandup } : {}) };
}

/**
 * The quiet-contributor spotlight. Quiet: the third of the active roster (at least one
 * person) who received the fewest board-visible behind-the-scenes credits in the window;
 * ties go by name. No repeat: the quietest of them not spotlighted in the board's last
 * stand-ups; when every quiet person was, the one spotlighted longest ago (so never the same
 * person twice in a row while two qualify). People who opted out are never picked.
 * Private credits do not count, since who is picked is shown to everyone. The window ends
 * where the stand-up starts, so credits given while it runs do not change who it shows and
 * marking it held remembers the person every screen saw.
 */
export function pickSpotlight(roster: readonly Member[], credits: readonly Recognition[], history: readonly string[]): Member | undefined {
  const people = roster.filter((m) => isActive(m) && !m.optedOut);
  if (!people.length) return undefined;
  const received = new Map<string, number>(people.map((m) => [m.userId, 0]));
  for (const credit of credits) {
    if (credit.visibility !== 'board' || !kindInfo(credit.kind).behindTheScenes) continue;
    for (const r of credit.recipients) {
      const key = recipientKey(r);
      const count = received.get(key);
      if (count !== undefined) received.set(key, count + 1);
    }
  }
  const byQuiet = [...people].sort(
    (a, b) => (received.get(a.userId) ?? 0) - (received.get(b.userId) ?? 0) || a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId),
  );
  const quiet = byQuiet.slice(0, Math.max(1, Math.ceil(people.length / 3)));
  const recent = history.slice(-SPOTLIGHT_MEMORY);
  const fresh = quiet.find((m) => !recent.includes(m.userId));
  if (fresh) return fresh;
  // lastIndexOf is -1 for none and grows with recency: the smallest was spotlighted longest ago.
  return quiet.reduce((longestAgo, m) => (recent.lastIndexOf(m.userId) < recent.lastIndexOf(longestAgo.userId) ? m : longestAgo));
}
