import { type Kind, zeroKindCounts } from './kinds';
import { type Recognition, recipientKeys } from './recognition';
import type { CreditFact } from './store/store';

const DAY_MS = 86_400_000;

/**
 * Live credits of one kind and visibility in one UTC hour of a board. Hours, not days or
 * weeks, so that insight weeks can start at local midnight in any time zone a whole number of
 * hours from UTC.
 */
export interface HourCount {
  /** The UTC hour, as the first 13 characters of an ISO time: 2026-10-25T13. */
  hour: string;
  kind: Kind;
  private: boolean;
  credits: number;
}

/** A board's live credits counted from some time on: per kind and hour, and per member key received. */
export interface CreditCounts {
  hours: HourCount[];
  /** How many live credits each member key received. */
  received: Map<string, number>;
}

/** What the stats store keeps of a board, counted from the start of a UTC day: its credit counts, and when each member key was last credited. */
export interface BoardCounts extends CreditCounts {
  lastCreditedAt: Map<string, string>;
  /** The totals of the days from an earlier day up to the first, when asked for: the previous window's, read in the same pass. */
  previous?: CreditTotals;
}

/** A span's live credits per kind, and per member key received: all the trend of a window needs. */
export interface CreditTotals {
  byKind: Record<Kind, number>;
  received: Map<string, number>;
}

/** The UTC hour a credit counts in. */
export function hourOf(createdAt: string): string {
  return createdAt.slice(0, 13);
}

/** The UTC day (YYYY-MM-DD) of a time. */
export function dayOf(createdAt: string): string {
  return createdAt.slice(0, 10);
}

/** The start of the UTC day after the time's own, as ISO: where day-long counts take over from single credits. */
export function nextUtcDay(iso: string): string {
  return new Date(Date.parse(`${dayOf(iso)}T00:00:00.000Z`) + DAY_MS).toISOString();
}

/** The day number (days since 1970-01-01, UTC) of a time or a YYYY-MM-DD day. */
export function dayNumber(isoOrDay: string): number {
  return Math.floor(Date.parse(`${dayOf(isoOrDay)}T00:00:00.000Z`) / DAY_MS);
}

/**
 * How many days of received counts a member's stats keep: the API's longest window is 365
 * days, and its first, partial day is counted from the credits themselves.
 */
export const RECEIVED_DAYS_KEPT = 366;

/**
 * Received credits per UTC day as kept beside a member's stats: `[day, count, day, count, …]`
 * with day numbers (`dayNumber`). A flat array of numbers, because insights read one per
 * member of the board and parsing these is several times faster than objects keyed by date.
 */
export type ReceivedDays = number[];

/**
 * Counts a credit (sign +1) or its removal (-1) on the day it was given, for a member it
 * names as a recipient. Days with nothing left and days older than RECEIVED_DAYS_KEPT before
 * the latest are dropped, so the array stays small; removing from a dropped day changes nothing.
 */
export function countReceivedDay(days: readonly number[], createdAt: string, sign: 1 | -1): ReceivedDays {
  const day = dayNumber(createdAt);
  const counts = new Map<number, number>();
  for (let i = 0; i + 1 < days.length; i += 2) counts.set(days[i], (counts.get(days[i]) ?? 0) + days[i + 1]);
  const current = counts.get(day);
  if (sign > 0) counts.set(day, (current ?? 0) + 1);
  else if (current !== undefined) counts.set(day, current - 1);
  const latest = Math.max(...counts.keys());
  const out: number[] = [];
  for (const [d, n] of [...counts].sort(([a], [b]) => a - b)) if (n > 0 && d > latest - RECEIVED_DAYS_KEPT) out.push(d, n);
  return out;
}

/** What the days hold from the day number `from` on, and from `previousFrom` up to `from`, in one pass. */
export function receivedSplit(days: readonly number[], from: number, previousFrom: number): [number, number] {
  let current = 0;
  let previous = 0;
  for (let i = 0; i + 1 < days.length; i += 2) {
    if (days[i] >= from) current += days[i + 1];
    else if (days[i] >= previousFrom) previous += days[i + 1];
  }
  return [current, previous];
}

/**
 * A board's counts from the kept stats (member key, last credited, received days as stored,
 * which `daysOf` reads), split at the UTC day `fromDay`: the window's hours (from that day on)
 * and days, and with `previous` the days from its day up to `fromDay`, beside that span's
 * credits per kind. One pass over the stats, so insights with a trend read each member's days once.
 */
export function splitKeptCounts<Days>(
  stats: Iterable<readonly [memberKey: string, lastCreditedAt: string | null | undefined, receivedDays: Days, ...rest: unknown[]]>,
  daysOf: (kept: Days) => ReceivedDays,
  fromDay: string,
  hours: HourCount[],
  previous?: { fromDay: string; byKind: Record<Kind, number> },
): BoardCounts {
  const earliest = previous?.fromDay ?? fromDay;
  const [from, previousFrom] = [dayNumber(fromDay), dayNumber(earliest)];
  const lastCreditedAt = new Map<string, string>();
  const received = new Map<string, number>();
  const receivedBefore = new Map<string, number>();
  for (const [key, last, days] of stats) {
    if (!last) continue;
    lastCreditedAt.set(key, last);
    // Nobody last credited before the earliest day received anything since: their days need no parsing.
    if (last < earliest) continue;
    const [current, before] = receivedSplit(daysOf(days), from, previousFrom);
    if (current) received.set(key, current);
    if (before) receivedBefore.set(key, before);
  }
  const counts: BoardCounts = { lastCreditedAt, hours, received };
  if (previous) counts.previous = { byKind: previous.byKind, received: receivedBefore };
  return counts;
}

