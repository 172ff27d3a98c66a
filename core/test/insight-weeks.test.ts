import { localWeekOfHour, weekStartHours } from '../src/insights';

/** The week start of the local date at the start of the UTC hour, straight from Intl: slow, and plainly right. */
function reference(timeZone: string, weekStartsOn: number, hourStart: number): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(hourStart)).map((p) => [p.type, p.value]));
  const local = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)));
  const back = (local.getUTCDay() - weekStartsOn + 7) % 7;
  return new Date(local.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

// Whole-hour zones with DST both ways, zones a half or three quarters of an hour off (with a
// half-hour DST in Lord Howe), and one whose clocks skip midnight when DST starts (Santiago).
const zones: Array<[string, number]> = [
  ['UTC', 1],
  ['Europe/Berlin', 1],
  ['America/New_York', 0],
  ['Asia/Kolkata', 1],
  ['Australia/Lord_Howe', 1],
  ['America/St_Johns', 0],
  ['America/Santiago', 0],
];

test.each(zones)('every hour of 2026 falls in the local week Intl gives for its start: %s, weeks from day %d', (timeZone, weekStartsOn) => {
  const weekOf = localWeekOfHour({ timeZone, weekStartsOn });
  const wrong: string[] = [];
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
    const hour = new Date(t).toISOString().slice(0, 13);
    const expected = reference(timeZone, weekStartsOn, t);
    if (weekOf(hour) !== expected) wrong.push(`${hour}: ${weekOf(hour)} not ${expected}`);
  }
  expect(wrong).toEqual([]);
});

/** The bounds by definition: every hour from the first day's start to `now`, one where its week changes. */
function boundsHourByHour(fromDay: string, now: Date, timeZone: string, weekStartsOn: number): string[] {
  const weekOf = localWeekOfHour({ timeZone, weekStartsOn });
  const bounds: string[] = [];
  let week: string | undefined;
  let t = Date.parse(`${fromDay}T00:00:00.000Z`);
  for (; t <= now.getTime(); t += 3_600_000) {
    const hour = new Date(t).toISOString().slice(0, 13);
    if (weekOf(hour) !== week) bounds.push(hour);
    week = weekOf(hour);
  }
  bounds.push(new Date(t).toISOString().slice(0, 13));
  return bounds;
}

test.each(zones)('week bounds, found week by week, are the hours the week changes at, over 90-day windows through 2026: %s, weeks from day %d', (timeZone, weekStartsOn) => {
  const wrong: string[] = [];
  // Windows starting every 5 days, ending at a time of day that moves through the hours, on and off the hour.
  for (let start = Date.UTC(2025, 11, 1), i = 0; start < Date.UTC(2026, 11, 1); start += 5 * 86_400_000, i++) {
    const fromDay = new Date(start).toISOString().slice(0, 10);
    const now = new Date(start + 90 * 86_400_000 + ((i * 7) % 24) * 3_600_000 + (i % 2 ? 0 : 1_800_000));
    const expected = boundsHourByHour(fromDay, now, timeZone, weekStartsOn);
    const got = weekStartHours(fromDay, now, { timeZone, weekStartsOn });
    if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${fromDay} to ${now.toISOString()}: ${got.join(' ')} not ${expected.join(' ')}`);
  }
  expect(wrong).toEqual([]);
});
