import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BoardSettings, type SendRecord, sendKey } from '../core';
import type { HabitTimer } from '../bot';
import {
  botInstalledInTeam,
  cardAction,
  cardsOf,
  cardTexts,
  channelMessage,
  type ConnectorFault,
  personalCardAction,
  personalMessage,
  startTeamsConnector,
  type TeamsConnector,
  type Where,
} from '../bot/dev';
import { openCosmosStore } from '../core/store';
import { type CosmosTestServer, EMULATOR_KEY, startCosmosTestServer } from '../core/test/cosmos-test-server';
import { BOT, PEOPLE, TEAM_ID, whereFor } from './fixtures/teams-activities';
import { TENANT, type TestApp, startTestApp } from './support/test-app';

const { ana, ben, cy, dee, lee } = PEOPLE;
/** Nothing ticks on its own: each test moves the clock and calls the scheduler. */
const manualTimer: HabitTimer = { every: () => () => undefined };
/** Monday 30 November 2026, 10:00 UTC: the board is installed then. */
const INSTALLED = new Date('2026-11-30T10:00:00Z');
/** Friday 4 December 2026, 09:00 UTC: the default digest slot (Friday 09:00, UTC) of that week. */
const FRIDAY_SLOT = new Date('2026-12-04T09:00:00Z');
const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

let connector: TeamsConnector;
let where: Where;
let clock: Date;
let dir: string;
const apps: TestApp[] = [];

beforeAll(async () => {
  connector = await startTeamsConnector();
});
afterAll(() => connector.close());

beforeEach(() => {
  connector.calls.length = 0;
  connector.fault = undefined;
  connector.roster(TEAM_ID, Object.values(PEOPLE));
  where = whereFor(TENANT, connector.url);
  clock = INSTALLED;
  dir = mkdtempSync(join(tmpdir(), 'noticed-habits-'));
});
afterEach(async () => {
  while (apps.length) await (apps.pop() as TestApp).close();
  rmSync(dir, { recursive: true, force: true });
});

/** Where the test's instances keep their data: the test's SQLite file, or a Cosmos DB container that several instances share. */
let cosmosContainer: { server: CosmosTestServer; containerId: string } | undefined;

/** An instance of the server on the test's shared store, on the test's clock. */
async function instance(): Promise<TestApp> {
  // Each instance opens its own connection, as two servers would.
  const store = cosmosContainer
    ? await openCosmosStore({ endpoint: cosmosContainer.server.endpoint, key: EMULATOR_KEY, databaseId: 'noticed-test', containerId: cosmosContainer.containerId, dangerouslyAcceptAnyTlsCertificate: true })
    : undefined;
  const t = await startTestApp({ SQLITE_PATH: join(dir, 'noticed.db') }, { now: () => clock, habitTimer: manualTimer, ...(store ? { store } : {}) });
  apps.push(t);
  return t;
}

