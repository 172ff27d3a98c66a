import { type Board, DEFAULT_BOARD_SETTINGS, type Member } from './board';
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

/**
 * Keeps boards and their rosters in step with the channel: install, member added and
 * removed, rename. Bots never join a roster.
 */
export class Rosters {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Creates the board on first install (the installer becomes its first lead) or refreshes it
   * on a reinstall, and syncs the full roster. Returns the board and whether it was new.
   */
  async install(place: BoardPlace, roster: RosterEntry[], installerId?: string): Promise<{ board: Board; created: boolean }> {
    const at = this.now().toISOString();
    const existing = await this.store.boards.get(place.tenantId, place.boardId);
    const board: Board = existing
      ? { ...existing, name: place.name || existing.name, conversationReference: place.conversationReference ?? existing.conversationReference, updatedAt: at }
      : stripUndefined({ tenantId: place.tenantId, id: place.boardId, name: place.name, conversationReference: place.conversationReference, settings: DEFAULT_BOARD_SETTINGS, createdAt: at, updatedAt: at });
    await this.store.boards.put(board);
    await this.sync(place.tenantId, place.boardId, roster, { removeOthers: true });
    const leads = (await this.store.members.list(place.tenantId, place.boardId)).filter((m) => m.role === 'lead');
    if (installerId && !leads.length) {
      const installer = await this.store.members.get(place.tenantId, place.boardId, installerId);
      if (installer) await this.store.members.put({ ...installer, role: 'lead' });
    }
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

  /** The active member the channel knows by this id, if any. */
  async byChannelId(tenantId: string, boardId: string, channelUserId: string): Promise<Member | undefined> {
    return this.store.members.findByChannelId(tenantId, boardId, channelUserId);
  }
}
