import { DEFAULT_BOARD_SETTINGS } from '../core';
import { OTHER_TENANT, TENANT, type TestApp, startTestApp } from './support/test-app';

const BOARD = 'team-1';
const SIDE = 'team-2';
const ANA = 'user-ana';
const BEN = 'user-ben';
const CY = 'user-cy';
const LEAD = 'user-lead';
const names: Record<string, string> = { [ANA]: 'Ana López', [BEN]: "Ben O'Neil", [CY]: 'Cy Park', [LEAD]: 'Lee Lead' };
const LAST_LEAD = 'A board always keeps at least one lead: make someone else a lead first.';
const MADE_PRIVATE = 'Someone you credited prefers private credit, so this credit is private: only you and the people you credited see it.';

let t: TestApp;

beforeEach(async () => {
  t = await startTestApp();
  await t.board(TENANT, BOARD, [
    { userId: ANA, name: names[ANA] },
    { userId: BEN, name: names[BEN] },
    { userId: CY, name: names[CY] },
    { userId: LEAD, name: names[LEAD], role: 'lead' },
    { userId: 'user-gone', name: 'Gone Person', leftAt: '2026-01-01T00:00:00.000Z' },
  ]);
  await t.board(TENANT, SIDE, [
    { userId: BEN, name: names[BEN] },
    { userId: LEAD, name: names[LEAD], role: 'lead' },
  ]);
  // The same user ids in another tenant, one of them its lead.
  await t.board(OTHER_TENANT, 'other-board', [
    { userId: LEAD, name: 'Lee elsewhere', role: 'lead' },
    { userId: BEN, name: 'Ben elsewhere' },
  ]);
});
afterEach(() => t.close());

const as = (oid: string, tid = TENANT) => t.token({ oid, name: names[oid], tid });
const call = async (oid: string, method: string, path: string, body?: unknown) => t.call(method, path, { token: await as(oid), body });
const storedSettings = async (boardId = BOARD, tenantId = TENANT) => (await t.app.store.boards.get(tenantId, boardId))?.settings;
const roles = async (boardId = BOARD, tenantId = TENANT) => (await t.app.store.members.list(tenantId, boardId)).filter((m) => m.role === 'lead').map((m) => m.userId).sort();
const member = async (userId: string, boardId = BOARD) => t.app.store.members.get(TENANT, boardId, userId);

describe('board settings and leads are for leads only', () => {
  const routes: Array<[string, string, unknown]> = [
    ['GET', `/api/v1/boards/${BOARD}/settings`, undefined],
    ['PATCH', `/api/v1/boards/${BOARD}/settings`, { digestDay: 1 }],
    ['GET', `/api/v1/boards/${BOARD}/leads`, undefined],
    ['PUT', `/api/v1/boards/${BOARD}/leads/${ANA}`, undefined],
    ['DELETE', `/api/v1/boards/${BOARD}/leads/${LEAD}`, undefined],
  ];

  test.each(routes)('a member: %s %s is 403 and changes nothing', async (method, path, body) => {
    const res = await call(ANA, method, path, body);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', message: 'Only the leads of this board can see that.', correlationId: expect.any(String) });
    expect(await storedSettings()).toEqual(DEFAULT_BOARD_SETTINGS);
    expect(await roles()).toEqual([LEAD]);
  });

  test.each(routes)("another tenant's board, for its lead's user id: %s %s is 404 and changes nothing", async (method, path, body) => {
    const res = await t.call(method, path.replace(BOARD, 'other-board'), { token: await as(LEAD), body });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toMatch(/elsewhere/);
    expect(await storedSettings('other-board', OTHER_TENANT)).toEqual(DEFAULT_BOARD_SETTINGS);
    expect(await roles('other-board', OTHER_TENANT)).toEqual([LEAD]);
  });

  test.each(routes)('someone not on the board: %s %s is 404', async (method, path, body) => {
    expect((await call('user-stranger', method, path, body)).status).toBe(404);
    expect(await roles()).toEqual([LEAD]);
  });
});

