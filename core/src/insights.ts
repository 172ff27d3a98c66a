import { type Member, type MemberStats, isActive } from './board';
import { KINDS, KIND_IDS, type Kind, zeroKindCounts } from './kinds';
import { type CreditCounts, type CreditTotals, RECEIVED_DAYS_KEPT, countsOf, totalsOf } from './credit-counts';
import { localTime, zonedInstant } from './schedule';
import type { CreditFact, RosterPerson } from './store/store';

/** Someone on the roster who has not been credited within the window. */
export interface UnnoticedMember {
  userId: string;
  name: string;
  /** Undefined when the member has never been credited on this board. */
  lastCreditedAt?: string;
  daysSinceCredited?: number;
}

/** Credits per kind in one week of the window. */
export interface KindWeek {
  weekStart: string;
  counts: Record<Kind, number>;
}

/** What a lead sees about a board over a window of days (DESIGN §1, principle 4). */
export interface Insights {
  days: number;
  since: string;
  rosterSize: number;
  /** Roster members credited at least once in the window. */
  creditedCount: number;
  /** creditedCount / rosterSize, 0 when the roster is empty. */
  coverage: number;
  unnoticed: UnnoticedMember[];
  totalCredits: number;
  kindMix: Record<Kind, number>;
  /** Share of the window's credits that went to behind-the-scenes kinds. */
  behindTheScenesShare: number;
  kindMixByWeek: KindWeek[];
  concentration: {
    /** Share of credit received by the most-credited fifth of the roster (at least one person). */
    topFifthShare: number;
    /** 0 = credit spread evenly across the roster, 1 = all of it to one person. */
    gini: number;
  };
  /** The same numbers for the window of the same length just before, to show the trend; absent when the counts kept do not reach back that far. */
  previous?: PreviousWindow;
}

/** The headline numbers of the window before the one asked for. */
export interface PreviousWindow {
  since: string;
  coverage: number;
  behindTheScenesShare: number;
  totalCredits: number;
}

/** Windows up to this many days get a previous window: members' received days reach back RECEIVED_DAYS_KEPT days. */
export const PREVIOUS_WINDOW_MAX_DAYS = Math.floor(RECEIVED_DAYS_KEPT / 2);

/**
 * The previous window's headline numbers from its counts, by the same rules as the window's own:
 * coverage counts only credits received within it, as the last credit says nothing about a past window.
 */
export function previousWindow(roster: readonly RosterPerson[], totals: CreditTotals, days: number, windowStart: Date): PreviousWindow {
  const people = roster.filter((m) => isActive(m) && !m.optedOut);
  const credited = people.filter((m) => (totals.received.get(m.userId) ?? 0) > 0).length;
  const totalCredits = KIND_IDS.reduce((sum, kind) => sum + totals.byKind[kind], 0);
  const behind = KINDS.filter((k) => k.behindTheScenes).reduce((sum, k) => sum + totals.byKind[k.id], 0);
  return {
    since: new Date(windowStart.getTime() - days * DAY_MS).toISOString(),
    coverage: people.length ? credited / people.length : 0,
    behindTheScenesShare: totalCredits ? behind / totalCredits : 0,
    totalCredits,
  };
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Where a board's weeks start: the day and the time zone (BoardSettings' names). */
export interface WeekRule {
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekStartsOn: number;
}

/** Weeks as they were before boards had a time zone: Monday, UTC. */
export const UTC_MONDAY_WEEKS: WeekRule = { timeZone: 'UTC', weekStartsOn: 1 };

/**
 * Insights for a board from the facts of its credits: the reference the stores' counts must
 * agree with, and what a store falls back to when it has no counts for a board.
 */