/** The credits per kind of some counted hours. */
export function byKindOf(hours: readonly HourCount[]): Record<Kind, number> {
  const byKind = zeroKindCounts();
  for (const h of hours) byKind[h.kind] += h.credits;
  return byKind;
}

/** The totals of some counts. */
export function totalsOf(counts: CreditCounts): CreditTotals {
  return { byKind: byKindOf(counts.hours), received: counts.received };
}

/** Totals of two spans together (sign 1), or of the first without the second, a span inside it (-1). */
export function addTotals(a: CreditTotals, b: CreditTotals, sign: 1 | -1 = 1): CreditTotals {
  const byKind = { ...a.byKind };
  for (const kind of Object.keys(byKind) as Kind[]) byKind[kind] += sign * b.byKind[kind];
  const received = new Map(a.received);
  for (const [key, n] of b.received) received.set(key, (received.get(key) ?? 0) + sign * n);
  return { byKind, received };
}

/** The day counts of every member key the live credits name, in one pass over them (a rebuild). */
export function receivedDaysByKey(credits: readonly Recognition[]): Map<string, ReceivedDays> {
  const perKey = new Map<string, Map<number, number>>();
  for (const rec of credits) {
    if (rec.deletedAt) continue;
    const day = dayNumber(rec.createdAt);
    for (const key of new Set(recipientKeys(rec))) {
      const days = perKey.get(key) ?? new Map<number, number>();
      days.set(day, (days.get(day) ?? 0) + 1);
      perKey.set(key, days);
    }
  }
  const out = new Map<string, ReceivedDays>();
  for (const [key, days] of perKey) {
    const latest = Math.max(...days.keys());
    out.set(key, [...days].sort(([a], [b]) => a - b).flatMap(([d, n]) => (d > latest - RECEIVED_DAYS_KEPT ? [d, n] : [])));
  }
  return out;
}

/**
 * The counts of a set of credit facts: what the stores keep, computed from the credits
 * themselves. Facts carry no visibility, so they count as `asPrivate` says.
 */
export function countsOf(facts: readonly CreditFact[], asPrivate = false): CreditCounts {
  const hours = new Map<string, HourCount>();
  const received = new Map<string, number>();
  for (const f of facts) {
    const hour = hourOf(f.createdAt);
    const id = `${hour}|${f.kind}`;
    const entry = hours.get(id) ?? { hour, kind: f.kind, private: asPrivate, credits: 0 };
    entry.credits += 1;
    hours.set(id, entry);
    for (const key of new Set(f.recipientKeys)) received.set(key, (received.get(key) ?? 0) + 1);
  }
  return { hours: [...hours.values()], received };
}

/** Two counts of disjoint spans of time, together. */
export function addCounts(a: CreditCounts, b: CreditCounts): CreditCounts {
  const received = new Map(a.received);
  for (const [key, n] of b.received) received.set(key, (received.get(key) ?? 0) + n);
  return { hours: a.hours.concat(b.hours), received };
}

/** The credit facts of a credit: its kind, time and the keys of its recipients, each once. */
export function factOf(rec: Recognition): CreditFact {
  return { kind: rec.kind, createdAt: rec.createdAt, recipientKeys: [...new Set(recipientKeys(rec))] };
}

/**
 * One UTC day of a board's counts as one document holds them (Cosmos DB): credits per
 * `HH|kind|board` or `HH|kind|private` key.
 */
export type DayHours = Record<string, number>;

/** The day's counts once a credit of that day is counted (sign +1) or removed (-1). */
export function countInDay(hours: Readonly<DayHours>, rec: Pick<Recognition, 'createdAt' | 'kind' | 'visibility'>, sign: 1 | -1): DayHours {
  const key = `${rec.createdAt.slice(11, 13)}|${rec.kind}|${rec.visibility === 'private' ? 'private' : 'board'}`;
  const next = { ...hours, [key]: Math.max(0, (hours[key] ?? 0) + sign) };
  if (!next[key]) delete next[key];
  return next;
}

/** The hour counts a day's document holds. */
export function hoursOfDay(day: string, hours: Readonly<DayHours>): HourCount[] {
  return Object.entries(hours).map(([key, credits]) => {
    const [hh, kind, visibility] = key.split('|');
    return { hour: `${day}T${hh}`, kind: kind as Kind, private: visibility === 'private', credits };
  });
}

/** Board-visible credits per kind: from the hours counted, and the facts of a span before them read one by one. */
export function boardCreditsByKind(hours: readonly HourCount[], boardFacts: readonly CreditFact[]): Record<Kind, number> {
  const byKind = zeroKindCounts();
  for (const h of hours) if (!h.private) byKind[h.kind] += h.credits;
  for (const f of boardFacts) byKind[f.kind] += 1;
  return byKind;
}