describe('a lead changes the settings', () => {
  const changes: Array<[string, Record<string, unknown>]> = [
    ['digest day and nudge window', { digestDay: 1, nudgeAfterDays: 14 }],
    ['digest off', { digestEnabled: false }],
    ['hour, time zone and week start', { digestHour: 16, timeZone: 'Europe/Berlin', weekStartsOn: 0 }],
    ['a three-part zone', { timeZone: 'America/Argentina/Buenos_Aires' }],
    ['an alias of a zone', { timeZone: 'Asia/Calcutta' }],
    ['UTC', { timeZone: 'UTC' }],
    ['the edges of every range', { digestDay: 0, digestHour: 23, nudgeAfterDays: 365, weekStartsOn: 6 }],
  ];

  test.each(changes)('%s: answers all the settings after, and the store holds them', async (_name, change) => {
    const res = await call(LEAD, 'PATCH', `/api/v1/boards/${BOARD}/settings`, change);
    expect(res.status).toBe(200);
    const expected = { ...DEFAULT_BOARD_SETTINGS, ...change };
    expect(res.body).toEqual(expected);
    expect(await storedSettings()).toEqual(expected);
    expect((await call(LEAD, 'GET', `/api/v1/boards/${BOARD}/settings`)).body).toEqual(expected);
  });

  test('a board stored before a setting existed answers its default', async () => {
    const board = await t.app.store.boards.get(TENANT, BOARD);
    await t.app.store.boards.put({ ...board!, settings: { digestDay: 2, nudgeAfterDays: 10, timeZone: 'Europe/Paris' } as never });
    const res = await call(LEAD, 'GET', `/api/v1/boards/${BOARD}/settings`);
    expect(res.body).toEqual({ ...DEFAULT_BOARD_SETTINGS, digestDay: 2, nudgeAfterDays: 10, timeZone: 'Europe/Paris' });
  });

  const TZ = 'timeZone must be an IANA time zone name such as Europe/Berlin.';
  const bad: Array<[string, unknown, string | undefined, string]> = [
    ['a time zone that does not exist', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone', TZ],
    ['an offset, not a zone', { timeZone: '+01:00' }, 'timeZone', TZ],
    ['an abbreviation, not a zone', { timeZone: 'CET' }, 'timeZone', TZ],
    ['a time zone with junk', { timeZone: 'Europe/Berlin; DROP TABLE boards' }, 'timeZone', TZ],
    ['a time zone that is not text', { timeZone: 1 }, 'timeZone', TZ],
    ['a day as text', { digestDay: '5' }, 'digestDay', 'digestDay must be a weekday from 0 (Sunday) to 6 (Saturday).'],
    ['a day past Saturday', { digestDay: 7 }, 'digestDay', 'digestDay must be a weekday from 0 (Sunday) to 6 (Saturday).'],
    ['an hour of 24', { digestHour: 24 }, 'digestHour', 'digestHour must be an hour from 0 to 23.'],
    ['half an hour', { digestHour: 9.5 }, 'digestHour', 'digestHour must be an hour from 0 to 23.'],
    ['a nudge window of 0 days', { nudgeAfterDays: 0 }, 'nudgeAfterDays', 'nudgeAfterDays must be a number of days from 1 to 365.'],
    ['a nudge window over a year', { nudgeAfterDays: 366 }, 'nudgeAfterDays', 'nudgeAfterDays must be a number of days from 1 to 365.'],
    ['on/off as text', { digestEnabled: 'yes' }, 'digestEnabled', 'digestEnabled must be true or false.'],
    ['a week start of -1', { weekStartsOn: -1 }, 'weekStartsOn', 'weekStartsOn must be a weekday from 0 (Sunday) to 6 (Saturday).'],
    ['an unknown field', { digestDay: 1, leads: [ANA] }, undefined, 'Unknown setting: leads.'],
    ['nothing to change', {}, undefined, 'Say which settings to change.'],
    ['a list, not an object', [{ digestDay: 1 }], undefined, 'Send the settings to change as a JSON object.'],
    ['one good field beside a bad one', { digestDay: 1, digestHour: 25 }, 'digestHour', 'digestHour must be an hour from 0 to 23.'],
  ];

  test.each(bad)('%s is 400 with the reason, and nothing changes', async (_name, body, field, message) => {
    const res = await call(LEAD, 'PATCH', `/api/v1/boards/${BOARD}/settings`, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid', message, ...(field ? { field } : {}), correlationId: expect.any(String) });
    expect(await storedSettings()).toEqual(DEFAULT_BOARD_SETTINGS);
  });
});

describe('the lead list', () => {
  const leadsPath = (userId: string) => `/api/v1/boards/${BOARD}/leads/${userId}`;
  const leadNames = (body: { leads: Array<{ name: string }> }) => body.leads.map((l) => l.name).sort();

  test('a lead grants lead to a member, who then sees the settings, and can remove the first lead', async () => {
    const granted = await call(LEAD, 'PUT', leadsPath(BEN));
    expect(granted.status).toBe(200);
    expect(leadNames(granted.body)).toEqual(["Ben O'Neil", 'Lee Lead']);
    expect((await call(BEN, 'GET', `/api/v1/boards/${BOARD}/settings`)).status).toBe(200);
    const removed = await call(BEN, 'DELETE', leadsPath(LEAD));
    expect(removed.status).toBe(200);
    expect(leadNames(removed.body)).toEqual(["Ben O'Neil"]);
    expect(await roles()).toEqual([BEN]);
    expect((await call(LEAD, 'GET', `/api/v1/boards/${BOARD}/settings`)).status).toBe(403);
    // Lead rights are per board: the other board's leads are as they were.
    expect(await roles(SIDE)).toEqual([LEAD]);
  });

  test('granting twice, or removing someone who does not lead, changes nothing', async () => {
    await call(LEAD, 'PUT', leadsPath(BEN));
    expect(leadNames((await call(LEAD, 'PUT', leadsPath(BEN))).body)).toEqual(["Ben O'Neil", 'Lee Lead']);
    expect(leadNames((await call(LEAD, 'DELETE', leadsPath(CY))).body)).toEqual(["Ben O'Neil", 'Lee Lead']);
    expect(await roles()).toEqual([BEN, LEAD].sort());
  });

  const lastLead: Array<[string, string]> = [
    ['the only lead stepping down', LEAD],
  ];
  test.each(lastLead)('%s is refused with 409 and a clear message, and the lead stays', async (_name, userId) => {
    const res = await call(LEAD, 'DELETE', leadsPath(userId));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', message: LAST_LEAD });
    expect(await roles()).toEqual([LEAD]);
  });

  test('of two leads one may step down, but then the other is the last', async () => {
    await call(LEAD, 'PUT', leadsPath(ANA));
    expect((await call(ANA, 'DELETE', leadsPath(ANA))).status).toBe(200);
    const res = await call(LEAD, 'DELETE', leadsPath(LEAD));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(LAST_LEAD);
    expect(await roles()).toEqual([LEAD]);
  });

  test('two leads removing each other at once leave the board a lead', async () => {
    await call(LEAD, 'PUT', leadsPath(ANA));
    // Ana's removal of Lee lands between Lee's check (two leads) and Lee's own write.
    const put = t.app.store.members.put.bind(t.app.store.members);
    const lee = (await member(LEAD))!;
    jest.spyOn(t.app.store.members, 'put').mockImplementationOnce(async (m) => {
      await put({ ...lee, role: 'member' });
      return put(m);
    });
    const res = await call(LEAD, 'DELETE', leadsPath(ANA));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(LAST_LEAD);
    expect(await roles()).toEqual([ANA]);
  });

  const targets: Array<[string, string, number, string]> = [
    ['someone not on the board', 'user-nobody', 404, 'That person is not on this board.'],
    ['someone who left the board', 'user-gone', 404, 'That person is not on this board.'],
    ['a malformed user id', 'bad%20id', 400, 'userId'],
  ];
  test.each(targets)('granting lead to %s is refused and changes nothing', async (_name, userId, status, shows) => {
    const res = await call(LEAD, 'PUT', leadsPath(userId));
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body.error)).toContain(shows);
    expect(await roles()).toEqual([LEAD]);
  });

  test('someone who opted out cannot be made a lead', async () => {
    await call(CY, 'PATCH', '/api/v1/me/preferences', { optedOut: true });
    const res = await call(LEAD, 'PUT', leadsPath(CY));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Cy Park has opted out of Noticed, so they cannot lead this board.');
    expect(await roles()).toEqual([LEAD]);
  });
});

