import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCosmosStore, openSqliteStore } from '../core/store';
import { EMULATOR_KEY, type CosmosTestServer, startCosmosTestServer } from '../core/test/cosmos-test-server';
import { botInstalledInTeam, cardAction, channelMessage, type ConnectorFault, startTeamsConnector, type TeamsConnector } from '../bot/dev';
import type { RequestDeadlines } from '../bot';
import { BOT, PEOPLE, TEAM_ID, whereFor } from './fixtures/teams-activities';
import { type Fault, type FaultProxy, type FaultRule, shareOfRequests, startFaultProxy } from './support/fault-proxy';
import { TENANT, type TestApp, startTestApp } from './support/test-app';

/**
 * Issue #18: store faults get an honest answer inside the request's deadline. The app runs on
 * the Cosmos-protocol server through a fault proxy, under deadlines at a fifth of the real ones
 * so an injected stall outlasts them in a second; the stall itself is never waited out.
 */
const DEADLINES: RequestDeadlines = { restMs: 1000, invokeMs: 800, messageMs: 2000, connectorCallMs: 500 };
/** Room past the deadline for the answer's own way back on a loaded machine: a bound, not a speed target. */
const MARGIN_MS = 1500;
const STALL_MS = 6000;
const BOARD = 'team-1';
const ANA = 'user-ana';
const BEN = 'user-ben';
const REST_SENTENCE = 'Noticed could not reach its storage just now. Nothing was lost, and nothing will be saved twice: please try again in a moment.';
const CHAT_SENTENCE = "I couldn't save that just now — nothing was recorded twice; please send it again.";

let cosmos: CosmosTestServer;
let proxy: FaultProxy;
let connector: TeamsConnector;
let t: TestApp;
let containers = 0;

beforeAll(async () => {
  cosmos = await startCosmosTestServer();
  proxy = await startFaultProxy(cosmos.endpoint);
  connector = await startTeamsConnector();
});
afterAll(async () => {
  await connector.close();
  await proxy.close();
  await cosmos.close();
});
beforeEach(async () => {
  proxy.rule = undefined;
  connector.calls.length = 0;
  connector.roster(TEAM_ID, Object.values(PEOPLE));
  const store = await openCosmosStore({ endpoint: proxy.endpoint, key: EMULATOR_KEY, databaseId: 'noticed-faults', containerId: `faults-${++containers}`, dangerouslyAcceptAnyTlsCertificate: true });
  t = await startTestApp({ LOG_LEVEL: process.env.FAULT_LOG ?? 'silent' }, { store, deadlines: DEADLINES });
  await t.board(TENANT, BOARD, [
    { userId: ANA, name: 'Ana López' },
    { userId: BEN, name: 'Ben Okafor' },
  ]);
});
afterEach(async () => {
  proxy.rule = undefined;
  await t.close();
});

/** Every transactional batch (the write of a credit with its people's stats) gets this fault. */
const everyBatch =
  (fault: Fault): FaultRule =>
  (request) =>
    request.batch ? fault : undefined;

async function giveCredit(key: string, message = 'Caught the migration bug before release', giver = ANA) {
  const token = await t.token({ oid: giver });
  const started = Date.now();
  const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token, body: { recipients: [{ userId: BEN }], message }, headers: { 'Idempotency-Key': key } });
  return { ...res, ms: Date.now() - started };
}

/** The board's credits as the store holds them, by message. */
async function storedMessages(): Promise<string[]> {
  const page = await t.app.store.recognitions.page({ tenantId: TENANT, boardId: BOARD, viewerId: ANA, limit: 100 });
  return page.items.map((r) => r.message).sort();
}

