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

/** What the days hold from a day number on. */
export function receivedFrom(days: readonly number[], fromDay: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < days.length; i += 2) if (days[i] >= fromDay) sum += days[i + 1];
  return sum;
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
  return { hours: [...a.hours, ...b.hours], received };
}

/**
 * Counts of a span without the counts of a span inside it (`inner` counted within `outer`).
 * Hours are netted per hour and kind, as facts carry no visibility: the result's are all board-visible.
 */
export function subtractCounts(outer: CreditCounts, inner: CreditCounts): CreditCounts {
  const hours = new Map<string, HourCount>();
  for (const [h, sign] of [...outer.hours.map((x) => [x, 1] as const), ...inner.hours.map((x) => [x, -1] as const)]) {
    const id = `${h.hour}|${h.kind}`;
    const entry = hours.get(id) ?? { hour: h.hour, kind: h.kind, private: false, credits: 0 };
    entry.credits += sign * h.credits;
    hours.set(id, entry);
  }
  const received = new Map(outer.received);
  for (const [key, n] of inner.received) received.set(key, (received.get(key) ?? 0) - n);
  return { hours: [...hours.values()].filter((h) => h.credits > 0), received };
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