describe('my preferences', () => {
  const prefs = async (oid: string, query = '') => (await call(oid, 'GET', `/api/v1/me/preferences${query}`)).body.boards;
  const defaults = { prefersPrivate: false, optedOut: false, reminderDay: null, creditNotifications: true };

  test('read on every board I am on, or on one', async () => {
    expect(await prefs(BEN)).toEqual([
      { boardId: BOARD, boardName: `Board ${BOARD}`, ...defaults },
      { boardId: SIDE, boardName: `Board ${SIDE}`, ...defaults },
    ].sort((a, b) => a.boardId.localeCompare(b.boardId)));
    expect(await prefs(BEN, `?boardId=${SIDE}`)).toEqual([{ boardId: SIDE, boardName: `Board ${SIDE}`, ...defaults }]);
  });

  const changes: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['prefer private', { prefersPrivate: true }, { prefersPrivate: true }],
    ['reminders on Monday', { reminderDay: 1 }, { reminderDay: 1 }],
    ['credit notifications off', { creditNotifications: false }, { creditNotifications: false }],
    ['opt out', { optedOut: true }, { optedOut: true }],
    ['all at once', { prefersPrivate: true, reminderDay: 0, creditNotifications: false }, { prefersPrivate: true, reminderDay: 0, creditNotifications: false }],
  ];
  test.each(changes)('%s: on one board changes that board only; without a board, all of mine', async (_name, change, shown) => {
    const one = await call(BEN, 'PATCH', `/api/v1/me/preferences?boardId=${SIDE}`, change);
    expect(one.status).toBe(200);
    expect(one.body.boards).toEqual([{ boardId: SIDE, boardName: `Board ${SIDE}`, ...defaults, ...shown }]);
    expect((await prefs(BEN, `?boardId=${BOARD}`))[0]).toMatchObject(defaults);
    const all = await call(BEN, 'PATCH', '/api/v1/me/preferences', change);
    expect(all.body.boards.map((b: Record<string, unknown>) => ({ ...b, boardName: undefined }))).toEqual(
      [BOARD, SIDE].map((boardId) => ({ boardId, boardName: undefined, ...defaults, ...shown })),
    );
    // Nobody else's entries moved.
    expect(await prefs(ANA)).toEqual([{ boardId: BOARD, boardName: `Board ${BOARD}`, ...defaults }]);
    expect((await t.app.store.members.get(OTHER_TENANT, 'other-board', BEN))).toMatchObject({ prefersPrivate: false, optedOut: false });
  });

  test('reminders off again: the weekday is gone', async () => {
    await call(BEN, 'PATCH', '/api/v1/me/preferences', { reminderDay: 3 });
    expect((await member(BEN))?.reminderDay).toBe(3);
    expect((await call(BEN, 'PATCH', '/api/v1/me/preferences', { reminderDay: null })).body.boards[0].reminderDay).toBeNull();
    expect((await member(BEN))?.reminderDay).toBeUndefined();
  });

  const bad: Array<[string, string, unknown, number, string]> = [
    ['a weekday past Saturday', '', { reminderDay: 7 }, 400, 'reminderDay must be a weekday from 0 (Sunday) to 6 (Saturday), or null for no reminders.'],
    ['a weekday as a name', '', { reminderDay: 'monday' }, 400, 'reminderDay must be a weekday from 0 (Sunday) to 6 (Saturday), or null for no reminders.'],
    ['prefer private as text', '', { prefersPrivate: 'yes' }, 400, 'prefersPrivate must be true or false.'],
    ['opted out as a number', '', { optedOut: 1 }, 400, 'optedOut must be true or false.'],
    ['a role, which is not a preference', '', { prefersPrivate: true, role: 'lead' }, 400, 'Unknown preference: role.'],
    ['nothing to change', '', {}, 400, 'Say which preferences to change.'],
    ['a malformed board id', '?boardId=bad%20id', { prefersPrivate: true }, 400, 'boardId'],
    ['a board I am not on', `?boardId=${SIDE}`, { prefersPrivate: true }, 404, 'That board does not exist or you are not on it.'],
    ["another tenant's board", '?boardId=other-board', { prefersPrivate: true }, 404, 'That board does not exist or you are not on it.'],
  ];
  test.each(bad)('%s is refused with the reason, and nothing changes', async (_name, query, body, status, shows) => {
    const res = await call(ANA, 'PATCH', `/api/v1/me/preferences${query}`, body);
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body.error)).toContain(shows);
    expect(await member(ANA)).toMatchObject({ role: 'member', prefersPrivate: false, optedOut: false });
    expect((await member(ANA))?.reminderDay).toBeUndefined();
    expect((await t.app.store.members.get(OTHER_TENANT, 'other-board', BEN))).toMatchObject({ prefersPrivate: false, optedOut: false });
  });
});

