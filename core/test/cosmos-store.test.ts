import { CosmosClient } from '@azure/cosmos';
import { Agent } from 'node:https';
import { DEFAULT_BOARD_SETTINGS } from '../src/board';
import { computeInsights } from '../src/insights';
import { Noticed } from '../src/noticed';
import { openCosmosStore } from '../src/store/cosmos-store';
import type { Store } from '../src/store/store';
import { type CosmosTestServer, EMULATOR_KEY, startCosmosTestServer } from './cosmos-test-server';
import { describeReconcileContract } from './reconcile-contract';
import { contractFixtures, describeStoreContract } from './store-contract';

let server: CosmosTestServer;
let containers = 0;

beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(async () => {
  await server.close();
});

/** A fresh container per test keeps tests apart without restarting the emulator. */
const openFresh = () =>
  openCosmosStore({
    endpoint: server.endpoint,
    key: EMULATOR_KEY,
    databaseId: 'noticed-test',
    containerId: `items-${++containers}`,
    dangerouslyAcceptAnyTlsCertificate: true,
  });

describeStoreContract('Cosmos DB', openFresh);

/** The test's container, reached past the store, as a faulted batch would have left its items. */
const rawContainer = () =>
  new CosmosClient({ endpoint: server.endpoint, key: EMULATOR_KEY, agent: new Agent({ rejectUnauthorized: false }) }).database('noticed-test').container(`items-${containers}`);

describeReconcileContract('Cosmos DB', async () => {
  const store = await openFresh();
  const container = rawContainer();
  const pk = `${contractFixtures.T}/${contractFixtures.B}`;
  return {
    store,
    tamper: {
      async stats(memberKey, damage) {
        const { resource } = await container.item(`stats:${memberKey}`, pk).read();
        const { receivedByKind, lastCreditedAt, ...counts } = damage;
        const next = { ...resource, ...counts, receivedByKind: { ...resource.receivedByKind, ...receivedByKind } };
        if (lastCreditedAt === null) delete next.lastCreditedAt;
        else if (lastCreditedAt !== undefined) next.lastCreditedAt = lastCreditedAt;
        await container.item(next.id, pk).replace(next);
      },
      async hour(hour, kind, isPrivate, credits) {
        const id = `day-counts:${hour.slice(0, 10)}`;
        const { resource } = await container.item(id, pk).read();
        await container.item(id, pk).replace({ ...resource, hours: { ...resource.hours, [`${hour.slice(11, 13)}|${kind}|${isPrivate ? 'private' : 'board'}`]: credits } });
      },
    },
  };
});

