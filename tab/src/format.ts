import type { Recipient } from '../../core/browser';

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const dateFormat = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', year: 'numeric' });

/** "3 days ago", "yesterday", "in 2 hours" for an ISO time. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 7],
    ['week', 4.35],
    ['month', 12],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), 'year');
}

/** "12 Mar 2025". */
export function shortDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** "Ana", "Ana and Ben", "Ana, Ben and Chidi". */
export function names(people: Array<Pick<Recipient, 'name'>>): string {
  const list = people.map((p) => p.name);
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/** "1 credit", "3 credits". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "3 credits, 2 of them behind the scenes"; with one credit, or all or none behind the scenes, said plainly. */
export function creditSummary(total: number, behind: number): string {
  if (!total) return plural(0, 'credit');
  if (total === 1) return behind ? '1 credit, behind the scenes' : '1 credit, for a visible win';
  if (behind === total) return `${plural(total, 'credit')}, all behind the scenes`;
  if (!behind) return `${plural(total, 'credit')}, none behind the scenes`;
  return `${plural(total, 'credit')}, ${behind} of them behind the scenes`;
}

/** "42%". */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Only https links are shown as links: anything else (javascript:, data:) could run code. */
export function safeLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** "up 12 points from the previous 30 days", "down 3 points …", "same as the previous 30 days": a change of a share in words, never colour alone. */
export function shareTrend(share: number, previousShare: number, days: number): string {
  const points = Math.round(share * 100) - Math.round(previousShare * 100);
  const window = `the previous ${plural(days, 'day')}`;
  if (!points) return `same as ${window}`;
  return `${points > 0 ? 'up' : 'down'} ${plural(Math.abs(points), 'point')} from ${window}`;
}
