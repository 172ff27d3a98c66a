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

/** Credits (recipient, kind, given at) in both windows, the window asked for, and the previous window's numbers the lead sees. */
type TrendCase = [days: number, credits: Array<[recipient: string, kind: string, at: string]>, previous: { coverage: number; behindTheScenesShare: number; totalCredits: number }, current: { coverage: number; totalCredits: number }];

const NOW = '2026-11-04T12:00:00Z';
const trendCases: TrendCase[] = [
  // Previous 30 days: Oct 5 12:00 – Nov 4 12:00 minus 30 days. Two in the previous window, one on its partial first day, one in this window.
  [30, [['user-ana', 'enabled', '2026-09-05T13:00:00Z'], ['user-ana', 'delivered', '2026-09-20T09:00:00Z'], ['user-ben', 'enabled', '2026-10-05T11:00:00Z'], ['user-ben', 'delivered', '2026-10-20T09:00:00Z']], { coverage: 2 / 3, behindTheScenesShare: 2 / 3, totalCredits: 3 }, { coverage: 1 / 3, totalCredits: 1 }],
  // A credit just before the window's start is in the previous one; one just after is not; one before the previous window counts nowhere.
  [7, [['user-ana', 'delivered', '2026-10-28T11:59:00Z'], ['user-ben', 'enabled', '2026-10-28T12:01:00Z'], ['user-ben', 'enabled', '2026-10-21T11:00:00Z']], { coverage: 1 / 3, behindTheScenesShare: 0, totalCredits: 1 }, { coverage: 1 / 3, totalCredits: 1 }],
  // Nothing before the window: the previous one is empty.
  [1, [['user-ana', 'enabled', '2026-11-04T11:00:00Z']], { coverage: 0, behindTheScenesShare: 0, totalCredits: 0 }, { coverage: 1 / 3, totalCredits: 1 }],
];

test.each(trendCases)('insights for %d days carry the previous window of the same length, counted by the same rules', async (days, credits, previous, current) => {
  const ana = await t.token({ oid: LEAD, name: 'Lee Lead' });
  for (const [n, [recipient, kind, at]] of credits.entries()) {
    clock = new Date(at);
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: { recipients: [{ userId: recipient }], message: `Kept the pipeline green, take ${n}`, kind } });
    expect(res.status).toBe(201);
  }
  clock = new Date(NOW);
  const res = await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=${days}`, { token: ana });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject(current);
  expect(res.body.previous).toEqual({ since: new Date(Date.parse(NOW) - 2 * days * 86_400_000).toISOString(), ...previous });
});

test('a window too long for the counts kept has no previous window rather than a wrong one', async () => {
  const res = await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=365`, { token: await t.token({ oid: LEAD, name: 'Lee Lead' }) });
  expect(res.status).toBe(200);
  expect(res.body.previous).toBeUndefined();
});

/** A change Ana makes to her own preferences, and the roster the lead's insights then count. */
type RosterCase = [change: string, body: Record<string, unknown>, rosterSize: number, unnoticed: string[]];

const rosterCases: RosterCase[] = [
  ['opts out', { optedOut: true }, 2, ['Ben O\'Neil', 'Lee Lead']],
  ['prefers private credit', { prefersPrivate: true }, 3, ['Ana López', 'Ben O\'Neil', 'Lee Lead']],
];

test.each(rosterCases)('when Ana %s, the roster the lead\'s insights count follows at once', async (_change, body, rosterSize, unnoticed) => {
  const lead = await t.token({ oid: LEAD, name: 'Lee Lead' });
  // Read once before the change, so nothing read earlier can stand in for the roster as it is now.
  expect((await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=30`, { token: lead })).body.rosterSize).toBe(3);
  expect((await t.call('PATCH', `/api/v1/me/preferences?boardId=${BOARD}`, { token: await t.token(), body })).status).toBe(200);
  const res = await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=30`, { token: lead });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ rosterSize, creditedCount: 0 });
  expect(res.body.unnoticed.map((u: { name: string }) => u.name)).toEqual(unnoticed);
  if (!body.optedOut) return;
  expect((await t.call('PATCH', `/api/v1/me/preferences?boardId=${BOARD}`, { token: await t.token(), body: { optedOut: false } })).status).toBe(200);
  expect((await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=30`, { token: lead })).body.rosterSize).toBe(3);
});