describe('REST on a faulty store', () => {
  test.each<[string, Fault]>([
    ['throttled (429 with x-ms-retry-after-ms)', { kind: '429', retryAfterMs: 200 }],
    ['unavailable (503)', { kind: '503' }],
    ['dropping the connection', { kind: 'drop' }],
    ['stalling past the deadline', { kind: 'stall', ms: STALL_MS }],
  ])('a store %s answers 503 with Retry-After and the sentence, within the deadline; the retry saves the credit once', async (_name, fault) => {
    proxy.rule = everyBatch(fault);
    const failed = await giveCredit('click-1');

    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({ error: { code: 'store_unavailable', message: REST_SENTENCE, correlationId: expect.any(String) } });
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(failed.ms).toBeLessThan(DEADLINES.restMs + MARGIN_MS);

    proxy.rule = undefined;
    const retried = await giveCredit('click-1');
    expect(retried.status).toBe(201);
    expect(await giveCredit('click-1')).toMatchObject({ status: 200, body: { id: retried.body.id } });
    expect(await storedMessages()).toEqual(['Caught the migration bug before release']);
  });

  test('with faults on a share of all requests, every answer is a credit or a 503 in time, and retries with the same key leave each credit stored once', async () => {
    const messages = Array.from({ length: 16 }, (_, i) => `Reviewed release ${i + 1} line by line`);
    // A giver per credit, so the per-person write limit never answers instead of the store.
    await t.board(TENANT, BOARD, messages.map((_, i) => ({ userId: `giver-${i}`, name: `Giver ${i}` })));
    proxy.rule = shareOfRequests(0.1, 18, STALL_MS);
    const statuses: number[] = [];
    const refusals: unknown[] = [];
    let slowest = 0;
    for (const [i, message] of messages.entries()) {
      for (let attempt = 0; attempt < 30; attempt++) {
        const res = await giveCredit(`release-${i}`, message, `giver-${i}`);
        statuses.push(res.status);
        slowest = Math.max(slowest, res.ms);
        if (res.status < 300) break;
        refusals.push({ status: res.status, code: res.body?.error?.code, retryAfter: res.headers.get('retry-after') !== null });
      }
    }
    proxy.rule = undefined;

    expect(proxy.injected['429'] + proxy.injected['503'] + proxy.injected.drop + proxy.injected.stall).toBeGreaterThan(0);
    expect(statuses.filter((s) => s < 300)).toHaveLength(messages.length);
    expect(refusals.filter((r) => JSON.stringify(r) !== JSON.stringify({ status: 503, code: 'store_unavailable', retryAfter: true }))).toEqual([]);
    expect(slowest).toBeLessThan(DEADLINES.restMs + MARGIN_MS);
    expect(await storedMessages()).toEqual([...messages].sort());
  });
});

describe('the bot on a faulty store', () => {
  const { ana, ben, lee } = PEOPLE;

  async function post(activity: unknown): Promise<{ status: number; ms: number }> {
    const started = Date.now();
    const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await res.text();
    return { status: res.status, ms: Date.now() - started };
  }

  async function installed(): Promise<ReturnType<typeof whereFor>> {
    const where = whereFor(TENANT, connector.url);
    expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
    const until = Date.now() + 20_000;
    while (!(await t.app.store.boards.get(TENANT, TEAM_ID))?.rosterSync?.done && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    connector.calls.length = 0;
    return where;
  }

  test('a card form submitted while the store stalls is answered, inside the invoke deadline, with the sentence in the invoke\'s own shape', async () => {
    const where = await installed();
    await post(channelMessage(where, lee, [BOT, ' credit ', ana, ' for closing the Contoso deal #win']));
    const [win] = (await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: lee.aadObjectId, limit: 10 })).items;

    proxy.rule = everyBatch({ kind: 'stall', ms: STALL_MS });
    const submit = { boardId: TEAM_ID, creditId: win.id, formKey: 'f-1', people: ben.aadObjectId, message: 'Set up the demo data the night before', kind: 'enabled' };
    const started = Date.now();
    const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cardAction(where, ana, 'inspireSubmit', submit)) });
    const body = await res.json();

    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(DEADLINES.invokeMs + MARGIN_MS);
    expect(body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: CHAT_SENTENCE });
  });

  test.each<[string, Fault]>([
    ['throttled', { kind: '429', retryAfterMs: 200 }],
    ['stalling past the deadline', { kind: 'stall', ms: STALL_MS }],
  ])('a credit in chat while the store is %s gets the sentence within the turn; sent again, it is credited once', async (_name, fault) => {
    const where = await installed();
    proxy.rule = everyBatch(fault);
    const parts: Parameters<typeof channelMessage>[2] = [BOT, ' credit ', ben, ' for covering my shift'];
    const first = await post(channelMessage(where, ana, parts));
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(DEADLINES.messageMs + MARGIN_MS);
    expect(connector.texts()).toEqual([CHAT_SENTENCE]);
    expect(connector.cards()).toEqual([]);

    proxy.rule = undefined;
    connector.calls.length = 0;
    expect((await post(channelMessage(where, ana, parts))).status).toBe(200);
    expect(connector.cards()).toHaveLength(1);
    const page = await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: lee.aadObjectId, limit: 100 });
    expect(page.items.map((r) => r.message)).toEqual(['covering my shift']);
  });
});

