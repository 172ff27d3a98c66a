import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { AddressInfo } from 'node:net';
import { openCosmosStore } from '../core/store';
import { botInstalledInTeam, channelMessage, startTeamsConnector, type TeamsConnector } from '../bot/dev';
import { EMULATOR_KEY } from '../core/test/cosmos-test-server';
import { BOT, PEOPLE, TEAM_ID, whereFor } from './fixtures/teams-activities';
import { TENANT, type TestApp, startTestApp } from './support/test-app';

const { ana, ben, cy, lee } = PEOPLE;

/**
 * Cosmos DB round trips of one credit turn in chat, counted at the local Cosmos-protocol
 * server, with the board and the people already known: 7 to one person, 8 to two (16 and 21
 * before the turn read its board once). The ceilings are what the turn makes now, so a change
 * that adds a round trip fails here:
 * - 2 for the credit's context, one query of the board's partition for the board, the giver,
 *   the people mentioned and the giver's latest credits (the same-credit rule's): @azure/cosmos
 *   4.9 asks the gateway for a query plan before every query, a partition key given or not;
 * - the store's create, 3 + 1 per recipient (`CosmosRecognitionStore.create` says where);
 * - 1 to note the posted card, a conditional patch that needs no read.
 * The card's audience comes from the people the credit found. Issue #15 asks for at most 3.
 */
const turns: Array<[string, Parameters<typeof channelMessage>[2], number]> = [
  ['a credit to one person', [BOT, ' credit ', ben, ' for covering my shift'], 7],
  ['a credit to two people', [BOT, ' credit ', ben, ' and ', cy, ' for the release notes'], 8],
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
  return res.status;
}

test.each(turns)('%s makes at most the counted Cosmos DB round trips', async (_name, parts, ceiling) => {
  const where = whereFor(TENANT, connector.url);
  expect(await post(botInstalledInTeam(where, lee))).toBe(200);
  // A first credit, so the giver's stats exist as they do on any board in use.
  expect(await post(channelMessage(where, ana, [BOT, ' credit ', lee, ' for the kickoff']))).toBe(200);
  connector.calls.length = 0;
  requests = [];

  expect(await post(channelMessage(where, ana, parts))).toBe(200);

  expect(connector.cards()).toHaveLength(1);
  // Asserts at most `ceiling` requests, and a failure lists the ones beyond it.
  expect(requests.slice(ceiling)).toEqual([]);
});
