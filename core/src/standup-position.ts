// The stand-up's shapes the tab shares with the server, apart from standup.ts, which needs the store.

/**
 * Where the presenter starts a stand-up: since the last one (holding it moves the board on),
 * this week (the board's week, in its time zone) or the last 7 days. The last two replay:
 * a rehearsal does not use up the meeting.
 */
export const STANDUP_WINDOWS = ['last', 'week', '7d'] as const;
/** One of {@link STANDUP_WINDOWS}. */
export type StandupWindow = (typeof STANDUP_WINDOWS)[number];

/** Where a presented stand-up is, as every screen in the meeting follows it. */
export interface LivePosition {
  presenter: { userId: string; name: string };
  window: StandupWindow;
  slide: number;
  /** Which deck: a new presentation has a new one, and screens fetch its slides again. */
  startedAt: string;
  /** True when the caller is the presenter, so their screen shows the controls. */
  presenting: boolean;
}