async function post(t: TestApp, activity: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Noticed added to the team by Lee at INSTALLED, its roster synced. */
async function installed(settings: Partial<BoardSettings> = {}): Promise<TestApp> {
  const t = await instance();
  expect((await post(t, botInstalledInTeam(where, lee))).status).toBe(200);
  const until = Date.now() + 30_000;
  while (!(await t.app.store.boards.get(TENANT, TEAM_ID))?.rosterSync?.done) {
    if (Date.now() > until) throw new Error('the roster was not synced');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (Object.keys(settings).length) await settle(t, lee, settings);
  connector.calls.length = 0;
  return t;
}

/** The board's settings, changed as its lead does in the tab. */
async function settle(t: TestApp, by: typeof lee, settings: Partial<BoardSettings>): Promise<void> {
  const token = await t.token({ oid: by.aadObjectId, name: by.name });
  expect((await t.call('PATCH', `/api/v1/boards/${encodeURIComponent(TEAM_ID)}/settings`, { token, body: settings })).status).toBe(200);
}

/** A member's own preferences on the board, changed as they do in the tab's You view. */
async function prefer(t: TestApp, person: typeof ana, prefs: { optedOut?: boolean; reminderDay?: number | null }): Promise<void> {
  const token = await t.token({ oid: person.aadObjectId, name: person.name });
  expect((await t.call('PATCH', `/api/v1/me/preferences?boardId=${encodeURIComponent(TEAM_ID)}`, { token, body: prefs })).status).toBe(200);
}

/** A credit given in the channel at the clock's time. */
async function credit(t: TestApp, from: typeof ana, to: typeof ana, reason: string): Promise<void> {
  expect((await post(t, channelMessage(where, from, [BOT, ' credit ', to, ` for ${reason}`]))).status).toBe(200);
}

/** A credit given in the tab, which can be private. */
async function creditInTab(t: TestApp, from: typeof ana, to: typeof ana, message: string, visibility: 'board' | 'private'): Promise<string> {
  const token = await t.token({ oid: from.aadObjectId, name: from.name });
  const res = await t.call('POST', `/api/v1/boards/${encodeURIComponent(TEAM_ID)}/recognitions`, { token, body: { recipients: [{ userId: to.aadObjectId }], message, visibility } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Where a new message to the team's channel goes: a proactive post starts its own thread. */
const channelPath = () => `/v3/conversations/${TEAM_ID}/activities`;
/** Posts the bot attempted to the team's channel (new messages and replies), answered or not. */
const channelPosts = () => connector.calls.filter((c) => c.method === 'POST' && c.path.startsWith(`/v3/conversations/${TEAM_ID}`) && c.path.includes('/activities'));
/** The cards that reached the channel. */
const channelCards = () => channelPosts().filter((c) => c.status !== undefined && c.status < 400).flatMap((c) => cardsOf(c.body));
/** Personal chats the bot opened, by the person's channel id. */
const personalChats = () => connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations' && c.status === 201).map((c) => c.body.members[0].id as string);
/** Cards that reached personal chats, in order. */
const personalCards = () =>
  connector.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/v3/conversations/a:personal-') && (c.status ?? 500) < 400).flatMap((c) => cardsOf(c.body));
const cardText = (card: unknown) => cardTexts(card).map((x) => x.text).join('\n');
const digestCards = () => channelCards().filter((c) => cardText(c).includes('the week in credit'));
const sendOf = (t: TestApp, key: string) => t.app.store.sends.get(TENANT, TEAM_ID, key);

async function tickAt(t: TestApp, at: Date) {
  clock = at;
  return t.app.scheduler.tick();
}

describe('the weekly digest', () => {
  test('posts once at the slot: the week by kind with the behind-the-scenes share, coverage, one spotlight, the prompt and a Give credit button', async () => {
    const t = await installed();
    clock = minutes(INSTALLED, 60);
    await credit(t, lee, ana, 'catching the migration bug before release #caught');
    await credit(t, lee, ben, 'shipping the pricing page #win');
    await credit(t, ana, ben, 'the launch demo #win');
    expect((await tickAt(t, minutes(FRIDAY_SLOT, -1))).sent).toBe(0);
    connector.calls.length = 0;
    await tickAt(t, FRIDAY_SLOT);
    await tickAt(t, minutes(FRIDAY_SLOT, 1));
    await tickAt(t, minutes(FRIDAY_SLOT, 600));
    const cards = digestCards();
    expect(cards).toHaveLength(1);
    const [digest] = cards;
    expect(digest.version).toBe('1.5');
    expect(cardTexts(digest).map(({ element, text }) => [element, text])).toEqual([
      ['TextRun', '📬 Launch Crew: the week in credit'],
      ['TextBlock', '3 credits this week, 1 of them for behind-the-scenes work.'],
      ['Fact', '🛡️ Caught it early: 1'],
      ['Fact', '🏆 Delivered the win: 2'],
      ['TextBlock', '2 of 5 people credited in the last 30 days.'],
      ['TextBlock', '🔦 Behind the scenes · Caught it early'],
      ['TextRun', 'Ana López: catching the migration bug before release'],
      ['TextBlock', 'Who made your week easier?'],
      ['Action', 'Give credit'],
    ]);
    expect(await sendOf(t, sendKey('digest', 'week-of-2026-11-30'))).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test("proactive cards pass the same card checks as the others: the schema version Teams renders, people's words as text", async () => {
    const t = await installed({ nudgeAfterDays: 3 });
    await prefer(t, ana, { reminderDay: 5 });
    clock = minutes(INSTALLED, 60);
    const typed = '**this** [link](https://evil.example) <script>x</script>';
    await credit(t, lee, ana, `${typed} #unblocked`);
    connector.calls.length = 0;
    await tickAt(t, FRIDAY_SLOT);
    const cards = [...channelCards(), ...personalCards()];
    expect(cards.map((c) => cardText(c).split('\n')[0])).toEqual(['📬 Launch Crew: the week in credit', 'Launch Crew: not credited for 3 days', 'Who made your week easier?']);
    for (const c of cards) {
      expect(c).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
      // TextBlocks read Markdown: user text (names, messages, the team's name) never goes into one.
      const blocks = cardTexts(c).filter((x) => x.element === 'TextBlock').map((x) => x.text);
      for (const user of [typed, 'Launch Crew', ana.name, ben.name]) expect(blocks.filter((b) => b.includes(user))).toEqual([]);
    }
    expect(cardTexts(cards[0])).toContainEqual({ element: 'TextRun', text: `Ana López: ${typed}` });
  });

  test('a week with no credits gets an encouraging digest, not an empty one', async () => {
    const t = await installed();
    await tickAt(t, FRIDAY_SLOT);
    const [digest] = digestCards();
    expect(cardText(digest)).toContain('No credits this week yet. Quiet weeks are when the work no one sees piles up');
    expect(cardText(digest)).toContain('0 of 5 people credited in the last 30 days.');
    expect(cardText(digest)).toContain('Who made your week easier?');
    expect(cardText(digest)).not.toMatch(/Behind the scenes ·|0 credits/);
  });

  test('a board that switched it off gets nothing in its conversation', async () => {
    const t = await installed({ digestEnabled: false });
    await credit(t, lee, ana, 'the runbook #docs');
    connector.calls.length = 0;
    await tickAt(t, FRIDAY_SLOT);
    await tickAt(t, minutes(FRIDAY_SLOT, 60));
    expect(channelPosts()).toEqual([]);
    expect(await sendOf(t, sendKey('digest', 'week-of-2026-11-30'))).toBeUndefined();
  });

  test('private credits never reach a digest: no text, name, id, kind or count of theirs', async () => {
    const t = await installed();
    clock = minutes(INSTALLED, 60);
    const secret = 'covering for me during the hospital week, quietly';
    const id = await creditInTab(t, cy, dee, `${secret} #morale`, 'private');
    await tickAt(t, FRIDAY_SLOT);
    const [digest] = digestCards();
    const everything = JSON.stringify(digest);
    for (const leak of [secret, 'hospital', id, dee.name, dee.aadObjectId, cy.name, 'Kept us going']) expect(everything).not.toContain(leak);
    expect(cardText(digest)).toContain('No credits this week yet.');
    expect(cardText(digest)).toContain('0 of 5 people credited in the last 30 days.');
  });

  test('nobody is spotlighted twice in four digests while others qualify', async () => {
    const t = await installed();
    const spotlights: string[] = [];
    for (let week = 0; week < 5; week++) {
      const slot = new Date(FRIDAY_SLOT.getTime() + week * 7 * 86_400_000);
      clock = minutes(slot, -24 * 60);
      // Ana and Ben are credited for behind-the-scenes work every week, Cy in the first three, Dee from the fourth.
      await credit(t, lee, ana, `unblocking the build, week ${week} #unblocked`);
      await credit(t, lee, ben, `the onboarding notes, week ${week} #onboarding`);
      if (week < 3) await credit(t, lee, cy, `catching the outage, week ${week} #caught`);
      if (week >= 3) await credit(t, lee, dee, `the on-call handbook, week ${week} #docs`);
      connector.calls.length = 0;
      await tickAt(t, slot);
      const shown = cardTexts(digestCards()[0]);
      const at = shown.findIndex((x) => x.text.startsWith('🔦'));
      spotlights.push(shown[at + 1].text.split(':')[0]);
    }
    // Week 4: Ana, Ben and Dee qualify and Ana was spotlighted longest ago: never the same person twice in four.
    expect(spotlights).toEqual(['Ana López', "Ben O'Neil", 'Cy Park', 'Đức Nguyễn', 'Ana López']);
  });

  test('when everyone who qualifies was spotlighted lately, the one spotlighted longest ago comes back', async () => {
    const t = await installed();
    const spotlights: string[] = [];
    for (let week = 0; week < 3; week++) {
      const slot = new Date(FRIDAY_SLOT.getTime() + week * 7 * 86_400_000);
      clock = minutes(slot, -24 * 60);
      await credit(t, lee, ana, `unblocking the build, week ${week} #unblocked`);
      await credit(t, lee, ben, `the onboarding notes, week ${week} #onboarding`);
      connector.calls.length = 0;
      await tickAt(t, slot);
      const shown = cardTexts(digestCards()[0]);
      spotlights.push(shown[shown.findIndex((x) => x.text.startsWith('🔦')) + 1].text.split(':')[0]);
    }
    expect(spotlights).toEqual(['Ana López', "Ben O'Neil", 'Ana López']);
  });
});

describe('erasing my data', () => {
  test("takes me out of the digest's spotlight memory and removes the records of messages sent to me", async () => {
    const t = await installed({ nudgeAfterDays: 3 });
    clock = minutes(INSTALLED, 60);
    await credit(t, lee, ana, 'unblocking the staging deploy #unblocked');
    await prefer(t, ana, { reminderDay: 5 });
    await prefer(t, lee, { reminderDay: 5 });
    await tickAt(t, FRIDAY_SLOT);
    expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.digest?.spotlighted).toEqual([ana.aadObjectId]);
    expect((await sendOf(t, sendKey('reminder', 'week-of-2026-11-30', ana.aadObjectId)))?.status).toBe('sent');
    const res = await t.call('DELETE', '/api/v1/me/data', { token: await t.token({ oid: ana.aadObjectId, name: ana.name }) });
    expect(res.status).toBe(204);
    expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.digest?.spotlighted).toEqual([]);
    expect(await sendOf(t, sendKey('reminder', 'week-of-2026-11-30', ana.aadObjectId))).toBeUndefined();
    // Others' records stay, so nobody else is sent anything twice.
    expect((await sendOf(t, sendKey('reminder', 'week-of-2026-11-30', lee.aadObjectId)))?.status).toBe('sent');
    expect((await sendOf(t, sendKey('digest', 'week-of-2026-11-30')))?.status).toBe('sent');
    connector.calls.length = 0;
    await tickAt(t, minutes(FRIDAY_SLOT, 5));
    expect(personalChats()).toEqual([]);
  });
});

describe('the digest on demand', () => {
  test('"digest" in the channel shows the week so far, private credits left out, and changes nothing the weekly one remembers', async () => {
    const t = await installed();
    clock = minutes(INSTALLED, 60);
    await credit(t, lee, ana, 'unblocking the staging deploy #unblocked');
    await creditInTab(t, cy, ben, 'the private thank-you #helped', 'private');
    clock = minutes(INSTALLED, 61);
    connector.calls.length = 0;
    expect((await post(t, channelMessage(where, ben, [BOT, ' digest']))).status).toBe(200);
    const [shown] = connector.cards();
    expect(shown.version).toBe('1.5');
    expect(cardText(shown)).toContain('1 credit this week, 1 of them for behind-the-scenes work.');
    expect(cardText(shown)).toContain('Ana López: unblocking the staging deploy');
    expect(JSON.stringify(shown)).not.toContain('private thank-you');
    expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.digest).toBeUndefined();
    expect(await sendOf(t, sendKey('digest', 'week-of-2026-11-30'))).toBeUndefined();
  });

  test('"digest" in a personal chat says where to ask', async () => {
    const t = await installed();
    await post(t, personalMessage(where, ana, 'digest'));
    expect(connector.texts()).toEqual(['The digest belongs to a team or group chat: ask me there with @Noticed digest.']);
  });
});

describe('time zones', () => {
  // Friday 09:00 Europe/Berlin on both sides of the autumn (25 Oct 2026) and spring (28 Mar 2027) changes.
  const fridays: Array<[string, string, string]> = [
    ['before the autumn change (CEST)', '2026-10-23T07:00:00Z', 'week-of-2026-10-19'],
    ['after the autumn change (CET)', '2026-10-30T08:00:00Z', 'week-of-2026-10-26'],
    ['before the spring change (CET)', '2027-03-26T08:00:00Z', 'week-of-2027-03-22'],
    ['after the spring change (CEST)', '2027-04-02T07:00:00Z', 'week-of-2027-03-29'],
  ];
  test.each(fridays)('Friday 09:00 in Berlin arrives at 09:00 local %s', async (_name, utc, period) => {
    clock = new Date(Date.parse(utc) - 10 * 86_400_000);
    const t = await instance();
    expect((await post(t, botInstalledInTeam(where, lee))).status).toBe(200);
    await settle(t, lee, { timeZone: 'Europe/Berlin', digestDay: 5, digestHour: 9 });
    connector.calls.length = 0;
    await tickAt(t, new Date(Date.parse(utc) - 60_000));
    expect(digestCards()).toHaveLength(0);
    await tickAt(t, new Date(utc));
    expect(digestCards()).toHaveLength(1);
    expect((await sendOf(t, sendKey('digest', period)))?.status).toBe('sent');
  });

  test('a server down over the slot sends the missed digest once when back, and not at all a day and more late', async () => {
    const t = await installed();
    await tickAt(t, minutes(FRIDAY_SLOT, 5 * 60));
    await tickAt(t, minutes(FRIDAY_SLOT, 6 * 60));
    expect(digestCards()).toHaveLength(1);
    connector.calls.length = 0;
    // Down from before the next Friday's slot until Saturday afternoon: that week's digest is too late.
    await tickAt(t, minutes(FRIDAY_SLOT, 7 * 24 * 60 + 25 * 60));
    expect(digestCards()).toHaveLength(0);
  });
});

describe('once, across instances and crashes', () => {
  // With the lease as it works, and with a lease that lets both in (its TTL ran out mid-walk, a clock skew): the send records alone must hold then.
  test.each([['the lease held by one'], ['the lease letting both in']])('two instances against one store send the digest and each nudge once: %s', async (lease) => {
    const one = await installed();
    const two = await instance();
    if (lease === 'the lease letting both in') for (const t of [one, two]) jest.spyOn(t.app.store.leases, 'acquire').mockResolvedValue(true);
    await credit(one, lee, ana, 'the release checklist #process');
    clock = FRIDAY_SLOT;
    await Promise.all([one.app.scheduler.tick(), two.app.scheduler.tick(), one.app.scheduler.tick(), two.app.scheduler.tick()]);
    // The lease holder's tick may pass before the other instance is free to take it: a later tick by either sends nothing more.
    clock = minutes(FRIDAY_SLOT, 3);
    await Promise.all([one.app.scheduler.tick(), two.app.scheduler.tick()]);
    expect(digestCards()).toHaveLength(1);
    expect(personalChats()).toEqual([lee.id]);
  });

  describe('on Cosmos DB', () => {
    let server: CosmosTestServer;
    let containers = 0;
    beforeAll(async () => {
      server = await startCosmosTestServer();
    });
    afterAll(() => server.close());
    beforeEach(() => {
      cosmosContainer = { server, containerId: `habits-${++containers}` };
    });
    afterEach(async () => {
      while (apps.length) await (apps.pop() as TestApp).close();
      cosmosContainer = undefined;
    });

    test('two instances against one container send the digest and each nudge once', async () => {
      const one = await installed();
      const two = await instance();
      await credit(one, lee, ana, 'the release checklist #process');
      clock = FRIDAY_SLOT;
      await Promise.all([one.app.scheduler.tick(), two.app.scheduler.tick(), one.app.scheduler.tick(), two.app.scheduler.tick()]);
      clock = minutes(FRIDAY_SLOT, 3);
      await Promise.all([one.app.scheduler.tick(), two.app.scheduler.tick()]);
      expect(digestCards()).toHaveLength(1);
      expect(personalChats()).toEqual([lee.id]);
      expect(await sendOf(two, sendKey('digest', 'week-of-2026-11-30'))).toMatchObject({ status: 'sent', attempts: 1 });
    });
  });

  // How posting ended when the record was written: the instance stalled or died mid-post, or Teams failed it.
  const unknownOutcomes: Array<[string, ConnectorFault]> = [
    ['the post stalled and the instance gave up waiting', 'stall'],
    ['Teams answered 500', 500],
    ['Teams answered 502', 502],
  ];
  test.each(unknownOutcomes)('%s: the digest is never posted a second time', async (_name, fault) => {
    const t = await installed({ digestEnabled: true });
    connector.fault = (call) => (call.path === channelPath() ? fault : undefined);
    await tickAt(t, FRIDAY_SLOT);
    connector.fault = undefined;
    for (const later of [1, 15, 60, 600]) await tickAt(t, minutes(FRIDAY_SLOT, later));
    expect(channelPosts()).toHaveLength(1);
    expect(await sendOf(t, sendKey('digest', 'week-of-2026-11-30'))).toMatchObject({ status: 'gave-up', reason: 'unknown-outcome', attempts: 1 });
  });

  test('a crash between recording and posting leaves a pending record: it is closed after the grace period, never posted', async () => {
    const t = await installed();
    const at = FRIDAY_SLOT.toISOString();
    const crashed: SendRecord = { tenantId: TENANT, boardId: TEAM_ID, key: sendKey('digest', 'week-of-2026-11-30'), kind: 'digest', period: 'week-of-2026-11-30', status: 'pending', attempts: 1, createdAt: at, updatedAt: at };
    expect((await t.app.store.sends.create(crashed)).created).toBe(true);
    for (const later of [1, 5, 11, 60]) await tickAt(t, minutes(FRIDAY_SLOT, later));
    expect(channelPosts()).toHaveLength(0);
    expect(await sendOf(t, crashed.key)).toMatchObject({ status: 'gave-up', reason: 'stale-pending' });
  });
});

describe('when Teams refuses', () => {
  test.each([403, 404])('a board whose bot was removed (%s) is marked and skipped, without retry storms', async (status) => {
    const t = await installed();
    connector.fault = (call) => (call.path.startsWith(`/v3/conversations/${TEAM_ID}`) ? status : undefined);
    await tickAt(t, FRIDAY_SLOT);
    expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.unreachableAt).toBe(FRIDAY_SLOT.toISOString());
    const callsAfterFirst = connector.calls.length;
    for (let week = 0; week < 3; week++) for (const m of [1, 60, 600]) await tickAt(t, minutes(FRIDAY_SLOT, week * 7 * 24 * 60 + m));
    expect(connector.calls.length).toBe(callsAfterFirst);
    expect(channelPosts()).toHaveLength(1);
    expect(await sendOf(t, sendKey('digest', 'week-of-2026-11-30'))).toMatchObject({ status: 'gave-up', reason: 'unreachable' });
  });

  test('a board never added to a conversation (opened through the API) gets nothing and is not marked', async () => {
    const t = await instance();
    await t.board(TENANT, 'api-board', [{ userId: ana.aadObjectId, name: ana.name, role: 'lead', channelUserId: ana.id, reminderDay: 5 }]);
    await tickAt(t, FRIDAY_SLOT);
    expect(connector.calls).toEqual([]);
    expect((await t.app.store.boards.get(TENANT, 'api-board'))?.unreachableAt).toBeUndefined();
    expect(await t.app.store.sends.get(TENANT, 'api-board', sendKey('digest', 'week-of-2026-11-30'))).toBeUndefined();
  });

  test('a board whose bot is added again is served again', async () => {
    const t = await installed();
    connector.fault = (call) => (call.path === channelPath() ? 403 : undefined);
    await tickAt(t, FRIDAY_SLOT);
    connector.fault = undefined;
    clock = minutes(FRIDAY_SLOT, 60);
    await post(t, botInstalledInTeam(where, lee));
    expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.unreachableAt).toBeUndefined();
    connector.calls.length = 0;
    await tickAt(t, minutes(FRIDAY_SLOT, 7 * 24 * 60));
    expect(digestCards()).toHaveLength(1);
  });

  test('a 429 opening a personal chat waits for its Retry-After on a later tick: every message waits, then each goes once', async () => {
    const t = await installed({ digestEnabled: false });
    await prefer(t, ana, { reminderDay: 5 });
    connector.fault = (call) => (call.method === 'POST' && call.path === '/v3/conversations' ? { status: 429, retryAfterSeconds: 300 } : undefined);
    await tickAt(t, FRIDAY_SLOT);
    connector.fault = undefined;
    expect(connector.calls.filter((c) => c.path === '/v3/conversations')).toHaveLength(1);
    await tickAt(t, minutes(FRIDAY_SLOT, 4));
    expect(connector.calls.filter((c) => c.path === '/v3/conversations')).toHaveLength(1);
    await tickAt(t, minutes(FRIDAY_SLOT, 5));
    await tickAt(t, minutes(FRIDAY_SLOT, 6));
    expect(personalCards().filter((c) => cardText(c).startsWith('Who made your week easier?'))).toHaveLength(1);
    // The lead's nudge was the one throttled (and tried again); Ana's reminder waited behind it.
    expect(await sendOf(t, sendKey('nudge', 'week-of-2026-11-30', lee.aadObjectId))).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await sendOf(t, sendKey('reminder', 'week-of-2026-11-30', ana.aadObjectId))).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test('a 429 waits for its Retry-After on a later tick, then posts once', async () => {
    const t = await installed();
    connector.fault = (call) => (call.path === channelPath() ? { status: 429, retryAfterSeconds: 120 } : undefined);
    await tickAt(t, FRIDAY_SLOT);
    connector.fault = undefined;
    expect(channelPosts()).toHaveLength(1);
    expect(await sendOf(t, sendKey('digest', 'week-of-2026-11-30'))).toMatchObject({ status: 'failed', retryAt: minutes(FRIDAY_SLOT, 2).toISOString() });
    expect((await tickAt(t, minutes(FRIDAY_SLOT, 1))).skipped).toBe('throttled');
    expect(channelPosts()).toHaveLength(1);
    await tickAt(t, minutes(FRIDAY_SLOT, 2));
    await tickAt(t, minutes(FRIDAY_SLOT, 3));
    expect(channelPosts()).toHaveLength(2);
    expect(digestCards()).toHaveLength(1);
    expect(await sendOf(t, sendKey('digest', 'week-of-2026-11-30'))).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('nudges and reminders', () => {
  test("a lead's nudge names who went unnoticed, with what they were last credited for, once a week, in a personal chat", async () => {
    const t = await installed({ nudgeAfterDays: 3 });
    clock = minutes(INSTALLED, 60);
    await credit(t, lee, ana, 'catching the migration bug before release #caught');
    await tickAt(t, FRIDAY_SLOT);
    await tickAt(t, minutes(FRIDAY_SLOT, 30));
    expect(personalChats()).toEqual([lee.id]);
    const nudge = personalCards().find((c) => cardText(c).includes('not credited for'));
    expect(nudge.version).toBe('1.5');
    expect(cardTexts(nudge).map(({ element, text }) => [element, text])).toEqual([
      ['TextRun', 'Launch Crew: not credited for 3 days'],
      ['TextBlock', 'Worth a look at what they have been doing:'],
      ['TextRun', "Ben O'Neil — never credited here"],
      ['Action', 'Give credit'],
      ['TextRun', 'Cy Park — never credited here'],
      ['Action', 'Give credit'],
      ['TextRun', 'Đức Nguyễn — never credited here'],
      ['Action', 'Give credit'],
      ['TextRun', 'Ana López — last credited 3 days ago, for 🛡️ Caught it early: catching the migration bug before release'],
      ['Action', 'Give credit'],
      ['TextBlock', 'Only you see this. It is a prompt to notice, never a ranking.'],
    ]);
    // Nothing of it reaches the team.
    expect(channelCards().filter((c) => cardText(c).includes('never credited'))).toEqual([]);
  });

  test("the nudge's Give credit opens the form prefilled with that person, and the credit is given", async () => {
    const t = await installed({ nudgeAfterDays: 3 });
    await tickAt(t, FRIDAY_SLOT);
    const nudge = personalCards().find((c) => cardText(c).includes('not credited for'));
    const forBen = JSON.stringify(nudge).includes(ben.aadObjectId);
    expect(forBen).toBe(true);
    const form = await post(t, personalCardAction(where, lee, 'giveForm', { boardId: TEAM_ID, userId: ben.aadObjectId }));
    const people = form.body.value.body.find((e: any) => e.id === 'people');
    expect(people.value).toBe(ben.aadObjectId);
    const submit = form.body.value.actions[0];
    const given = await post(t, personalCardAction(where, lee, submit.verb, { ...submit.data, people: ben.aadObjectId, message: 'keeping the test lab alive', kind: 'sustained', private: 'false' }));
    expect(cardText(given.body.value)).toContain("Lee Lead credited Ben O'Neil");
    const page = await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: lee.aadObjectId, limit: 10 });
    expect(page.items.map((r) => [r.recipients[0].name, r.kind, r.message])).toEqual([["Ben O'Neil", 'sustained', 'keeping the test lab alive']]);
  });

  test("a Give credit button cannot reach a board the clicker is not on", async () => {
    const t = await installed();
    const stranger = { id: '29:1Stranger', aadObjectId: '99999999-0000-4000-8000-000000000009', name: 'Stranger' };
    const res = await post(t, personalCardAction(where, stranger, 'giveForm', { boardId: TEAM_ID }));
    expect(res.body.value).toBe('That board does not exist or you are not on it.');
  });

  test("the digest's Give credit opens the form in the channel and posts the credit there", async () => {
    const t = await installed();
    await tickAt(t, FRIDAY_SLOT);
    const button = digestCards()[0].actions[0];
    const form = await post(t, cardAction(where, ana, button.verb, button.data));
    const submit = form.body.value.actions[0];
    connector.calls.length = 0;
    const res = await post(t, cardAction(where, ana, submit.verb, { ...submit.data, people: cy.aadObjectId, message: 'answering every onboarding question', kind: 'sustained', private: 'false' }));
    expect(res.body.value).toBe('Credit posted. Thank you for noticing.');
    expect(channelCards().map(cardText).join('\n')).toContain('Ana López credited Cy Park');
  });

  test('people who opted out are never named, spotlighted or reminded; those who asked are reminded once on their day', async () => {
    const t = await installed({ nudgeAfterDays: 3 });
    clock = minutes(INSTALLED, 60);
    await credit(t, lee, dee, 'catching the certificate expiry #caught');
    connector.calls.length = 0;
    await prefer(t, dee, { optedOut: true, reminderDay: 5 });
    await prefer(t, ana, { reminderDay: 5 });
    await prefer(t, ben, { reminderDay: 3 });
    await tickAt(t, FRIDAY_SLOT);
    await tickAt(t, minutes(FRIDAY_SLOT, 30));
    const everything = JSON.stringify([...channelCards(), ...personalCards()]);
    for (const leak of [dee.name, dee.aadObjectId, 'certificate']) expect(everything).not.toContain(leak);
    expect(personalChats().sort()).toEqual([ana.id, lee.id].sort());
    const reminders = personalCards().filter((c) => cardText(c).startsWith('Who made your week easier?'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0].version).toBe('1.5');
    expect(cardTexts(reminders[0]).map((x) => x.text)).toContain('Give credit');
    expect(cardText(digestCards()[0])).toContain('0 of 4 people credited in the last 30 days.');
  });
});
