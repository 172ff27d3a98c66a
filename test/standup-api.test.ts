import type { Member } from '../core';
import { OTHER_TENANT, TENANT, type TestApp, startTestApp } from './support/test-app';

// The stand-up as the tab runs it, through the REST API, on a clock the test moves.
const BOARD = 'team-1';
const OTHER_BOARD = 'team-2';
const ANA = 'user-ana';
const BEN = 'user-ben';
const CY = 'user-cy';
const DEE = 'user-dee';
const EVE = 'user-eve';
const LEAD = 'user-lead';
const NAMES: Record<string, string> = { [ANA]: 'Ana López', [BEN]: "Ben O'Neil", [CY]: 'Cy Park', [DEE]: 'Dee Diaz', [EVE]: 'Eve Ek', [LEAD]: 'Lee Lead' };
const DAY = 86_400_000;
const START = Date.parse('2026-03-10T09:00:00.000Z');
/** Seven days back from the start of START's day: where the board's first stand-up starts. */
const FIRST_SINCE = '2026-03-03T00:00:00.000Z';

let t: TestApp;
let clock: number;
const tokens: Record<string, string> = {};

async function start(roster: Array<Partial<Member> & { userId: string }> = Object.keys(NAMES).map((userId) => ({ userId }))): Promise<void> {
  clock = START;
  t = await startTestApp({}, { now: () => new Date(clock) });
  await t.board(TENANT, BOARD, roster.map((m) => ({ name: NAMES[m.userId], role: m.userId === LEAD ? 'lead' : 'member', ...m })));
  await t.board(TENANT, OTHER_BOARD, [{ userId: 'user-stranger', name: 'Sam Stranger' }]);
  await t.board(OTHER_TENANT, 'other-board', [{ userId: ANA, name: 'Ana in another tenant' }]);
  for (const userId of Object.keys(NAMES)) tokens[userId] = await t.token({ oid: userId, name: NAMES[userId] });
}
afterEach(() => t?.close());

const session = (as = ANA) => t.call('GET', `/api/v1/boards/${BOARD}/standup`, { token: tokens[as] });
const hold = (since: unknown, as = ANA) => t.call('POST', `/api/v1/boards/${BOARD}/standup`, { token: tokens[as], body: { since } });

interface Given {
  from?: string;
  to: string;
  message?: string;
  kind?: string;
  visibility?: 'board' | 'private';
  daysAgo?: number;
}

/** Gives credit through the API at `daysAgo` days before now, then puts the clock back. */
async function give({ from = LEAD, to, message = `Thanks ${NAMES[to]}`, kind = 'enabled', visibility = 'board', daysAgo = 0 }: Given): Promise<string> {
  const now = clock;
  clock -= daysAgo * DAY;
  const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: tokens[from], body: { recipients: [{ userId: to }], message, kind, visibility } });
  clock = now;
  expect(res.status).toBe(201);
  return res.body.id;
}

async function storedStandup() {
  return (await t.app.store.boards.get(TENANT, BOARD))?.standup;
}

describe('stand-up session: since when', () => {
  test('the first starts seven days back from the start of today, and the next where the last was held', async () => {
    await start();
    await give({ to: BEN, message: 'Before the window', daysAgo: 8 });
    await give({ to: BEN, message: 'Inside the first window', daysAgo: 2 });
    const first = await session();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ since: FIRST_SINCE, lastHeldAt: null });
    expect(first.body.credits.map((c: { message: string }) => c.message)).toEqual(['Inside the first window']);

    clock += 15 * 60_000;
    const held = await hold(first.body.since);
    expect(held.body).toEqual({ recorded: true, lastHeldAt: new Date(clock).toISOString() });

    clock += 60_000;
    await give({ to: CY, message: 'After the stand-up, first' });
    clock += 60_000;
    await give({ to: DEE, message: 'After the stand-up, second' });
    clock += DAY;
    const next = await session();
    expect(next.body).toMatchObject({ since: held.body.lastHeldAt, lastHeldAt: held.body.lastHeldAt });
    expect(next.body.credits.map((c: { message: string }) => c.message)).toEqual(['After the stand-up, first', 'After the stand-up, second']);
  });
});

