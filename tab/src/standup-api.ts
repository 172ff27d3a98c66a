import { type Credit, type NoticedApi, enc } from '../../core/browser';

/** The board's stand-up now, the same on every screen (GET …/standup). */
export interface StandupSession {
  since: string;
  lastHeldAt: string | null;
  /** Board-visible credits since then, oldest first. */
  credits: Credit[];
  spotlight: { userId: string; name: string } | null;
}

/** What marking a stand-up held did (POST …/standup). */
export interface StandupHeld {
  recorded: boolean;
  lastHeldAt: string | null;
}

// Functions beside stand-up mode rather than client methods, so only its lazily loaded chunk carries them.
/** Where the presenter starts: since the last stand-up, this week, or the last 7 days (the last two replay). */
export type StandupWindow = 'last' | 'week' | '7d';

/** The board's stand-up now, from the chosen start. */
export function standupSession(api: NoticedApi, boardId: string, window: StandupWindow = 'last'): Promise<StandupSession> {
  return api.call('GET', `/boards/${enc(boardId)}/standup?window=${window}`);
}

/** Marks held the stand-up that started at `since`, so the next one starts now and spotlights someone else. */
export function holdStandup(api: NoticedApi, boardId: string, since: string): Promise<StandupHeld> {
  return api.call('POST', `/boards/${enc(boardId)}/standup`, { since });
}