export function computeInsights(roster: Member[], stats: MemberStats[], facts: CreditFact[], days: number, now: Date, weeks: WeekRule = UTC_MONDAY_WEEKS): Insights {
  const sinceIso = new Date(now.getTime() - days * DAY_MS).toISOString();
  const lastCreditedAt = new Map(stats.flatMap((s) => (s.lastCreditedAt ? [[s.memberKey, s.lastCreditedAt] as const] : [])));
  const insights = insightsFromCounts(roster, lastCreditedAt, countsOf(facts.filter((f) => f.createdAt >= sinceIso)), days, now, weeks);
  if (days > PREVIOUS_WINDOW_MAX_DAYS) return insights;
  const previousSince = new Date(now.getTime() - 2 * days * DAY_MS).toISOString();
  const before = countsOf(facts.filter((f) => f.createdAt >= previousSince && f.createdAt < sinceIso));
  return { ...insights, previous: previousWindow(roster, totalsOf(before), days, new Date(sinceIso)) };
}

/**
 * Insights for a board: the roster (active, not opted out), when each member key was last
 * credited, and the counts of the window's credits (per kind and hour, per member received),
 * so no credit is read one by one.
 * Pure, so the same numbers come out of either store.
 */
export function insightsFromCounts(
  roster: readonly RosterPerson[],
  lastCreditedAt: ReadonlyMap<string, string>,
  counts: CreditCounts,
  days: number,
  now: Date,
  weeks: WeekRule = UTC_MONDAY_WEEKS,
): Insights {
  const since = new Date(now.getTime() - days * DAY_MS);
  const sinceIso = since.toISOString();
  const people = roster.filter((m) => isActive(m) && !m.optedOut);

  // What each person received, in the roster's order.
  const received = people.map((m) => counts.received.get(m.userId) ?? 0);
  const kindMix = zeroKindCounts();
  const byWeek = new Map<string, Record<Kind, number>>();
  const weekOf = localWeekOfHour(weeks);
  let totalCredits = 0;
  for (const h of counts.hours) {
    if (!h.credits) continue;
    totalCredits += h.credits;
    kindMix[h.kind] += h.credits;
    const week = weekOf(h.hour);
    const c = byWeek.get(week) ?? zeroKindCounts();
    c[h.kind] += h.credits;
    byWeek.set(week, c);
  }

  const unnoticed: UnnoticedMember[] = [];
  let creditedCount = 0;
  for (let i = 0; i < people.length; i++) {
    const m = people[i];
    const last = lastCreditedAt.get(m.userId);
    if (received[i] > 0 || (last !== undefined && last >= sinceIso)) {
      creditedCount += 1;
      continue;
    }
    unnoticed.push({
      userId: m.userId,
      name: m.name,
      lastCreditedAt: last,
      daysSinceCredited: last ? Math.floor((now.getTime() - Date.parse(last)) / DAY_MS) : undefined,
    });
  }
  // Never-credited first, then the longest unnoticed; names, then ids, break ties, so the list is
  // the same whatever order the roster came in.
  unnoticed.sort((a, b) => (a.lastCreditedAt ?? '').localeCompare(b.lastCreditedAt ?? '') || a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));

  const behind = KINDS.filter((k) => k.behindTheScenes).reduce((sum, k) => sum + kindMix[k.id], 0);

  return {
    days,
    since: sinceIso,
    rosterSize: people.length,
    creditedCount,
    coverage: people.length ? creditedCount / people.length : 0,
    unnoticed,
    totalCredits,
    kindMix,
    behindTheScenesShare: totalCredits ? behind / totalCredits : 0,
    kindMixByWeek: [...byWeek.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([weekStart, c]) => ({ weekStart, counts: c })),
    concentration: { topFifthShare: topFifthShare(received), gini: gini(received) },
  };
}

/** Share of the total held by the largest fifth of the values (at least one value). */
export function topFifthShare(values: readonly number[]): number {
  const total = values.reduce((a, b) => a + b, 0);
  if (!total) return 0;
  // A typed array sorts numbers natively: a roster of thousands is sorted on every insights call.
  const ascending = Float64Array.from(values).sort();
  const top = ascending.subarray(ascending.length - Math.max(1, Math.ceil(values.length / 5)));
  return top.reduce((a, b) => a + b, 0) / total;
}

