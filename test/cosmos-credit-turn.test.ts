import { CosmosClient } from '@azure/cosmos';
import { Agent } from 'node:https';
import { openCosmosStore } from '../core/store';
import { botInstalledInTeam, channelMessage, startTeamsConnector, type TeamsConnector } from '../bot/dev';
import { type CosmosTestServer, EMULATOR_KEY, startCosmosTestServer } from '../core/test/cosmos-test-server';
import { BOT, PEOPLE, TEAM_ID, whereFor } from './fixtures/teams-activities';
import { TENANT, type TestApp, startTestApp } from './support/test-app';
import type { Member } from '../core';

const { ana, ben, cy, dee, lee } = PEOPLE;

/** Sequential round trips (requests in flight at the server together count once) and requests. */
interface Cost {
  trips: number;
  requests: number;
}

/** What a turn finds already stored before it runs. */
type Before = 'board in use' | 'ben credited before' | "ben's stats predate channel ids" | 'the giver never gave' | "dee isn't on the roster yet" | 'no board yet';

/**
 * Cosmos DB round trips of one credit turn in chat, counted at the local Cosmos-protocol
 * server (requests sent together overlap there and are one trip): with the board and the
 * people already known, 3 round trips and 4 requests, to one person as to two (4 round trips
 * and 7 or 8 requests before the context query read what the create writes against). Where
 * they go is said on `CosmosRecognitionStore.create`: the context query with its query plan,
 * the batch, the patch that notes the card. A board or a person not known yet costs more, as
 * the rows below say. The ceilings are what the turn makes now, so a change that adds a trip
 * or a request fails here. The card's audience comes from the people the credit found; a
 * resend is answered from the context alone. What the store holds after the turn is checked
 * too: the ETags taken from the query must still keep the counts exact.
 */
const turns: Array<[string, Before, Parameters<typeof channelMessage>[2], Cost, { cards: number; texts: string[] }, { ben: number; cy: number; dee: number; anaGave: number }]> = [
  ['a credit to one person', 'board in use', [BOT, ' credit ', ben, ' for covering my shift'], { trips: 3, requests: 4 }, { cards: 1, texts: [] }, { ben: 1, cy: 0, dee: 0, anaGave: 2 }],
  ['a credit to two people', 'board in use', [BOT, ' credit ', ben, ' and ', cy, ' for the release notes'], { trips: 3, requests: 4 }, { cards: 1, texts: [] }, { ben: 1, cy: 1, dee: 0, anaGave: 2 }],
  ['a credit to someone credited before', 'ben credited before', [BOT, ' credit ', ben, ' for covering my shift'], { trips: 3, requests: 4 }, { cards: 1, texts: [] }, { ben: 2, cy: 0, dee: 0, anaGave: 3 }],
  ['a first credit from someone who never gave', 'the giver never gave', [BOT, ' credit ', ben, ' for covering my shift'], { trips: 3, requests: 4 }, { cards: 1, texts: [] }, { ben: 1, cy: 0, dee: 0, anaGave: 1 }],
  ['the same credit sent again', 'board in use', [BOT, ' credit ', lee, ' for the kickoff'], { trips: 1, requests: 2 }, { cards: 0, texts: ['Already credited — see the card above.'] }, { ben: 0, cy: 0, dee: 0, anaGave: 1 }],
  // Stats written before they carried the channel's id are not found by a mention: the batch's
  // Create of them is refused, and the retry reads them and writes the id in, once per person.
  [
    'a credit to someone whose stats predate channel ids on stats',
    "ben's stats predate channel ids",
    [BOT, ' credit ', ben, ' for covering my shift'],
    { trips: 5, requests: 7 },
    { cards: 1, texts: [] },
    { ben: 2, cy: 0, dee: 0, anaGave: 3 },
  ],
  // Someone the roster does not list yet: Teams is asked, their entry is read and written, core
  // reads it again (it was not in the context), and their stats are read before the batch.
  ["a credit to someone the roster doesn't list yet", "dee isn't on the roster yet", [BOT, ' credit ', dee, ' for the onboarding guide'], { trips: 7, requests: 8 }, { cards: 1, texts: [] }, { ben: 0, cy: 0, dee: 1, anaGave: 2 }],
  // A team that never installed Noticed: the turn makes its board and the roster entries it needs,
  // and starts the roster sync, whose first writes may land inside the turn: about 14 round trips.
  ['the first credit on a new board', 'no board yet', [BOT, ' credit ', ben, ' for covering my shift'], { trips: 18, requests: 22 }, { cards: 1, texts: [] }, { ben: 1, cy: 0, dee: 0, anaGave: 1 }],
];