describe('Cosmos DB store under concurrent writers', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openFresh();
  });
  afterEach(async () => {
    await store.close();
  });

  const { T, B, at, credit } = contractFixtures;

  test('parallel credits to the same people all land in their stats', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) => store.recognitions.create(credit(n, { recipients: [{ userId: 'ana', name: 'Ana' }, { userId: `p-${n % 3}`, name: 'P' }] }))),
    );
    expect(results.every((r) => r.created)).toBe(true);
    expect(await store.stats.get(T, B, 'ana')).toMatchObject({ receivedCount: 12, lastCreditedAt: at(11), receivedByKind: { prevented: 12 } });
    expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 12, lastGaveAt: at(11) });
    expect((await store.stats.get(T, B, 'p-0'))?.receivedCount).toBe(4);
  });

  // Each create starts from the stats and day counts its context query read (the basis), all
  // read before any credit is written, so all but one batch find an ETag changed and retry.
  // A basis read on another board must be ignored, not written against.
  test.each([
    ['their own board', B],
    ['another board', 'other-board'],
  ])('parallel credits written against context reads from %s all land in their stats', async (_name, readOn) => {
    await store.recognitions.create(credit(100, { createdAt: at(0) }));
    const recs = Array.from({ length: 4 }, (_, n) => credit(n, { createdAt: at(1), recipients: [{ userId: 'ana', name: 'Ana' }, { userId: `p-${n % 2}`, name: 'P' }] }));
    const read = await Promise.all(
      recs.map((rec) => store.readCreditContext(T, readOn, { giverId: rec.giver.userId, userIds: ['ana', 'p-0', 'p-1'], channelUserIds: [], givenSince: at(0), at: rec.createdAt })),
    );

    const results = await Promise.all(recs.map((rec, i) => store.recognitions.create(rec, read[i].basis)));

    expect(results.every((r) => r.created)).toBe(true);
    expect(await store.stats.get(T, B, 'ana')).toMatchObject({ receivedCount: 5, lastCreditedAt: at(1) });
    expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 5, lastGaveAt: at(1) });
    expect([(await store.stats.get(T, B, 'p-0'))?.receivedCount, (await store.stats.get(T, B, 'p-1'))?.receivedCount]).toEqual([2, 2]);
    expect((await store.stats.hours(T, B, at(0).slice(0, 10))).reduce((n, h) => n + h.credits, 0)).toBe(5);
    expect(await store.stats.reconcile(T, B, { repair: false, settleMs: 0 })).toMatchObject({ liveCredits: 5, members: [], buckets: [] });
  });

  // Stats items carry the channel's id for a member so a mention finds them; erasing the member
  // must take it out of every item of the board, as it does their name and user id.
  test('an erased member leaves their channel id in no item of the board', async () => {
    const member = (userId: string, name: string) => ({ tenantId: T, boardId: B, userId, channelUserId: `29:${userId}`, name, role: 'member' as const, joinedAt: at(0), prefersPrivate: false, optedOut: false });
    await store.members.putMany([member('giver', 'Gia'), member('ana', 'Ana'), member('ben', 'Ben')]);
    for (const [n, recipients] of [[1, [{ userId: 'ana', name: 'Ana' }]], [2, [{ userId: 'ana', name: 'Ana' }, { userId: 'ben', name: 'Ben' }]]] as const) {
      const read = await store.readCreditContext(T, B, { giverId: 'giver', userIds: [], channelUserIds: recipients.map((r) => `29:${r.userId}`), givenSince: at(0), at: at(n) });
      await store.recognitions.create(credit(n, { createdAt: at(n), recipients: [...recipients] }), read.basis);
    }
    const items = async () => JSON.stringify((await rawContainer().items.query({ query: 'SELECT * FROM c WHERE c.pk = @pk', parameters: [{ name: '@pk', value: `${T}/${B}` }] }).fetchAll()).resources);
    expect((await rawContainer().item('stats:ana', `${T}/${B}`).read()).resource.channelUserId).toBe('29:ana');

    await store.recognitions.eraseMember(T, B, 'ana', at(50));

    expect(await items()).not.toContain('29:ana');
    expect(await items()).toContain('"channelUserId":"29:ben"');
  });

  test('the same credit sent in parallel is created once and counted once', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => store.recognitions.create(credit(1))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.every((r) => r.recognition.message === 'credit 1')).toBe(true);
    expect((await store.stats.get(T, B, 'ana'))?.receivedCount).toBe(1);
    expect((await store.stats.get(T, B, 'giver'))?.givenCount).toBe(1);
  });

  test('deletes racing with new credits leave stats matching the live credits', async () => {
    for (let n = 0; n < 4; n++) await store.recognitions.create(credit(n));
    await Promise.all([
      ...[0, 3].map((n) => store.recognitions.softDelete(T, B, credit(n).id, at(30))),
      ...[4, 5].map((n) => store.recognitions.create(credit(n, { createdAt: at(n - 4) }))),
    ]);
    const live = (await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', limit: 50 })).items;
    expect(live).toHaveLength(4);
    expect(await store.stats.get(T, B, 'ana')).toMatchObject({ receivedCount: 4, lastCreditedAt: at(2) });
    expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 4, lastGaveAt: at(2) });
  });

  test('returns credits exactly as given, with no Cosmos or helper fields', async () => {
    const rec = credit(1, { recipients: [{ email: 'Odd/Name?#@Fabrikam.com', name: 'Odd' }], evidence: { type: 'link', url: 'https://example.com' } });
    await store.recognitions.create(rec);
    expect(await store.recognitions.get(T, B, rec.id)).toEqual(rec);
    expect((await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'giver', limit: 5 })).items).toEqual([rec]);
    expect(await store.stats.get(T, B, 'email:odd/name?#@fabrikam.com')).toMatchObject({ memberKey: 'email:odd/name?#@fabrikam.com', receivedCount: 1 });
  });

  test('a board whose credits were written before counts were kept gets the same insights, counted once, and is counted on write after', async () => {
    const lead = { tenantId: T, userId: 'lead', name: 'Lee' };
    await store.boards.put({ tenantId: T, id: B, name: 'Board', settings: { ...DEFAULT_BOARD_SETTINGS, timeZone: 'Europe/Berlin' }, createdAt: at(0), updatedAt: at(0) });
    for (const userId of ['lead', 'ana', 'ben']) {
      await store.members.put({ tenantId: T, boardId: B, userId, name: userId, role: userId === 'lead' ? 'lead' : 'member', joinedAt: at(0), prefersPrivate: false, optedOut: false });
    }
    const days = [0, 1, 3, 9, 20];
    for (const [n, d] of days.entries()) {
      await store.recognitions.create(credit(n, { createdAt: new Date(Date.UTC(2026, 9, 10 + d, 21 + n)).toISOString(), recipients: [{ userId: n % 2 ? 'ana' : 'ben', name: 'X' }], kind: n % 2 ? 'delivered' : 'enabled' }));
    }
    // As an earlier build left it: no day counts, no received days beside the stats.
    const container = new CosmosClient({ endpoint: server.endpoint, key: EMULATOR_KEY, agent: new Agent({ rejectUnauthorized: false }) }).database('noticed-test').container(`items-${containers}`);
    const { resources } = await container.items.query<{ id: string; pk: string; type: string; receivedDays?: number[] }>('SELECT * FROM c').fetchAll();
    for (const doc of resources) {
      if (doc.type === 'day-counts') await container.item(doc.id, doc.pk).delete();
      if (doc.type === 'stats') await container.item(doc.id, doc.pk).replace({ ...doc, receivedDays: undefined });
    }
    const now = new Date(Date.UTC(2026, 10, 2, 12));
    const noticed = new Noticed(store, () => now);
    const expected = async () => computeInsights(await store.members.list(T, B), await store.stats.list(T, B), await store.recognitions.facts(T, B, '0000'), 30, now, { timeZone: 'Europe/Berlin', weekStartsOn: 1 });
    expect(await noticed.insights(lead, B, 30)).toEqual(await expected());
    expect(await noticed.insights(lead, B, 30)).toEqual(await expected());
    await store.recognitions.create(credit(9, { createdAt: new Date(Date.UTC(2026, 10, 1, 8)).toISOString() }));
    await store.recognitions.softDelete(T, B, credit(1).id, now.toISOString());
    const after = await noticed.insights(lead, B, 30);
    expect(after).toEqual(await expected());
    expect(after.totalCredits).toBe(days.length);
  });

  test('a repair leaves alone the stats of credits written moments ago: their writers may still be counting them', async () => {
    await store.recognitions.create(credit(1));
    const container = rawContainer();
    const { resource } = await container.item('stats:ana', `${T}/${B}`).read();
    await container.item('stats:ana', `${T}/${B}`).replace({ ...resource, receivedCount: 0 });
    const report = await store.stats.reconcile(T, B, { repair: true });
    expect(report).toMatchObject({ members: [], buckets: [], settling: 3 });
    expect((await store.stats.get(T, B, 'ana'))?.receivedCount).toBe(0);
    expect((await store.stats.reconcile(T, B, { repair: true, settleMs: 0 })).members).toEqual([{ memberKey: 'ana', field: 'receivedCount', stored: 0, recomputed: 1 }]);
    expect((await store.stats.get(T, B, 'ana'))?.receivedCount).toBe(1);
  });

  test('of several instances racing for a free lease, exactly one wins', async () => {
    const now = new Date(Date.UTC(2026, 10, 2));
    const won = await Promise.all(Array.from({ length: 8 }, (_, i) => store.leases.acquire('digest', `host-${i}`, 60_000, now)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const later = new Date(now.getTime() + 61_000);
    const again = await Promise.all(Array.from({ length: 8 }, (_, i) => store.leases.acquire('digest', `other-${i}`, 60_000, later)));
    expect(again.filter(Boolean)).toHaveLength(1);
  });
});
