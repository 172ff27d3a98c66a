import { z } from 'zod';
import type { BoardPreferences, Member } from './board';
import { refuseIssue, wholeNumber } from './board-settings';
import type { Caller, Noticed } from './noticed';
import type { Store } from './store/store';

/** A change to one's preferences: any of them, nothing else. */
export const preferencesChangeSchema = z
  .strictObject(
    {
      prefersPrivate: z.boolean({ error: 'prefersPrivate must be true or false.' }),
      optedOut: z.boolean({ error: 'optedOut must be true or false.' }),
      reminderDay: wholeNumber(0, 6, 'reminderDay must be a weekday from 0 (Sunday) to 6 (Saturday), or null for no reminders.').nullable(),
      creditNotifications: z.boolean({ error: 'creditNotifications must be true or false.' }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown preference: ${issue.keys.join(', ')}.` : 'Send the preferences to change as a JSON object.') },
  )
  .partial()
  .refine((change) => Object.keys(change).length > 0, 'Say which preferences to change.');

/** A change to one's preferences, as validated. */
export type PreferencesChange = z.infer<typeof preferencesChangeSchema>;

/** What a credit's giver is told when a recipient's preference made it private. */
export const MADE_PRIVATE = 'Someone you credited prefers private credit, so this credit is private: only you and the people you credited see it.';

/**
 * Everyone's preferences, on one board or on all their boards in the tenant. Only the
 * caller's own roster entries are ever read or written: nobody, lead or admin, can opt
 * someone else out or back in.
 */
export class Preferences {
  constructor(
    private readonly store: Store,
    private readonly noticed: Noticed,
  ) {}

  /** The caller's preferences on the board, or on every board they are on. */
  async get(caller: Caller, boardId?: string): Promise<BoardPreferences[]> {
    const entries = await this.entries(caller, boardId);
    return this.view(caller, entries);
  }

  /** Changes the caller's preferences on the board, or on every board they are on; bad input changes nothing. */
  async change(caller: Caller, raw: unknown, boardId?: string): Promise<BoardPreferences[]> {
    const parsed = preferencesChangeSchema.safeParse(raw);
    if (!parsed.success) throw refuseIssue(parsed.error);
    const entries = await this.entries(caller, boardId);
    const changed = entries.map((m) => applyChange(m, parsed.data));
    if (changed.length) await this.store.members.putMany(changed);
    return this.view(caller, changed);
  }

  /** The caller's own active roster entries. */
  private async entries(caller: Caller, boardId?: string): Promise<Member[]> {
    // Keyed by the verified caller's user id, never an id from the request: otherwise anyone could opt another person out, or back in.
    if (boardId) return [(await this.noticed.requireMember(caller, boardId)).member];
    return this.store.members.boardsOf(caller.tenantId, caller.userId);
  }

  private async view(caller: Caller, entries: readonly Member[]): Promise<BoardPreferences[]> {
    const boards = await Promise.all(entries.map((m) => this.store.boards.get(caller.tenantId, m.boardId)));
    return entries.flatMap((m, i) => {
      const board = boards[i];
      if (!board) return [];
      return [{ boardId: m.boardId, boardName: board.name, prefersPrivate: m.prefersPrivate, optedOut: m.optedOut, reminderDay: m.reminderDay ?? null, creditNotifications: m.creditNotifications !== false }];
    });
  }
}

function applyChange(member: Member, change: PreferencesChange): Member {
  const { reminderDay, ...rest } = change;
  const next: Member = { ...member, ...rest };
  if (reminderDay === null) delete next.reminderDay;
  else if (reminderDay !== undefined) next.reminderDay = reminderDay;
  return next;
}
