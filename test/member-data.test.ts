import { Item } from '@azure/cosmos';
import { apiRoutes } from '../bot';
import { DEFAULT_BOARD_SETTINGS, type Member, Noticed, type Recognition } from '../core';
import { eraseFromCredit, tombstoneOf } from '../core/src/member-data';
import { FORMER_MEMBER } from '../core/src/recognition';
import { openCosmosStore, openSqliteStore, type Store } from '../core/store';
import { type CosmosTestServer, EMULATOR_KEY, startCosmosTestServer } from '../core/test/cosmos-test-server';
import { contractFixtures } from '../core/test/store-contract';

const { T, B, at, credit } = contractFixtures;
const ANA = new Set(['ana', 'email:ana@contoso.com']);

describe('eraseFromCredit', () => {
  const cases: Array<[string, Recognition, Partial<Recognition> | undefined, { deleted: boolean; removedFrom: boolean; anonymised: boolean; endorsementRemoved: boolean } | undefined]> = [
    ['a credit that does not name her is left alone', credit(1, { recipients: [{ userId: 'ben', name: 'Ben' }] }), undefined, undefined],
    [
      'her sole credit is deleted and scrubbed',
      credit(2, { evidence: { type: 'email', title: 'Re: Ana saved the day', ref: 'conv-1' } }),
      { recipients: [FORMER_MEMBER], message: '', deletedAt: at(50), evidence: undefined },
      { deleted: true, removedFrom: false, anonymised: false, endorsementRemoved: false },
    ],
    [
      'a credit to her by email is hers too',
      credit(3, { recipients: [{ email: 'ana@contoso.com', name: 'ana' }] }),
      { recipients: [FORMER_MEMBER], message: '', deletedAt: at(50) },
      { deleted: true, removedFrom: false, anonymised: false, endorsementRemoved: false },
    ],
    [
      'an already deleted sole credit is scrubbed but not counted again',
      credit(4, { deletedAt: at(10) }),
      { recipients: [FORMER_MEMBER], message: '', deletedAt: at(10) },
      { deleted: false, removedFrom: false, anonymised: false, endorsementRemoved: false },
    ],
    [
      'a shared credit stays for the others',
      credit(5, { recipients: [{ userId: 'ana', name: 'Ana' }, { userId: 'ben', name: 'Ben' }] }),
      { recipients: [{ userId: 'ben', name: 'Ben' }], message: 'credit 5' },
      { deleted: false, removedFrom: true, anonymised: false, endorsementRemoved: false },
    ],
    [
      'a credit she gave is given by a former member, her endorsement gone',
      credit(6, { giver: { userId: 'ana', name: 'Ana' }, recipients: [{ userId: 'ben', name: 'Ben' }], endorsements: [{ userId: 'ana', name: 'Ana', at: at(7) }] }),
      { giver: FORMER_MEMBER, endorsements: [], message: 'credit 6' },
      { deleted: false, removedFrom: false, anonymised: true, endorsementRemoved: true },
    ],
  ];

  test.each(cases)('%s', (_name, rec, expected, flags) => {
    const change = eraseFromCredit(rec, 'ana', ANA, at(50));
    if (!expected) return expect(change).toBeUndefined();
    expect(change).toMatchObject(flags ?? {});
    expect(change?.next).toMatchObject(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)));
    if ('evidence' in expected) expect(change?.next.evidence).toBeUndefined();
    expect(JSON.stringify(change?.next)).not.toMatch(/"ana"|Ana|ana@/);
    // Erasing the result again finds nothing to do.
    expect(eraseFromCredit(change!.next, 'ana', ANA, at(51))).toBeUndefined();
  });
});

