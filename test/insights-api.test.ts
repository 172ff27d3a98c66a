import { DEFAULT_BOARD_SETTINGS } from '../core';
import { TENANT, type TestApp, startTestApp } from './support/test-app';

const BOARD = 'team-1';
const LEAD = 'user-lead';

let t: TestApp;
/** The domain's clock: each credit is given at its own time, then insights are asked for later. */
let clock = new Date();

beforeEach(async () => {
  t = await startTestApp({}, { now: () => clock });
  await t.board(TENANT, BOARD, [
    { userId: 'user-ana', name: 'Ana López' },
    { userId: 'user-ben', name: "Ben O'Neil" },
    { userId: LEAD, name: 'Lee Lead', role: 'lead' },
  ]);
});
afterEach(() => t.close());

/** A board's time zone and week start, credits given at these times (UTC), and the credits per week start the lead sees. */
type WeekCase = [zone: string, weekStartsOn: number, givenAt: string[], weeks: Record<string, number>];

const cases: WeekCase[] = [
  // Sunday 23:30 and Monday 00:30 in summer time (CEST, UTC+2), then Sunday 02:30 CEST just before
  // the change back on 25 October, Sunday 23:30 and Monday 00:30 in winter time (CET, UTC+1).
  ['Europe/Berlin', 1, ['2026-10-18T21:30:00Z', '2026-10-18T22:30:00Z', '2026-10-25T00:30:00Z', '2026-10-25T22:30:00Z', '2026-10-25T23:30:00Z'], { '2026-10-12': 1, '2026-10-19': 3, '2026-10-26': 1 }],
  // Weeks from Sunday: Saturday 23:30 and Sunday 00:30 local.
  ['Europe/Berlin', 0, ['2026-10-24T21:30:00Z', '2026-10-24T22:30:00Z'], { '2026-10-18': 1, '2026-10-25': 1 }],
  // A UTC board keeps Monday, UTC weeks.
  ['UTC', 1, ['2026-10-18T23:30:00Z', '2026-10-19T00:30:00Z'], { '2026-10-12': 1, '2026-10-19': 1 }],
];

test.each(cases)('insights weeks start on the board\'s week start in its time zone: %s, day %d', async (timeZone, weekStartsOn, givenAt, weeks) => {
  const board = await t.app.store.boards.get(TENANT, BOARD);
  await t.app.store.boards.put({ ...board!, settings: { ...DEFAULT_BOARD_SETTINGS, timeZone, weekStartsOn } });
  const ana = await t.token();
  for (const [n, at] of givenAt.entries()) {
    clock = new Date(at);
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: { recipients: [{ userId: 'user-ben' }], message: `Unblocked the release, take ${n}`, kind: 'enabled' } });
    expect(res.status).toBe(201);
  }
  clock = new Date('2026-11-04T12:00:00Z');
  const res = await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=30`, { token: await t.token({ oid: LEAD, name: 'Lee Lead' }) });
  expect(res.status).toBe(200);
  expect(Object.fromEntries(res.body.kindMixByWeek.map((w: { weekStart: string; counts: { enabled: number } }) => [w.weekStart, w.counts.enabled]))).toEqual(weeks);
  expect(res.body).toMatchObject({ totalCredits: givenAt.length, kindMix: { enabled: givenAt.length } });
});
