import { type Board, DEFAULT_BOARD_SETTINGS, type Member, hasLead, isActive } from './board';
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

/**
 * Keeps boards and their rosters in step with the channel: install, member added and
 * removed, rename. Bots never join a roster. Lead rights come only from the install event
 * or an existing lead's grant, never from being the first to speak.
 */
export class Rosters {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Handles the event that adds Noticed: creates or refreshes the board, syncs the full
   * roster, and makes the installer its lead if it has none (a board opened by a message
   * before its install event gets its lead here). Returns what changed.
   */
  async install(place: BoardPlace, roster: RosterEntry[], installer?: Installer): Promise<Installed> {
    const { board, created } = await this.open(place, roster);
    const members = await this.store.members.list(place.tenantId, place.boardId);
    if (hasLead(members) || !installer) return { board, created };
    const found = members.find((m) => (installer.userId && m.userId === installer.userId) || (installer.channelUserId && m.channelUserId === installer.channelUserId));
    if (!found) return { board, created };
    const newLead: Member = { ...found, role: 'lead' };
    await this.store.members.put(newLead);
    return { board, created, newLead };
  }

  /**
   * Creates the board when a message comes before its install event (or the event was
   * missed), with its roster and no lead: otherwise whoever spoke first would see who has
   * gone unnoticed. `roster` is fetched only if the board is new.
   */
  async ensureBoard(place: BoardPlace, roster: () => Promise<RosterEntry[]>): Promise<void> {
    if (await this.store.boards.get(place.tenantId, place.boardId)) return;
    await this.open(place, await roster());
  }

  private async open(place: BoardPlace, roster: RosterEntry[]): Promise<{ board: Board; created: boolean }> {
    const at = this.now().toISOString();
    const existing = await this.store.boards.get(place.tenantId, place.boardId);
    const board: Board = existing
      ? { ...existing, name: place.name || existing.name, conversationReference: place.conversationReference ?? existing.conversationReference, updatedAt: at }
      : stripUndefined({ tenantId: place.tenantId, id: place.boardId, name: place.name, conversationReference: place.conversationReference, settings: DEFAULT_BOARD_SETTINGS, createdAt: at, updatedAt: at });
    await this.store.boards.put(board);
    await this.sync(place.tenantId, place.boardId, roster, { removeOthers: true });
    return { board, created: !existing };
  }

  /** Adds or refreshes members; with `removeOthers`, everyone not listed has left. */
  async sync(tenantId: string, boardId: string, roster: RosterEntry[], options: { removeOthers?: boolean } = {}): Promise<void> {
    const at = this.now().toISOString();
    const current = new Map((await this.store.members.list(tenantId, boardId, { includeLeft: true })).map((m) => [m.userId, m]));
    const listed = new Set<string>();
    for (const entry of roster) {
      if (!entry.userId || entry.channelUserId?.startsWith('28:')) continue;
      listed.add(entry.userId);
      const known = current.get(entry.userId);
      const member: Member = stripUndefined({
        tenantId,
        boardId,
        userId: entry.userId,
        channelUserId: entry.channelUserId ?? known?.channelUserId,
        name: entry.name || known?.name || 'Someone',
        email: entry.email ?? known?.email,
        role: known?.role ?? 'member',
        joinedAt: known && !known.leftAt ? known.joinedAt : at,
        prefersPrivate: known?.prefersPrivate ?? false,
        optedOut: known?.optedOut ?? false,
      });
      await this.store.members.put(member);
    }
    if (options.removeOthers) {
      for (const m of current.values()) if (!listed.has(m.userId) && !m.leftAt) await this.store.members.put({ ...m, leftAt: at });
    }
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
    const board = await this.store.boards.get(tenantId, boardId);
    if (board && name && board.name !== name) await this.store.boards.put({ ...board, name, updatedAt: this.now().toISOString() });
  }

  /** Those of these members the channel can reach in a personal chat, each once, with their channel id (29:… in Teams). */
  async reachable(tenantId: string, boardId: string, userIds: readonly string[]): Promise<Array<{ channelUserId: string; name: string }>> {
    const members = await Promise.all([...new Set(userIds)].map((userId) => this.store.members.get(tenantId, boardId, userId)));
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

  /** The active member the channel knows by this id, if any. */
  async byChannelId(tenantId: string, boardId: string, channelUserId: string): Promise<Member | undefined> {
    return this.store.members.findByChannelId(tenantId, boardId, channelUserId);
  }
}
