import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { AddressInfo } from 'node:net';
import { openCosmosStore } from '../core/store';
import { botInstalledInTeam, channelMessage, startTeamsConnector, type TeamsConnector } from '../bot/dev';
import { EMULATOR_KEY } from '../core/test/cosmos-test-server';
import { BOT, PEOPLE, TEAM_ID, whereFor } from './fixtures/teams-activities';
import { TENANT, type TestApp, startTestApp } from './support/test-app';
import type { Member } from '../core';

const { ana, ben, cy, lee } = PEOPLE;

/**
 * Cosmos DB round trips of one credit turn in chat, counted at the local Cosmos-protocol
 * server, with the board and the people already known: 7 to one person, 8 to two (16 and 21
 * before the turn read its board once). The ceilings are what the turn makes now, so a change
 * that adds a round trip fails here:
 * - 2 for the credit's context, one query of the board's partition for the board, the giver,
 *   the people mentioned and the giver's latest credits (the same-credit rule's): @azure/cosmos
 *   4.9 asks the gateway for a query plan with every query, a partition key given or not (at
 *   the same time as the query, so it adds a request but no wait);
 * - the store's create, 3 + 1 per recipient (`CosmosRecognitionStore.create` says where);
 * - 1 to note the posted card, a conditional patch that needs no read.
 * The card's audience comes from the people the credit found. A resend is answered from the
 * context alone. Issue #15 asks for at most 3.
 */
const turns: Array<[string, Parameters<typeof channelMessage>[2], number, { cards: number; texts: string[] }]> = [
  ['a credit to one person', [BOT, ' credit ', ben, ' for covering my shift'], 7, { cards: 1, texts: [] }],
  ['a credit to two people', [BOT, ' credit ', ben, ' and ', cy, ' for the release notes'], 8, { cards: 1, texts: [] }],
  ['the same credit sent again', [BOT, ' credit ', lee, ' for the kickoff'], 2, { cards: 0, texts: ['Already credited — see the card above.'] }],
];

/**
 * What the one read must still refuse or keep private, on Cosmos DB as on SQLite, and what
 * that costs: a refusal reads the credit's context and writes nothing; a private preference
 * opens the personal chats with the people already read.
 */
const rules: Array<[string, Partial<Member>, Parameters<typeof channelMessage>[2], { texts: RegExp[]; inChannel: number; personalChats: string[]; visibility?: 'board' | 'private' }, number]> = [
  ['someone who opted out is refused and nothing is written', { optedOut: true }, [BOT, ' credit ', ben, ' for the runbook'], { texts: [/Ben .* has opted out of Noticed/], inChannel: 0, personalChats: [] }, 2],
  [
    'someone who prefers private credit gets it in personal chats only',
    { prefersPrivate: true },
    [BOT, ' credit ', ben, ' for the runbook'],
    { texts: [], inChannel: 0, personalChats: [ana.id, ben.id].sort(), visibility: 'private' },
    7,
  ],
  [
    'someone who left and Teams no longer lists is not credited',
    { leftAt: '2026-01-01T00:00:00.000Z' },
    [BOT, ' credit ', cy, ' for the runbook'],
    { texts: [/can't find Cy/], inChannel: 0, personalChats: [] },
    2,
  ],
];

let cosmos: ReturnType<typeof createHttpsServer>;
let endpoint: string;
let requests: string[] = [];
let containers = 0;
let connector: TeamsConnector;
let t: TestApp;

beforeAll(async () => {
  // The test's own emulator rather than the shared helper's, so it can listen to every request.
  cosmos = createHttpsServer({ keepAlive: true });
  cosmos.keepAliveTimeout = 60_000;
  cosmos.on('request', (req) => requests.push(`${req.method} ${req.url}${req.headers['x-ms-cosmos-is-query-plan-request'] ? ' (query plan)' : ''}`));
  await new Promise<void>((resolve) => cosmos.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`;
  connector = await startTeamsConnector();
});
afterAll(async () => {
  await connector.close();
  cosmos.closeAllConnections();
  await new Promise<void>((resolve) => cosmos.close(() => resolve()));
});

beforeEach(async () => {
  connector.roster(TEAM_ID, Object.values(PEOPLE));
  const store = await openCosmosStore({ endpoint, key: EMULATOR_KEY, databaseId: 'noticed-test', containerId: `turn-${++containers}`, dangerouslyAcceptAnyTlsCertificate: true });
  t = await startTestApp({}, { store });
});
afterEach(() => t.close());

async function post(activity: unknown): Promise<number> {
  const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  await res.text();
  // The turn's work after its answer (noting the card) is its round trips too, and none of a turn may land in the next one's count.
  await t.app.adapter.drain();
  return res.status;
}

/** Installs Noticed, waits for the roster sync to end (so none of its writes lands in a count), and gives a first credit. */
async function boardInUse(where: ReturnType<typeof whereFor>): Promise<void> {
  expect(await post(botInstalledInTeam(where, lee))).toBe(200);
  while (!(await t.app.store.boards.get(TENANT, TEAM_ID))?.rosterSync?.done) await new Promise((resolve) => setTimeout(resolve, 20));
  // A first credit, so the giver's stats exist as they do on any board in use.
  expect(await post(channelMessage(where, ana, [BOT, ' credit ', lee, ' for the kickoff']))).toBe(200);
  connector.calls.length = 0;
  requests = [];
}

const credits = async () => (await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: ana.aadObjectId, limit: 100 })).items;

test.each(turns)('%s makes at most the counted Cosmos DB round trips', async (_name, parts, ceiling, shown) => {
  const where = whereFor(TENANT, connector.url);
  await boardInUse(where);

  expect(await post(channelMessage(where, ana, parts))).toBe(200);

  expect({ cards: connector.cards().length, texts: connector.texts() }).toEqual(shown);
  // Asserts at most `ceiling` requests, and a failure lists the ones beyond it.
  expect(requests.slice(ceiling)).toEqual([]);
});

test.each(rules)('%s, in at most the counted Cosmos DB round trips', async (_name, change, parts, expected, ceiling) => {
  const where = whereFor(TENANT, connector.url);
  await boardInUse(where);
  const userId = parts.find((p): p is typeof ben => typeof p !== 'string' && p !== BOT)?.aadObjectId as string;
  const stored = await t.app.store.members.get(TENANT, TEAM_ID, userId);
  await t.app.store.members.put({ ...(stored as Member), ...change });
  if (change.leftAt) connector.roster(TEAM_ID, Object.values(PEOPLE).filter((p) => p.aadObjectId !== userId));
  const before = await credits();
  requests = [];

  expect(await post(channelMessage(where, ana, parts))).toBe(200);

  expect(requests.slice(ceiling)).toEqual([]);
  const texts = connector.texts();
  expect(texts).toHaveLength(expected.texts.length);
  expected.texts.forEach((text, i) => expect(texts[i]).toMatch(text));
  const channelCards = connector.calls.filter((c) => c.method === 'POST' && c.path.startsWith(`/v3/conversations/${TEAM_ID}`) && c.body?.attachments?.length);
  expect(channelCards).toHaveLength(expected.inChannel);
  const opened = connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
  expect(opened.map((c) => c.body.members[0].id).sort()).toEqual(expected.personalChats);
  const added = (await credits()).filter((r) => !before.some((b) => b.id === r.id));
  expect(added.map((r) => r.visibility)).toEqual(expected.visibility ? [expected.visibility] : []);
});
