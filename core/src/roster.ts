import { outsideDeadline } from './deadline';
import { type Board, DEFAULT_BOARD_SETTINGS, type Member, type RosterSync, hasLead, isActive } from './board';
import { stripUndefined } from './noticed';
import type { Store } from './store/store';

/** A person as the channel's roster reports them. */
export interface RosterEntry {
  /** Entra object id. */
  userId: string;
  /** The channel's id for the user (29:… in Teams). */
  channelUserId?: string;
  name: string;
  email?: string;
}

/** Where a board lives: a Teams team, group chat or channel conversation. */
export interface BoardPlace {
  tenantId: string;
  boardId: string;
  name: string;
  conversationReference?: unknown;
}

/** Who added Noticed, as the install event's `from` names them: ids, and in Teams no name. */
export interface Installer {
  userId?: string;
  channelUserId?: string;
}

/** What an install changed: the board, whether it is new, and the installer if they became its lead. */
export interface Installed {
  board: Board;
  created: boolean;
  /** The installer as the roster knows them, when this install made them the board's lead. */
  newLead?: Member;
}

/** One page of the channel's roster, and where the next one starts (absent on the last page). */
export interface RosterPage {
  entries: RosterEntry[];
  continuationToken?: string;
}

/** Reads one page of the channel's roster: the first page when no token is given. */
export type RosterPages = (continuationToken?: string) => Promise<RosterPage>;

/** A roster sync under way. */
export interface RosterSyncRun {
  /** Resolves once the first page is written, or the sync has ended (a one-page roster is then complete); never rejects. */
  firstPageWritten: Promise<void>;
  /** Resolves when the sync is done, rejects with what stopped it. */
  finished: Promise<void>;
}

/**
 * Keeps boards and their rosters in step with the channel: install, member added and
 * removed, rename. Bots never join a roster. Lead rights come only from the install event
 * or an existing lead's grant, never from being the first to speak.
 */
export class Rosters {
  /** Roster syncs running in this process, by board: a redelivered install must not start a second one. */
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Handles the event that adds Noticed: creates or refreshes the board, puts the installer
   * on its roster as the channel lists them, and makes them its lead if it has none (a board
   * opened by a message before its install event gets its lead here). The rest of the roster
   * follows in `syncRoster`, so a team of thousands is answered at once. Returns what changed.
   */
  async install(place: BoardPlace, installer: Installer, listed?: RosterEntry): Promise<Installed> {
    const { board, created } = await this.open(place, { syncDue: true });
    if (listed) await this.sync(place.tenantId, place.boardId, [listed]);
    const members = await this.store.members.list(place.tenantId, place.boardId);
    if (hasLead(members)) return { board, created };
    const found = members.find((m) => (installer.userId && m.userId === installer.userId) || (installer.channelUserId && m.channelUserId === installer.channelUserId));
    if (!found) return { board, created };
    const newLead: Member = { ...found, role: 'lead' };
    await this.store.members.put(newLead);
    return { board, created, newLead };
  }

  /**
   * Creates the board when a message comes before its install event (or the event was
   * missed), with no lead: otherwise whoever spoke first would see who has gone unnoticed.
   * Its roster syncs as an install's does (`syncRoster`), so a message in a team of
   * thousands is not held up by reading them all; undefined when the board exists already.
   */
  async ensureBoard(place: BoardPlace, pages: RosterPages): Promise<RosterSyncRun | undefined> {
    if (await this.store.boards.get(place.tenantId, place.boardId)) return undefined;
    await this.open(place, { syncDue: true });
    return this.syncRoster(place.tenantId, place.boardId, pages);
  }