test('a tombstone keeps nothing personal and is the same when made twice', () => {
  const ana: Member = { tenantId: T, boardId: B, userId: 'ana', channelUserId: '29:ana', name: 'Ana López', email: 'ana@contoso.com', role: 'lead', joinedAt: at(0), prefersPrivate: true, optedOut: false };
  const once = tombstoneOf(ana, at(50));
  expect(once).toEqual({ tenantId: T, boardId: B, userId: 'ana', name: FORMER_MEMBER.name, role: 'member', joinedAt: at(0), leftAt: at(50), prefersPrivate: false, optedOut: true });
  expect(tombstoneOf(once, at(60))).toEqual(once);
});

test('the export route asks for a download named noticed-export.json', async () => {
  const store = openSqliteStore(':memory:');
  try {
    await store.boards.put({ tenantId: T, id: B, name: 'Board', settings: DEFAULT_BOARD_SETTINGS, createdAt: at(0), updatedAt: at(0) });
    await store.members.put({ tenantId: T, boardId: B, userId: 'ana', name: 'Ana', role: 'member', joinedAt: at(0), prefersPrivate: false, optedOut: false });
    const route = apiRoutes(new Noticed(store)).find((r) => r.method === 'get' && r.path === '/me/export');
    const result = await route!.handle({ caller: { tenantId: T, userId: 'ana', name: 'Ana' }, params: {}, query: undefined as never, body: undefined as never, header: () => undefined });
    expect(result.headers).toMatchObject({ 'Content-Disposition': 'attachment; filename="noticed-export.json"' });
    expect(result.body).toMatchObject({ user: { userId: 'ana' }, boards: [{ board: { id: B }, received: [], given: [] }] });
  } finally {
    await store.close();
  }
});

describe('a Cosmos DB erasure cut short', () => {
  let server: CosmosTestServer;
  let store: Store;
  beforeAll(async () => {
    server = await startCosmosTestServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    store = await openCosmosStore({ endpoint: server.endpoint, key: EMULATOR_KEY, databaseId: 'noticed-test', containerId: `erase-${Date.now()}`, dangerouslyAcceptAnyTlsCertificate: true });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await store.close();
  });

  test('is finished by erasing again: the giver’s stats match the live credits', async () => {
    await store.members.put({ tenantId: T, boardId: B, userId: 'ana', name: 'Ana', email: 'ana@contoso.com', role: 'member', joinedAt: at(0), prefersPrivate: false, optedOut: false });
    await store.recognitions.create(credit(1, { createdAt: at(1) }));
    await store.recognitions.create(credit(2, { createdAt: at(2), recipients: [{ email: 'ana@contoso.com', name: 'ana' }] }));
    await store.recognitions.create(credit(3, { createdAt: at(3), recipients: [{ userId: 'ben', name: 'Ben' }] }));

    // The process dies after the credits were rewritten, before any stats were touched.
    const realDelete = Item.prototype.delete;
    jest.spyOn(Item.prototype, 'delete').mockImplementation(function (this: Item, ...args) {
      if (this.id.startsWith('stats:')) return Promise.reject(new Error('connection reset'));
      return realDelete.apply(this, args);
    });
    await expect(store.recognitions.eraseMember(T, B, 'ana', at(50))).rejects.toThrow('connection reset');
    expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 3 });
    jest.restoreAllMocks();

    // The tombstone keeps the board listed, so erasing again finds it and finishes.
    expect((await store.members.boardsOf(T, 'ana', { includeLeft: true })).map((m) => m.boardId)).toEqual([B]);
    expect(await store.recognitions.eraseMember(T, B, 'ana', at(51))).toEqual({ deleted: 0, removedFrom: 0, anonymised: 0, endorsementsRemoved: 0 });
    expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 1, lastGaveAt: at(3) });
    expect(await store.stats.get(T, B, 'ana')).toBeUndefined();
    // The email key came from the journal: the tombstone no longer holds the address.
    expect(await store.stats.get(T, B, 'email:ana@contoso.com')).toBeUndefined();
    expect((await store.stats.list(T, B)).map((s) => s.memberKey).sort()).toEqual(['ben', 'giver']);
  });
});
