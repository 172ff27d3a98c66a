import { OTHER_TENANT, TENANT, type TestApp, startTestApp } from './support/test-app';

// The stand-up a lead presents on a meeting's stage, through the REST API as the tab calls it:
// who may present and move it, what every screen sees, and what never reaches the stage.
const BOARD = 'team-1';
const ANA = 'user-ana';
const BEN = 'user-ben';
const LEAD = 'user-lead';
const CO_LEAD = 'user-colead';
const NAMES: Record<string, string> = { [ANA]: 'Ana López', [BEN]: "Ben O'Neil", [LEAD]: 'Lee Lead', [CO_LEAD]: 'Cora Colead' };
const START = Date.parse('2026-03-10T09:00:00.000Z');
const HOUR = 3_600_000;

let t: TestApp;
let clock: number;
const tokens: Record<string, string> = {};

async function start(): Promise<void> {
  clock = START;
  t = await startTestApp({}, { now: () => new Date(clock) });
  await t.board(TENANT, BOARD, Object.keys(NAMES).map((userId) => ({ userId, name: NAMES[userId], role: userId === LEAD || userId === CO_LEAD ? 'lead' : 'member' })));
  await t.board(TENANT, 'team-2', [{ userId: 'user-stranger', name: 'Sam Stranger' }]);
  for (const userId of Object.keys(NAMES)) tokens[userId] = await t.token({ oid: userId, name: NAMES[userId] });
}
afterEach(() => t?.close());

const live = (as = ANA) => t.call('GET', `/api/v1/boards/${BOARD}/standup/live`, { token: tokens[as] });
const deck = (as = ANA) => t.call('GET', `/api/v1/boards/${BOARD}/standup/live/session`, { token: tokens[as] });
const present = (as = LEAD, body: unknown = {}) => t.call('POST', `/api/v1/boards/${BOARD}/standup/live`, { token: tokens[as], body });
const move = (slide: unknown, as = LEAD) => t.call('PUT', `/api/v1/boards/${BOARD}/standup/live`, { token: tokens[as], body: { slide } });
const storedLive = async () => (await t.app.store.boards.get(TENANT, BOARD))?.liveStandup;

async function give(message: string, visibility: 'board' | 'private' = 'board', to = BEN): Promise<void> {
  clock -= HOUR;
  const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: tokens[ANA], body: { recipients: [{ userId: to }], message, kind: 'enabled', visibility } });
  clock += HOUR;
  expect(res.status).toBe(201);
}

