import type { BoardApi, FeedFilters, Kind } from '../../core/browser';

/** The periods the board can show, in days (0 = all time). */
export const PERIODS: Array<{ value: string; label: string; days: number }> = [
  { value: '7', label: 'Last 7 days', days: 7 },
  { value: '30', label: 'Last 30 days', days: 30 },
  { value: '90', label: 'Last 90 days', days: 90 },
  { value: 'all', label: 'All time', days: 0 },
];

/** The period the board opens with. */
export const DEFAULT_PERIOD = '30';

/** The feed query for the board's filter values ('' = any kind, anyone). */
export function feedFilters(period: string, kind: Kind | '', person: string): FeedFilters {
  const days = PERIODS.find((p) => p.value === period)?.days ?? 30;
  return { kind: kind || undefined, person: person || undefined, days: days || undefined };
}

/** One page of the board's feed, as the API answers it. */
export type FeedPage = Awaited<ReturnType<BoardApi['recognitions']>>;
