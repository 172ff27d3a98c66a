/** A weekly moment: a weekday at a local hour in a time zone. */
export interface WeeklySlot {
  /** 0 = Sunday … 6 = Saturday, local to the time zone. */
  weekday: number;
  /** The local hour, 0–23. */
  hour: number;
  /** An IANA time zone name. */
  timeZone: string;
  /** The day the week starts on, 0 = Sunday … 6: it names the period a slot belongs to. */
  weekStartsOn: number;
}

/** A slot that is due: which week it belongs to and when it fell. */
export interface DueSlot {
  /** The week the slot belongs to, named by its first local day: `week-of-2026-11-30`. Once per period is the rule. */
  period: string;
  /** When the slot fell (UTC). */
  at: Date;
  /** How late it is now, in milliseconds: 0 up to `CATCH_UP_MS`. */
  lateMs: number;
}

/**
 * How late a missed slot may still be sent. A server down over the digest hour sends it once
 * when it is back, but not beyond a day: a Friday digest read on Monday is about last week,
 * and by then the team has moved on. A day also covers a deploy or an outage overnight.
 */
export const CATCH_UP_MS = 24 * 3_600_000;

const DAY_MS = 86_400_000;
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in the time zone at an instant. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

/** What a clock in the time zone shows at the instant (Intl, so DST follows the time zone database). */
export function localTime(at: Date, timeZone: string): LocalTime {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(at)) parts[p.type] = p.value;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: WEEKDAYS[parts.weekday] };
}


/**
 * The instant a local wall time happens in the time zone. The offset is read at a first guess
 * and again at the result, which settles it on either side of a DST change; an hour that the
 * clocks skip (02:30 on a spring-forward night) comes out an hour later, as clocks show it.
 */
export function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  const offsetAt = (instant: number) => {
    const t = localTime(new Date(instant), timeZone);
    return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute) - Math.floor(instant / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  const second = wall - offsetAt(first);
  return new Date(Math.max(first, second));
}

/** The local calendar date `days` after the given one, as year, month and day. */
function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isoDate(d: { year: number; month: number; day: number }): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The period (local week) a local date belongs to, for a week that starts on `weekStartsOn`. */
export function periodOf(local: { year: number; month: number; day: number; weekday: number }, weekStartsOn: number): string {
  return `week-of-${isoDate(addDays(local.year, local.month, local.day, -((local.weekday - weekStartsOn + 7) % 7)))}`;
}

/** The latest time the slot fell at or before `now`. */
export function latestSlot(slot: WeeklySlot, now: Date): { at: Date; period: string } {
  const today = localTime(now, slot.timeZone);
  // Today's date, or up to seven days back, until the slot's weekday at its hour is not in the future.
  for (let back = (today.weekday - slot.weekday + 7) % 7; ; back += 7) {
    const date = addDays(today.year, today.month, today.day, -back);
    const at = zonedInstant(date.year, date.month, date.day, slot.hour, slot.timeZone);
    if (at.getTime() <= now.getTime()) return { at, period: periodOf({ ...date, weekday: slot.weekday }, slot.weekStartsOn) };
  }
}

/**
 * The slot due now, if any: the latest one, when it fell at most `CATCH_UP_MS` ago. Only the
 * latest is ever due, so a server down for weeks sends one message when it is back, not one
 * per missed week; whether it was sent already is the send record's to say.
 */
export function dueSlot(slot: WeeklySlot, now: Date): DueSlot | undefined {
  const { at, period } = latestSlot(slot, now);
  const lateMs = now.getTime() - at.getTime();
  return lateMs <= CATCH_UP_MS ? { period, at, lateMs } : undefined;
}

/** The instant `days` whole days before the given one. */
export function daysBefore(at: Date, days: number): Date {
  return new Date(at.getTime() - days * DAY_MS);
}