/** The Gini coefficient of the values: 0 when all are equal, approaching 1 when one holds everything. */
export function gini(values: readonly number[]): number {
  const n = values.length;
  const total = values.reduce((a, b) => a + b, 0);
  if (n < 2 || !total) return 0;
  const sorted = Float64Array.from(values).sort();
  let weighted = 0;
  sorted.forEach((v, i) => (weighted += (i + 1) * v));
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/**
 * The UTC hours (as HourCount's `hour`) that bound the board's local weeks from the start of
 * the UTC day `fromDay` up to `now`: that first hour, each hour the week changes at, and last
 * the hour after `now`'s. Every hour from one to the next lies in one week, so a store may sum them.
 */
export function weekStartHours(fromDay: string, now: Date, weeks: WeekRule): string[] {
  const first = `${fromDay}T00`;
  const bounds = [first];
  const end = (Math.floor(now.getTime() / HOUR_MS) + 1) * HOUR_MS;
  // Week by week, not hour by hour: an hour is in the week of the local date at its start, so a
  // week's first hour is the first that starts at or after its first local moment (an hour
  // later where clocks skip midnight); found in two clock readings, not one per day.
  const [y, m, d] = localWeekOfHour(weeks)(first).split('-').map(Number);
  for (let start = Date.UTC(y, m - 1, d + 7); ; start += 7 * DAY_MS) {
    const day = new Date(start);
    const begins = zonedInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 0, weeks.timeZone).getTime();
    const hour = Math.ceil(begins / HOUR_MS) * HOUR_MS;
    if (hour >= end) break;
    bounds.push(new Date(hour).toISOString().slice(0, 13));
  }
  bounds.push(new Date(end).toISOString().slice(0, 13));
  return bounds;
}

/**
 * The first day (YYYY-MM-DD, local) of the local week each UTC hour falls in. The offset from
 * UTC is taken at the start of the hour, so in a zone a whole number of hours from UTC every
 * credit of the hour is in the right week; in a :30 or :45 zone (India, Nepal) credits that
 * late in the hour before local midnight on a week's first day count in the week before.
 * Offsets are looked up once per UTC day, and per hour only on a day the offset changes (DST).
 */
export function localWeekOfHour(rule: WeekRule): (hour: string) => string {
  /** Minutes the zone is ahead of UTC at the time (the schedule's clock: one formatter per zone, made once). */
  const offsetAt = (ms: number): number => {
    const t = localTime(new Date(ms), rule.timeZone);
    return (Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute) - Math.floor(ms / 60_000) * 60_000) / 60_000;
  };
  // Per UTC day: its day number and the offset of every hour, the same one unless the day has a change.
  const days = new Map<string, { dayNumber: number; offsets: number[] }>();
  const names = new Map<number, string>();
  let last: [string, string] | undefined;
  return (hour) => {
    // Stores hand over the hours in order, several kinds to an hour.
    if (last && last[0] === hour) return last[1];
    const day = hour.slice(0, 10);
    let known = days.get(day);
    if (!known) {
      const midnight = Date.parse(`${day}T00:00:00.000Z`);
      const [first, lastHour] = [offsetAt(midnight), offsetAt(midnight + 23 * 3_600_000)];
      const offsets = first === lastHour ? Array<number>(24).fill(first) : Array.from({ length: 24 }, (_, h) => offsetAt(midnight + h * 3_600_000));
      known = { dayNumber: Math.floor(midnight / DAY_MS), offsets };
      days.set(day, known);
    }
    const hh = Number(hour.slice(11, 13));
    const localDay = known.dayNumber + Math.floor((hh * 60 + known.offsets[hh]) / 1440);
    // Day 0, 1 January 1970, was a Thursday (4).
    const weekDay = localDay - (((localDay + 4 - rule.weekStartsOn) % 7) + 7) % 7;
    let week = names.get(weekDay);
    if (!week) {
      week = new Date(weekDay * DAY_MS).toISOString().slice(0, 10);
      names.set(weekDay, week);
    }
    last = [hour, week];
    return week;
  };
}
