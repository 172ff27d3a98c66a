import { localWeekOfHour } from '../src/insights';

/** The week start of the local date at the start of the UTC hour, straight from Intl: slow, and plainly right. */
function reference(timeZone: string, weekStartsOn: number, hourStart: number): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(hourStart)).map((p) => [p.type, p.value]));
  const local = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)));
  const back = (local.getUTCDay() - weekStartsOn + 7) % 7;
  return new Date(local.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

// Whole-hour zones with DST both ways, and zones a half or three quarters of an hour off (with a half-hour DST in Lord Howe).
const zones: Array<[string, number]> = [
  ['UTC', 1],
  ['Europe/Berlin', 1],
  ['America/New_York', 0],
  ['Asia/Kolkata', 1],
  ['Australia/Lord_Howe', 1],
  ['America/St_Johns', 0],
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