describe('replies through a Teams connector that fails once', () => {
  const { ana, ben, lee } = PEOPLE;
  // A connector call bound long enough for one Retry-After of a second, inside the message deadline.
  const LONGER: RequestDeadlines = { ...DEADLINES, messageMs: 4000, connectorCallMs: 2500 };
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({}, { deadlines: LONGER });
  });
  afterEach(async () => {
    connector.fault = undefined;
    await app.close();
  });

  test.each<[string, ConnectorFault]>([
    ['429 with Retry-After', { status: 429, retryAfterSeconds: 1 }],
    ['500', 500],
  ])('a reply Teams first answers %s is sent again with backoff and arrives inside the turn', async (_name, fault) => {
    const where = whereFor(TENANT, connector.url);
    const post = async (activity: unknown) => {
      const started = Date.now();
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      await res.text();
      return { status: res.status, ms: Date.now() - started };
    };
    expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
    let failed = 0;
    connector.calls.length = 0;
    connector.fault = (call) => (call.method === 'POST' && /\/activities(\/[^/]+)?$/.test(call.path) && failed++ === 0 ? fault : undefined);

    const res = await post(channelMessage(where, ana, [BOT, ' credit ', ben, ' for covering my shift']));

    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(LONGER.messageMs + MARGIN_MS);
    expect(failed).toBeGreaterThan(1);
    expect(connector.cards()).toHaveLength(1);
  });
});

describe('REST on a SQLite file another process holds', () => {
  test('a credit while the file is locked for writing answers 503 with Retry-After and the sentence; after the lock, the retry saves it once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'noticed-busy-'));
    const path = join(dir, 'noticed.db');
    const sqlite = await startTestApp({}, { store: openSqliteStore(path), deadlines: DEADLINES });
    // Another process's connection on the same file (a maintenance script) holding the write lock.
    const other = new Database(path);
    try {
      await sqlite.board(TENANT, BOARD, [
        { userId: ANA, name: 'Ana López' },
        { userId: BEN, name: 'Ben Okafor' },
      ]);
      const send = async () => sqlite.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: await sqlite.token(), body: { recipients: [{ userId: BEN }], message: 'Kept the build green' }, headers: { 'Idempotency-Key': 'busy-1' } });
      other.exec('BEGIN IMMEDIATE');
      const locked = await send();
      other.exec('ROLLBACK');

      expect(locked.status).toBe(503);
      expect(locked.body).toEqual({ error: { code: 'store_unavailable', message: REST_SENTENCE, correlationId: expect.any(String) } });
      expect(locked.headers.get('retry-after')).toBe('1');
      expect((await send()).status).toBe(201);
      expect((await send()).status).toBe(200);
      const page = await sqlite.app.store.recognitions.page({ tenantId: TENANT, boardId: BOARD, viewerId: ANA, limit: 100 });
      expect(page.items.map((r) => r.message)).toEqual(['Kept the build green']);
    } finally {
      other.close();
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