  /**
   * Syncs the board's whole roster from the channel, a page at a time, each page written in
   * bulk; undefined when a sync already runs for the board in this process (a redelivered
   * install) or the process is stopping. Progress is kept on the board: a sync cut short (a
   * restart, a page Teams failed) is continued by the next one from its last page. Only after
   * the last page are those not listed since the sync began marked as left, so a sync stopped
   * half-way never takes the unread half off the roster. Across processes two syncs of one
   * board may overlap; both write what Teams listed, and the last write of a member wins.
   */
  syncRoster(tenantId: string, boardId: string, pages: RosterPages): RosterSyncRun | undefined {
    const key = syncKey(tenantId, boardId);
    if (this.stopping || this.running.has(key)) return undefined;
    let firstPage!: () => void;
    const firstPageWritten = new Promise<void>((resolve) => (firstPage = resolve));
    // The sync outlives the install turn that starts it, so it runs under no request's deadline.
    const finished = outsideDeadline(() => this.runSync(tenantId, boardId, pages, firstPage)).finally(() => {
      firstPage();
      this.running.delete(key);
    });
    this.running.set(key, finished);
    return { firstPageWritten, finished };
  }

  /** Resolves once no roster sync runs in this process. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  /** Ends running roster syncs after their current page and starts no more: the store can then close, and the next install continues them. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  private async runSync(tenantId: string, boardId: string, pages: RosterPages, firstPage: () => void): Promise<void> {
    const board = await this.store.boards.get(tenantId, boardId);
    if (!board) return;
    // The install noted the sync due; one cut short (a restart, a page Teams failed) goes on from its last page.
    const resumed = board.rosterSync && !board.rosterSync.done ? board.rosterSync : undefined;
    let progress: RosterSync = resumed ?? { startedAt: this.now().toISOString(), done: false };
    if (!resumed) await this.record(tenantId, boardId, progress);
    let token = progress.continuationToken;
    let first = true;
    do {
      if (this.stopping) return;
      let page: RosterPage;
      try {
        page = await pages(token);
      } catch (error) {
        // Teams' continuation tokens expire: a run that cannot continue from its token leaves the next one a fresh start.
        if (first && token) await this.record(tenantId, boardId, { startedAt: this.now().toISOString(), done: false });
        throw error;
      }
      first = false;
      await this.sync(tenantId, boardId, page.entries);
      token = page.continuationToken || undefined;
      if (token) {
        progress = { ...progress, continuationToken: token };
        await this.record(tenantId, boardId, progress);
        firstPage();
      }
    } while (token);
    await this.markUnlisted(tenantId, boardId, progress.startedAt);
    await this.record(tenantId, boardId, { startedAt: progress.startedAt, done: true });
  }

  /** Everyone on the board whom the channel has not listed since `since` has left. */
  private async markUnlisted(tenantId: string, boardId: string, since: string): Promise<void> {
    const at = this.now().toISOString();
    const gone = (await this.store.members.list(tenantId, boardId)).filter((m) => !m.listedAt || m.listedAt < since).map((m) => ({ ...m, leftAt: at }));
    if (gone.length) await this.store.members.putMany(gone);
  }

  /** Notes the sync's progress on the board as it is now, so nothing else written to the board meanwhile is lost. */
  private async record(tenantId: string, boardId: string, rosterSync: RosterSync): Promise<void> {
    await this.store.boards.update(tenantId, boardId, (board) => ({ ...board, rosterSync }));
  }

  /**
   * Creates or refreshes the board. An install (or a board a message opens) also notes that a
   * roster sync is due, unless one runs here already or one cut short waits to be continued:
   * the board says so before the turn is answered.
   */
  private async open(place: BoardPlace, options: { syncDue?: boolean } = {}): Promise<{ board: Board; created: boolean }> {
    const at = this.now().toISOString();
    const running = this.running.has(syncKey(place.tenantId, place.boardId));
    const due = (existing?: Board) => (options.syncDue && !running && !(existing?.rosterSync && !existing.rosterSync.done) ? { startedAt: at, done: false } : existing?.rosterSync);
    // unreachableAt goes: Teams just delivered an activity from the board, so the bot is back there and its digests resume.
    const refreshed = await this.store.boards.update(place.tenantId, place.boardId, (existing) =>
      stripUndefined({ ...existing, name: place.name || existing.name, conversationReference: place.conversationReference ?? existing.conversationReference, rosterSync: due(existing), unreachableAt: undefined, updatedAt: at }),
    );
    if (refreshed) return { board: refreshed, created: false };
    const board: Board = stripUndefined({ tenantId: place.tenantId, id: place.boardId, name: place.name, conversationReference: place.conversationReference, settings: DEFAULT_BOARD_SETTINGS, rosterSync: due(), createdAt: at, updatedAt: at });
    await this.store.boards.put(board);
    return { board, created: true };
  }