describe('stand-up session: the presenter chooses since when', () => {
  // START is Tuesday 2026-03-10 09:00 UTC; the board's week starts Monday, in UTC by default.
  const windows: Array<[string, string, string, string[]]> = [
    ['since the last stand-up, after a rehearsal held it: nothing new', '', 'HELD', []],
    ['since the last stand-up, named', '?window=last', 'HELD', []],
    ['this week replays from Monday 00:00 in the board’s time zone', '?window=week', '2026-03-09T00:00:00.000Z', ['Monday evening']],
    ['the last 7 days replays a week back from now', '?window=7d', '2026-03-03T09:15:00.000Z', ['Saturday', 'Monday evening']],
  ];

  test.each(windows)('%s', async (_name, query, since, messages) => {
    await start();
    await give({ to: BEN, message: 'Eight days ago', daysAgo: 8 });
    await give({ to: CY, message: 'Saturday', daysAgo: 3 });
    await give({ to: DEE, message: 'Monday evening', daysAgo: 0.5 });
    clock += 15 * 60_000;
    const rehearsal = await hold((await session()).body.since);
    expect(rehearsal.body.recorded).toBe(true);

    const res = await t.call('GET', `/api/v1/boards/${BOARD}/standup${query}`, { token: tokens[ANA] });
    expect(res.status).toBe(200);
    expect(res.body.since).toBe(since === 'HELD' ? rehearsal.body.lastHeldAt : since);
    expect(res.body.credits.map((c: { message: string }) => c.message)).toEqual(messages);
    // Ending a replay changes nothing: the board's next stand-up still starts where the last was held.
    const before = await storedStandup();
    if (since !== 'HELD') expect((await hold(res.body.since)).body).toEqual({ recorded: false, lastHeldAt: rehearsal.body.lastHeldAt });
    expect(await storedStandup()).toEqual(before);
  });

  test.each([['?window=yesterday'], ['?window='], ['?since=2026-03-01T00:00:00Z']])('%s is 400 with a reason', async (query) => {
    await start();
    const res = await t.call('GET', `/api/v1/boards/${BOARD}/standup${query}`, { token: tokens[ANA] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/window/);
    expect(await storedStandup()).toBeUndefined();
  });
});

describe('stand-up session: private credits never reach the shared screen', () => {
  test('a private credit is in no slide, no id and no spotlight, whoever opens the stand-up', async () => {
    await start();
    const secret = 'A private thank-you for Ben only';
    const secretId = await give({ from: ANA, to: BEN, message: secret, visibility: 'private', daysAgo: 1 });
    const shared = await give({ from: ANA, to: CY, message: 'Unblocked the release', daysAgo: 1 });
    // Its giver and its recipient open the stand-up too: the screen is shared whoever runs it.
    for (const as of [ANA, BEN, CY, LEAD]) {
      const res = await session(as);
      expect(res.body.credits.map((c: { id: string }) => c.id)).toEqual([shared]);
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(JSON.stringify(res.body)).not.toContain(secretId);
      expect(Object.keys(res.body).sort()).toEqual(['credits', 'lastHeldAt', 'since', 'spotlight']);
      expect(Object.keys(res.body.spotlight).sort()).toEqual(['name', 'userId']);
    }
  });
});

describe('stand-up spotlight: who is quiet', () => {
  // Six people, so the quiet third is two; with nobody credited it goes by name: Ana, then Ben.
  const cases: Array<[string, Given[], Array<Partial<Member> & { userId: string }> | undefined, string]> = [
    ['nobody credited: the first by name', [], undefined, ANA],
    ['a behind-the-scenes credit moves Ana out of the quiet third', [{ to: ANA, kind: 'enabled', daysAgo: 10 }], undefined, BEN],
    ['a delivered credit is not behind the scenes, so Ana stays quiet', [{ to: ANA, kind: 'delivered', daysAgo: 10 }], undefined, ANA],
    ['a private credit does not count: the pick is shown to everyone', [{ to: ANA, kind: 'enabled', visibility: 'private', daysAgo: 10 }], undefined, ANA],
    ['credits older than 30 days before the stand-up do not count', [{ to: ANA, kind: 'enabled', daysAgo: 45 }], undefined, ANA],
    ['credits inside the stand-up are on its slides, not in who is quiet', [{ to: ANA, kind: 'enabled', daysAgo: 1 }], undefined, ANA],
    ['someone who opted out is never picked', [], [{ userId: ANA, optedOut: true }, { userId: BEN }, { userId: CY }, { userId: LEAD }], BEN],
    ['someone who left is never picked', [], [{ userId: ANA, leftAt: '2026-01-01T00:00:00.000Z' }, { userId: BEN }, { userId: CY }, { userId: LEAD }], BEN],
  ];

  test.each(cases)('%s', async (_name, credits, roster, expected) => {
    await start(roster);
    for (const c of credits) await give(c);
    const res = await session(LEAD);
    expect(res.body.spotlight).toEqual({ userId: expected, name: NAMES[expected] });
  });
});

describe('stand-up spotlight: no repeat across stand-ups', () => {
  test('nobody is spotlighted twice while another quiet person has not been, and the store remembers who was', async () => {
    await start();
    const spotlights: string[] = [];
    for (let i = 0; i < 4; i++) {
      const open = await session();
      spotlights.push(open.body.spotlight.userId);
      clock += 10 * 60_000;
      expect((await hold(open.body.since)).body.recorded).toBe(true);
      clock += DAY;
    }
    // The quiet third is Ana and Ben: they take turns, never the same twice in a row.
    expect(spotlights).toEqual([ANA, BEN, ANA, BEN]);
    expect(await storedStandup()).toEqual({ lastAt: new Date(clock - DAY).toISOString(), spotlighted: [ANA, BEN] });
  });

  test('a credit given while the stand-up runs does not change who it spotlights, or who it remembers', async () => {
    await start();
    const open = await session();
    expect(open.body.spotlight.userId).toBe(ANA);
    clock += 5 * 60_000;
    await give({ to: ANA, kind: 'enabled' });
    expect((await session(CY)).body.spotlight.userId).toBe(ANA);
    await hold(open.body.since);
    expect((await storedStandup())?.spotlighted).toEqual([ANA]);
  });
});

describe('stand-up spotlight: erasing my data', () => {
  test('someone who erases their data is gone from the board’s stand-up memory and never spotlighted again', async () => {
    await start();
    for (let i = 0; i < 2; i++) {
      const open = await session(LEAD);
      await hold(open.body.since, LEAD);
      clock += DAY;
    }
    expect((await storedStandup())?.spotlighted).toEqual([ANA, BEN]);
    expect((await t.call('DELETE', '/api/v1/me/data', { token: tokens[ANA] })).status).toBe(204);
    const stored = await t.app.store.boards.get(TENANT, BOARD);
    expect(JSON.stringify(stored)).not.toContain(ANA);
    expect((await session(LEAD)).body.spotlight.userId).not.toBe(ANA);
  });
});

describe('stand-up session: one per board, the same on every screen', () => {
  test('two people opening it see the same session; ending it twice records it once', async () => {
    await start();
    await give({ to: BEN, daysAgo: 1 });
    const [onScreen, onLaptop] = await Promise.all([session(ANA), session(LEAD)]);
    expect(onLaptop.body).toEqual(onScreen.body);

    clock += 20 * 60_000;
    const first = await hold(onScreen.body.since, ANA);
    clock += 60_000;
    const second = await hold(onLaptop.body.since, LEAD);
    expect(first.body).toEqual({ recorded: true, lastHeldAt: new Date(clock - 60_000).toISOString() });
    expect(second.body).toEqual({ recorded: false, lastHeldAt: first.body.lastHeldAt });
    expect(await storedStandup()).toEqual({ lastAt: first.body.lastHeldAt, spotlighted: [ANA] });
  });
});

describe('stand-up: refused and bad input change nothing', () => {
  const refused: Array<[string, () => Promise<string>, string]> = [
    ['a member of another board of the tenant', () => t.token({ oid: 'user-stranger', name: 'Sam Stranger' }), BOARD],
    ['the same user id in another tenant', () => t.token({ tid: OTHER_TENANT, oid: ANA }), BOARD],
    ['no token', async () => '', BOARD],
  ];

  test.each(refused)('%s is refused', async (_name, tokenOf, boardId) => {
    await start();
    const token = await tokenOf();
    const status = token ? 404 : 401;
    expect((await t.call('GET', `/api/v1/boards/${boardId}/standup`, { token: token || undefined })).status).toBe(status);
    const res = await t.call('POST', `/api/v1/boards/${boardId}/standup`, { token: token || undefined, body: { since: FIRST_SINCE } });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ correlationId: expect.any(String) });
    expect(await storedStandup()).toBeUndefined();
    // The same routes answer a member of the board.
    expect((await session(ANA)).status).toBe(200);
  });

  const bad: Array<[string, string, unknown, string]> = [
    ['no body', BOARD, undefined, 'since'],
    ['no since', BOARD, {}, 'since'],
    ['since not a date', BOARD, { since: 'last tuesday' }, 'since'],
    ['since a number', BOARD, { since: 1741564800000 }, 'since'],
    ['a malformed board id', 'bad%20id%00', { since: FIRST_SINCE }, 'boardId'],
  ];

  test.each(bad)('%s is 400 with a reason', async (_name, boardId, body, field) => {
    await start();
    const res = await t.call('POST', `/api/v1/boards/${boardId}/standup`, { token: tokens[ANA], body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field, message: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/zod|ZodError|at \//);
    expect(await storedStandup()).toBeUndefined();
  });

  test('ending a stand-up that is not the board’s current one changes nothing', async () => {
    await start();
    const res = await hold('2026-02-01T00:00:00.000Z');
    expect(res.body).toEqual({ recorded: false, lastHeldAt: null });
    expect(await storedStandup()).toBeUndefined();
    expect((await session()).body.since).toBe(FIRST_SINCE);
  });
});