/**
 * What the one read must still refuse or keep private, on Cosmos DB as on SQLite, and what
 * that costs: a refusal reads the credit's context and writes nothing; a private preference
 * opens the personal chats with the people already read.
 */
const rules: Array<[string, Partial<Member>, Parameters<typeof channelMessage>[2], { texts: RegExp[]; inChannel: number; personalChats: string[]; visibility?: 'board' | 'private' }, Cost]> = [
  ['someone who opted out is refused and nothing is written', { optedOut: true }, [BOT, ' credit ', ben, ' for the runbook'], { texts: [/Ben .* has opted out of Noticed/], inChannel: 0, personalChats: [] }, { trips: 1, requests: 2 }],
  [
    'someone who prefers private credit gets it in personal chats only',
    { prefersPrivate: true },
    [BOT, ' credit ', ben, ' for the runbook'],
    { texts: [], inChannel: 0, personalChats: [ana.id, ben.id].sort(), visibility: 'private' },
    { trips: 3, requests: 4 },
  ],
  [
    'someone who left and Teams no longer lists is not credited',
    { leftAt: '2026-01-01T00:00:00.000Z' },
    [BOT, ' credit ', cy, ' for the runbook'],
    { texts: [/can't find Cy/], inChannel: 0, personalChats: [] },
    { trips: 1, requests: 2 },
  ],
];

let cosmos: CosmosTestServer;
let containers = 0;
let connector: TeamsConnector;
let t: TestApp;

beforeAll(async () => {
  // A network's few milliseconds, so requests sent together overlap at the server.
  cosmos = await startCosmosTestServer({ latencyMs: 10 });
  connector = await startTeamsConnector();
});
afterAll(async () => {
  await connector.close();
  await cosmos.close();
});

beforeEach(async () => {
  connector.roster(TEAM_ID, Object.values(PEOPLE));
  const store = await openCosmosStore({ endpoint: cosmos.endpoint, key: EMULATOR_KEY, databaseId: 'noticed-test', containerId: `turn-${++containers}`, dangerouslyAcceptAnyTlsCertificate: true });
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

/** Installs Noticed, waits for the roster sync to end (so none of its writes lands in a count), and gives a first credit unless told not to. */
async function boardInUse(where: ReturnType<typeof whereFor>, before: Before = 'board in use'): Promise<void> {
  connector.calls.length = 0;
  if (before === 'no board yet') return cosmos.traffic.clear();
  if (before === "dee isn't on the roster yet") connector.roster(TEAM_ID, Object.values(PEOPLE).filter((p) => p !== dee));
  expect(await post(botInstalledInTeam(where, lee))).toBe(200);
  while (!(await t.app.store.boards.get(TENANT, TEAM_ID))?.rosterSync?.done) await new Promise((resolve) => setTimeout(resolve, 20));
  connector.roster(TEAM_ID, Object.values(PEOPLE));
  // A first credit, so the giver's stats exist as they do on any board in use.
  if (before !== 'the giver never gave') expect(await post(channelMessage(where, ana, [BOT, ' credit ', lee, ' for the kickoff']))).toBe(200);
  if (before === 'ben credited before' || before === "ben's stats predate channel ids") expect(await post(channelMessage(where, ana, [BOT, ' credit ', ben, ' for the demo']))).toBe(200);
  if (before === "ben's stats predate channel ids") await withoutChannelId(`stats:${ben.aadObjectId}`);
  // Each setup credit got its card and no apology, or the counts below would start wrong.
  expect(connector.texts()).toEqual([]);
  connector.calls.length = 0;
  cosmos.traffic.clear();
}

/** Rewrites a stats item as the store wrote it before stats carried the channel's id. */
async function withoutChannelId(id: string): Promise<void> {
  const agent = new Agent({ rejectUnauthorized: false });
  const client = new CosmosClient({ endpoint: cosmos.endpoint, key: EMULATOR_KEY, agent });
  const item = client.database('noticed-test').container(`turn-${containers}`).item(id, `${TENANT}/${TEAM_ID}`);
  const { resource } = await item.read();
  expect(resource.channelUserId).toBe(ben.id);
  delete resource.channelUserId;
  await item.replace(resource);
  client.dispose();
  agent.destroy();
}

/** At most the counted round trips and requests; a failure lists the ones beyond them. */
function expectAtMost(cost: Cost): void {
  const trips = cosmos.traffic.roundTrips();
  expect(trips.slice(cost.trips)).toEqual([]);
  expect(trips.flat().slice(cost.requests)).toEqual([]);
}

const credits = async () => (await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: ana.aadObjectId, limit: 100 })).items;
const received = async (userId: string) => (await t.app.store.stats.get(TENANT, TEAM_ID, userId))?.receivedCount ?? 0;
const countedCredits = async () => (await t.app.store.stats.hours(TENANT, TEAM_ID, '2000-01-01')).reduce((n, h) => n + h.credits, 0);

test.each(turns)('%s makes at most the counted Cosmos DB round trips', async (_name, before, parts, cost, shown, stats) => {
  const where = whereFor(TENANT, connector.url);
  await boardInUse(where, before);

  expect(await post(channelMessage(where, ana, parts))).toBe(200);

  expect({ cards: connector.cards().length, texts: connector.texts() }).toEqual(shown);
  expectAtMost(cost);
  const [benGot, cyGot, deeGot] = [await received(ben.aadObjectId), await received(cy.aadObjectId), await received(dee.aadObjectId)];
  expect({ ben: benGot, cy: cyGot, dee: deeGot, anaGave: (await t.app.store.stats.get(TENANT, TEAM_ID, ana.aadObjectId))?.givenCount }).toEqual(stats);
  expect(await countedCredits()).toBe((await credits()).length);
});

/**
 * Credits given at the same moment all read the same ETags with their context: every batch
 * but the first to land is refused (412, or 409 for stats or day counts created meanwhile)
 * and retried from fresh reads, so each person's stats and the board's counts hold every credit.
 */
test.each([
  ['four givers credit one person at once', [ana, cy, dee, lee].map((giver) => [giver, [BOT, ' credit ', ben, ' for the on-call week']] as const), { [ben.aadObjectId]: 4 }],
  [
    'four givers credit two people at once',
    [ana, ben, dee, lee].map((giver) => [giver, [BOT, ' credit ', giver === ben ? ana : ben, ' and ', cy, ' for the migration']] as const),
    { [ana.aadObjectId]: 1, [ben.aadObjectId]: 3, [cy.aadObjectId]: 4 },
  ],
])('%s: the stats and counts hold every credit', async (_name, sends, expected) => {
  const where = whereFor(TENANT, connector.url);
  await boardInUse(where, 'the giver never gave');

  const statuses = await Promise.all(sends.map(([giver, parts]) => post(channelMessage(where, giver, [...parts]))));

  expect(statuses).toEqual(sends.map(() => 200));
  expect(connector.cards()).toHaveLength(sends.length);
  for (const [userId, n] of Object.entries(expected)) expect({ userId, received: await received(userId) }).toEqual({ userId, received: n });
  for (const [giver] of sends) expect((await t.app.store.stats.get(TENANT, TEAM_ID, giver.aadObjectId))?.givenCount).toBe(1);
  expect(await countedCredits()).toBe(sends.length);
});

test.each(rules)('%s, in at most the counted Cosmos DB round trips', async (_name, change, parts, expected, cost) => {
  const where = whereFor(TENANT, connector.url);
  await boardInUse(where);
  const userId = parts.find((p): p is typeof ben => typeof p !== 'string' && p !== BOT)?.aadObjectId as string;
  const stored = await t.app.store.members.get(TENANT, TEAM_ID, userId);
  await t.app.store.members.put({ ...(stored as Member), ...change });
  if (change.leftAt) connector.roster(TEAM_ID, Object.values(PEOPLE).filter((p) => p.aadObjectId !== userId));
  const before = await credits();
  cosmos.traffic.clear();

  expect(await post(channelMessage(where, ana, parts))).toBe(200);

  expectAtMost(cost);
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