  /** Adds or refreshes the members the channel lists, in one bulk write; it never marks anyone as left. */
  async sync(tenantId: string, boardId: string, roster: RosterEntry[]): Promise<void> {
    const at = this.now().toISOString();
    const entries = roster.filter((entry) => entry.userId && !entry.channelUserId?.startsWith('28:'));
    if (!entries.length) return;
    // One person (a mention, a newcomer) is a point read; a roster page reads the board once.
    const stored = entries.length === 1 ? [await this.store.members.get(tenantId, boardId, entries[0].userId)] : await this.store.members.list(tenantId, boardId, { includeLeft: true });
    const current = new Map(stored.flatMap((m) => (m ? [[m.userId, m] as const] : [])));
    const members = new Map<string, Member>();
    for (const entry of entries) {
      const known = current.get(entry.userId);
      members.set(
        entry.userId,
        stripUndefined({
          tenantId,
          boardId,
          userId: entry.userId,
          channelUserId: entry.channelUserId ?? known?.channelUserId,
          name: entry.name || known?.name || 'Someone',
          email: entry.email ?? known?.email,
          role: known?.role ?? 'member',
          joinedAt: known && !known.leftAt ? known.joinedAt : at,
          listedAt: at,
          prefersPrivate: known?.prefersPrivate ?? false,
          optedOut: known?.optedOut ?? false,
          // What the person said for themselves outlives every sync: the channel's roster knows nothing of it.
          reminderDay: known?.reminderDay,
          creditNotifications: known?.creditNotifications,
        }),
      );
    }
    const written = [...members.values()];
    if (written.length === 1) await this.store.members.put(written[0]);
    else await this.store.members.putMany(written);
  }

  /** Marks members as having left; their credits stay on the board. */
  async remove(tenantId: string, boardId: string, userIds: string[]): Promise<void> {
    const at = this.now().toISOString();
    for (const userId of userIds) {
      const m = await this.store.members.get(tenantId, boardId, userId);
      if (m && !m.leftAt) await this.store.members.put({ ...m, leftAt: at });
    }
  }

  /** Renames the board (a Teams team rename). */
  async rename(tenantId: string, boardId: string, name: string): Promise<void> {
    if (!name) return;
    await this.store.boards.update(tenantId, boardId, (board) => (board.name === name ? undefined : { ...board, name, updatedAt: this.now().toISOString() }));
  }

  /**
   * Those of these members the channel can reach in a personal chat, each once, with their
   * channel id (29:… in Teams). `known` are roster entries already in hand; only the others are read.
   */
  async reachable(tenantId: string, boardId: string, userIds: readonly string[], known: readonly Member[] = []): Promise<Array<{ channelUserId: string; name: string }>> {
    // Only entries of this board count: another board's would open chats with its people.
    const inHand = new Map(known.filter((m) => m.tenantId === tenantId && m.boardId === boardId).map((m) => [m.userId, m]));
    const members = await Promise.all([...new Set(userIds)].map((userId) => inHand.get(userId) ?? this.store.members.get(tenantId, boardId, userId)));
    return members.flatMap((m) => (m?.channelUserId && isActive(m) ? [{ channelUserId: m.channelUserId, name: m.name }] : []));
  }

  /** True once the board exists: member events for a board never opened have nothing to keep. */
  async hasBoard(tenantId: string, boardId: string): Promise<boolean> {
    return Boolean(await this.store.boards.get(tenantId, boardId));
  }

  /** True while the person is on the board's roster (known and not left). */
  async isOnRoster(tenantId: string, boardId: string, userId: string): Promise<boolean> {
    const member = await this.store.members.get(tenantId, boardId, userId);
    return Boolean(member && isActive(member));
  }
}

/** The key of a board's running roster sync. */
function syncKey(tenantId: string, boardId: string): string {
  return `${tenantId}/${boardId}`;
}
