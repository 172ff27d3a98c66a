import { type Credit, type LivePosition, type NoticedApi, type StandupWindow, enc } from '../../core/browser';

export type { LivePosition, StandupWindow };

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
/** The board's stand-up now, from the chosen start. */
export function standupSession(api: NoticedApi, boardId: string, window: StandupWindow = 'last'): Promise<StandupSession> {
  return api.call('GET', `/boards/${enc(boardId)}/standup?window=${window}`);
}

/** Marks held the stand-up that started at `since`, so the next one starts now and spotlights someone else. */
export function holdStandup(api: NoticedApi, boardId: string, since: string): Promise<StandupHeld> {
  return api.call('POST', `/boards/${enc(boardId)}/standup`, { since });
}

/** The presented stand-up's position, or null when nobody presents one. */
export async function livePosition(api: NoticedApi, boardId: string): Promise<LivePosition | null> {
  return (await api.call<{ live: LivePosition | null }>('GET', `/boards/${enc(boardId)}/standup/live`)).live;
}

/** Leads: presents the stand-up to the meeting from the chosen start; the caller becomes the presenter. */
export async function presentStandup(api: NoticedApi, boardId: string, window: StandupWindow = 'last'): Promise<LivePosition> {
  return (await api.call<{ live: LivePosition }>('POST', `/boards/${enc(boardId)}/standup/live`, { window })).live;
}

/** The presenter moves everyone's screen to `slide`. */
export async function moveStandup(api: NoticedApi, boardId: string, slide: number): Promise<LivePosition> {
  return (await api.call<{ live: LivePosition }>('PUT', `/boards/${enc(boardId)}/standup/live`, { slide })).live;
}

/** The presented stand-up's slides, the same on every screen. */
export function liveSession(api: NoticedApi, boardId: string): Promise<StandupSession> {
  return api.call('GET', `/boards/${enc(boardId)}/standup/live/session`);
}