describe('what preferences do to credit', () => {
  const give = (from: string, extra: Record<string, unknown> = {}) =>
    call(from, 'POST', `/api/v1/boards/${BOARD}/recognitions`, { recipients: [{ userId: BEN }], message: 'Kept the release notes honest', ...extra });
  const feedOf = async (oid: string) => (await call(oid, 'GET', `/api/v1/boards/${BOARD}/recognitions`)).body.items as Array<{ id: string; message: string }>;

  test('opt out: credit to me is refused; only I can opt back in, and then credit works', async () => {
    expect((await call(BEN, 'PATCH', `/api/v1/me/preferences?boardId=${BOARD}`, { optedOut: true })).status).toBe(200);
    const refused = await give(ANA);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe("Ben O'Neil has opted out of Noticed, so credit cannot be recorded for them.");
    // A lead changing "their" preferences on the board changes only their own entry.
    await call(LEAD, 'PATCH', `/api/v1/me/preferences?boardId=${BOARD}`, { optedOut: false });
    expect((await give(ANA)).status).toBe(400);
    expect(await feedOf(LEAD)).toEqual([]);
    expect((await call(BEN, 'PATCH', `/api/v1/me/preferences?boardId=${BOARD}`, { optedOut: false })).status).toBe(200);
    const given = await give(ANA);
    expect(given.status).toBe(201);
    expect(given.body.visibility).toBe('board');
  });

  const visibilities: Array<[string, Record<string, unknown>, string | undefined]> = [
    ['a credit that did not say', {}, MADE_PRIVATE],
    ['a credit that asked for the board', { visibility: 'board' }, MADE_PRIVATE],
    ['a credit that asked to be private anyway', { visibility: 'private' }, undefined],
  ];
  test.each(visibilities)('prefer private: %s is private, the giver is told why, and nobody else sees it', async (_name, extra, notice) => {
    await call(BEN, 'PATCH', '/api/v1/me/preferences', { prefersPrivate: true });
    const res = await give(ANA, extra);
    expect(res.status).toBe(201);
    expect(res.body.visibility).toBe('private');
    expect(res.body.notice).toBe(notice);
    expect((await feedOf(BEN)).map((c) => c.id)).toEqual([res.body.id]);
    for (const other of [CY, LEAD]) expect(JSON.stringify(await feedOf(other))).not.toMatch(new RegExp(`${res.body.id}|release notes`));
  });

  test('prefer private off again: the next credit is on the board, and no notice', async () => {
    await call(BEN, 'PATCH', '/api/v1/me/preferences', { prefersPrivate: true });
    await call(BEN, 'PATCH', '/api/v1/me/preferences', { prefersPrivate: false });
    const res = await give(ANA);
    expect(res.body).toMatchObject({ visibility: 'board' });
    expect(res.body.notice).toBeUndefined();
  });
});