describe('presenting the stand-up to a meeting', () => {
  test('a lead presents: every member sees the presenter and slide, and the same deck', async () => {
    await start();
    await give('Unblocked the release');
    const started = await present();
    expect(started.status).toBe(200);
    expect(started.body.live).toEqual({ presenter: { userId: LEAD, name: 'Lee Lead' }, window: 'last', slide: 0, startedAt: new Date(clock).toISOString(), presenting: true });

    const seen = await live(ANA);
    expect(seen.body.live).toEqual({ ...started.body.live, presenting: false });
    const [asPresenter, asViewer] = await Promise.all([deck(LEAD), deck(ANA)]);
    expect(asViewer.status).toBe(200);
    expect(asViewer.body).toEqual(asPresenter.body);
    expect(asViewer.body.credits.map((c: { message: string }) => c.message)).toEqual(['Unblocked the release']);
  });

  test('the presenter moves the slide and everyone follows; nobody else moves it', async () => {
    await start();
    await present();
    const moves: Array<[string, string, number, number, number]> = [
      ['the presenter', LEAD, 2, 200, 2],
      ['a member', ANA, 3, 403, 2],
      ['another lead (not presenting)', CO_LEAD, 1, 403, 2],
      ['the presenter again', LEAD, 1, 200, 1],
    ];
    for (const [who, as, slide, status, after] of moves) {
      const res = await move(slide, as);
      expect([who, res.status]).toEqual([who, status]);
      if (status === 403) expect(res.body.error.message).toBe('Only the presenter moves the stand-up.');
      expect([who, (await live(BEN)).body.live.slide]).toEqual([who, after]);
    }
  });

  test('another lead takes over by presenting; the first presenter can no longer move it', async () => {
    await start();
    await present(LEAD);
    await move(2);
    const taken = await present(CO_LEAD, { window: 'week' });
    expect(taken.body.live).toMatchObject({ presenter: { userId: CO_LEAD, name: 'Cora Colead' }, window: 'week', slide: 0, presenting: true });
    expect((await move(3, LEAD)).status).toBe(403);
    expect((await live(ANA)).body.live).toMatchObject({ presenter: { userId: CO_LEAD }, slide: 0 });
  });

  test('a member cannot present, and nothing is stored', async () => {
    await start();
    const res = await present(ANA);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Only a lead of this board can present the stand-up to the meeting.');
    expect(await storedLive()).toBeUndefined();
    expect((await live(ANA)).body).toEqual({ live: null });
    expect((await deck(ANA)).status).toBe(404);
  });

  test('the deck is pinned when presenting starts: a credit given during the meeting does not shift the slides', async () => {
    await start();
    await give('Before the meeting');
    await present();
    clock += 60_000;
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: tokens[ANA], body: { recipients: [{ userId: BEN }], message: 'During the meeting', kind: 'enabled' } });
    expect(res.status).toBe(201);
    expect((await deck(BEN)).body.credits.map((c: { message: string }) => c.message)).toEqual(['Before the meeting']);
  });

  test('a private credit never reaches the stage: not in the deck, the position or the stored presentation, for anyone', async () => {
    await start();
    await give('Quietly fixed the on-call rota', 'private', LEAD);
    await give('Shared win');
    await present();
    for (const as of [LEAD, ANA, BEN, CO_LEAD]) {
      const shown = JSON.stringify([(await deck(as)).body, (await live(as)).body]);
      expect(shown).not.toContain('Quietly fixed');
      expect(shown).toContain('Shared win');
    }
    expect(JSON.stringify(await storedLive())).not.toContain('Quietly fixed');
  });

  test('the presenter ends it; an idle one ends by itself after three hours', async () => {
    await start();
    await present();
    expect((await t.call('DELETE', `/api/v1/boards/${BOARD}/standup/live`, { token: tokens[ANA] })).status).toBe(403);
    expect((await t.call('DELETE', `/api/v1/boards/${BOARD}/standup/live`, { token: tokens[LEAD] })).status).toBe(204);
    expect((await live()).body).toEqual({ live: null });
    expect(await storedLive()).toBeUndefined();

    await present();
    clock += 3 * HOUR;
    expect((await live()).body).toEqual({ live: null });
    expect((await move(1)).status).toBe(404);
  });

  test('erasing my data ends a stand-up I present', async () => {
    await start();
    await present();
    expect((await t.call('DELETE', '/api/v1/me/data', { token: tokens[LEAD] })).status).toBe(204);
    expect(await storedLive()).toBeUndefined();
  });
});

describe('presenting: refused and bad input change nothing', () => {
  const refused: Array<[string, () => Promise<string>, number]> = [
    ['a member of another board of the tenant', () => t.token({ oid: 'user-stranger', name: 'Sam Stranger' }), 404],
    ['the same user id in another tenant', () => t.token({ tid: OTHER_TENANT, oid: LEAD }), 404],
    ['no token', async () => '', 401],
  ];

  test.each(refused)('%s is refused on every live route', async (_name, tokenOf, status) => {
    await start();
    await present();
    await move(1);
    const before = await storedLive();
    const token = (await tokenOf()) || undefined;
    const path = `/api/v1/boards/${BOARD}/standup/live`;
    const answers = [
      await t.call('GET', path, { token }),
      await t.call('GET', `${path}/session`, { token }),
      await t.call('POST', path, { token, body: {} }),
      await t.call('PUT', path, { token, body: { slide: 3 } }),
      await t.call('DELETE', path, { token }),
    ];
    expect(answers.map((a) => a.status)).toEqual([status, status, status, status, status]);
    expect(await storedLive()).toEqual(before);
  });

  const bad: Array<[string, 'POST' | 'PUT', unknown, string | undefined]> = [
    ['a slide below 0', 'PUT', { slide: -1 }, 'slide'],
    ['a fractional slide', 'PUT', { slide: 1.5 }, 'slide'],
    ['a slide as text', 'PUT', { slide: '2' }, 'slide'],
    ['a slide past any deck', 'PUT', { slide: 500 }, 'slide'],
    ['no slide', 'PUT', {}, 'slide'],
    ['an extra field', 'PUT', { slide: 1, presenterId: ANA }, undefined],
    ['an unknown window', 'POST', { window: 'month' }, 'window'],
    ['a presenter in the body', 'POST', { presenterId: ANA }, undefined],
  ];

  test.each(bad)('%s is 400 with a reason', async (_name, method, body, field) => {
    await start();
    await present();
    const before = await storedLive();
    const res = await t.call(method, `/api/v1/boards/${BOARD}/standup/live`, { token: tokens[LEAD], body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', message: expect.any(String), ...(field ? { field } : {}) });
    expect(JSON.stringify(res.body)).not.toMatch(/zod|ZodError|at \//);
    expect(await storedLive()).toEqual(before);
  });
});
