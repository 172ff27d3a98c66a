import fc from 'fast-check';
import type { Board, Member } from '../src/board';
import { DEFAULT_BOARD_SETTINGS } from '../src/board';
import { recognitionId } from '../src/ids';
import { computeInsights } from '../src/insights';
import { KIND_IDS } from '../src/kinds';
import { type Caller, Noticed } from '../src/noticed';
import { FORMER_MEMBER } from '../src/recognition';
import type { Recognition } from '../src/recognition';
import type { SendRecord } from '../src/send-record';
import type { Store } from '../src/store/store';

const T = 'tenant-a';
const B = 'board-1';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute)).toISOString();

/** The tenant, board, clock and credit builder the contract uses; adapter-specific tests reuse them. */
export const contractFixtures = {
  T,
  B,
  at,
  credit(n: number, extra: Partial<Recognition> = {}): Recognition {
    return {
      id: recognitionId(T, B, `key-${n}`),
      tenantId: T,
      boardId: B,
      giver: { userId: 'giver', name: 'Gia' },
      recipients: [{ userId: 'ana', name: 'Ana' }],
      kind: 'prevented',
      message: `credit ${n}`,
      source: 'api',
      visibility: 'board',
      createdAt: at(n % 60),
      endorsements: [],
      ...extra,
    };
  },
};

/**
 * The behaviour every store adapter must have. Each adapter's test file calls this with a
 * way to open a fresh, empty store.
 */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const { T, B, at, credit } = contractFixtures;

    function board(tenantId = T, id = B): Board {
      return { tenantId, id, name: `Board ${id}`, settings: DEFAULT_BOARD_SETTINGS, createdAt: at(0), updatedAt: at(0) };
    }
    function member(userId: string, extra: Partial<Member> = {}): Member {
      return { tenantId: T, boardId: B, userId, name: `Person ${userId}`, email: `${userId}@contoso.com`, role: 'member', joinedAt: at(0), prefersPrivate: false, optedOut: false, ...extra };
    }

    test('boards and members round-trip, scoped by tenant', async () => {
      await store.boards.put(board());
      await store.members.put(member('ana', { name: 'Ana López', email: 'Ana.Lopez@Contoso.com', channelUserId: '29:ana' }));
      await store.members.put(member('ben', { name: "Ben O'Neil", leftAt: at(5) }));
      expect(await store.boards.get(T, B)).toEqual(board());
      expect(await store.boards.get('tenant-b', B)).toBeUndefined();
      expect(await store.members.get('tenant-b', B, 'ana')).toBeUndefined();
      expect((await store.members.list(T, B)).map((m) => m.userId)).toEqual(['ana']);
      expect((await store.members.list(T, B, { includeLeft: true })).map((m) => m.userId).sort()).toEqual(['ana', 'ben']);
      expect((await store.members.findByEmail(T, B, 'ana.lopez@contoso.COM'))?.userId).toBe('ana');
      expect((await store.members.search(T, B, 'lóp', 10)).map((m) => m.userId)).toEqual(['ana']);
      expect((await store.members.search(T, B, 'ana.l', 10)).map((m) => m.userId)).toEqual(['ana']);
      expect(await store.members.search(T, B, 'ben', 10)).toEqual([]);
      expect((await store.members.boardsOf(T, 'ana')).map((m) => m.boardId)).toEqual([B]);
      expect((await store.members.findByChannelId(T, B, '29:ana'))?.userId).toBe('ana');
      expect(await store.members.findByChannelId(T, 'board-2', '29:ana')).toBeUndefined();
      expect(await store.members.findByChannelId('tenant-b', B, '29:ana')).toBeUndefined();
      expect(await store.members.boardsOf('tenant-b', 'ana')).toEqual([]);
    });

    test('reads follow every change to a board or member, read before or not', async () => {
      const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>, unknown]> = [
        ['board renamed', () => store.boards.put({ ...board(), name: 'Renamed' }), async () => (await store.boards.get(T, B))?.name, 'Renamed'],
        ['member renamed', () => store.members.put(member('ana', { name: 'Ana B', channelUserId: '29:ana' })), async () => (await store.members.get(T, B, 'ana'))?.name, 'Ana B'],
        ['member left', () => store.members.put(member('ana', { channelUserId: '29:ana', leftAt: at(9) })), () => store.members.findByChannelId(T, B, '29:ana'), undefined],
        ['member back', () => store.members.put(member('ana', { channelUserId: '29:ana' })), async () => (await store.members.findByChannelId(T, B, '29:ana'))?.userId, 'ana'],
        ['channel id changed', () => store.members.put(member('ana', { channelUserId: '29:ana-2' })), () => store.members.findByChannelId(T, B, '29:ana'), undefined],
        ['new channel id found', async () => undefined, async () => (await store.members.findByChannelId(T, B, '29:ana-2'))?.userId, 'ana'],
        ['unknown id taken', () => store.members.put(member('cy', { channelUserId: '29:new' })), async () => (await store.members.findByChannelId(T, B, '29:new'))?.userId, 'cy'],
        ['renamed, as insights list people', () => store.members.put(member('ana', { name: 'Ana C' })), async () => (await store.members.listPeople(T, B)).sort((a, b) => a.userId.localeCompare(b.userId)), [{ userId: 'ana', name: 'Ana C', optedOut: false }, { userId: 'cy', name: 'Person cy', optedOut: false }]],
        ['opted out, as insights list people', () => store.members.put(member('ana', { name: 'Ana C', optedOut: true })), async () => (await store.members.listPeople(T, B)).find((p) => p.userId === 'ana'), { userId: 'ana', name: 'Ana C', optedOut: true }],
        ['left, as insights list people', () => store.members.put(member('ana', { leftAt: at(9) })), async () => (await store.members.listPeople(T, B)).map((p) => p.userId), ['cy']],
      ];
      await store.boards.put(board());
      await store.members.put(member('ana', { channelUserId: '29:ana' }));
      for (const [name, change, read, expected] of cases) {
        await read(); // a read before the change must not hide it
        await change();
        expect([name, await read()]).toEqual([name, expected]);
      }
    });

    describe('updating a board', () => {
      const held = { lastAt: at(30), spotlighted: ['ana'] };
      const sync = { startedAt: at(31), continuationToken: '500', done: false };
      // Each change touches its own field, as a stand-up, a roster sync, a rename and a settings change do.
      const changes: Array<[string, (b: Board) => Board]> = [
        ['stand-up held', (b) => ({ ...b, standup: held })],
        ['roster sync progress', (b) => ({ ...b, rosterSync: sync })],
        ['renamed', (b) => ({ ...b, name: 'Renamed' })],
        ['settings changed', (b) => ({ ...b, settings: { ...b.settings, digestHour: 16 } })],
      ];
      const everyChange: Board = { ...board(), standup: held, rosterSync: sync, name: 'Renamed', settings: { ...DEFAULT_BOARD_SETTINGS, digestHour: 16 } };

      test('concurrent updates of different fields all survive, and each returns the board as stored then', async () => {
        await store.boards.put(board());
        const results = await Promise.all(changes.map(([, change]) => store.boards.update(T, B, change)));
        expect(await store.boards.get(T, B)).toEqual(everyChange);
        // Whichever wrote last returned the board with every change.
        expect(results).toContainEqual(everyChange);
        changes.forEach(([name, change], i) => expect([name, results[i]]).toEqual([name, change(results[i]!)]));
      });

      test('twenty concurrent updates of one field each keep their part', async () => {
        await store.boards.put(board());
        const people = Array.from({ length: 20 }, (_, i) => `person-${i}`);
        await Promise.all(people.map((p) => store.boards.update(T, B, (b) => ({ ...b, standup: { lastAt: at(30), spotlighted: [...(b.standup?.spotlighted ?? []), p] } }))));
        expect((await store.boards.get(T, B))?.standup?.spotlighted.sort()).toEqual([...people].sort());
      });

      test.each<[string, () => Promise<Board | undefined>, Board | undefined]>([
        ['a change that returns undefined writes nothing and returns the board as stored', () => store.boards.update(T, B, () => undefined), board()],
        ['a board that does not exist is not created', () => store.boards.update(T, 'board-none', (b) => ({ ...b, name: 'Created?' })), undefined],
        ["another tenant's board is not found", () => store.boards.update('tenant-b', B, (b) => ({ ...b, name: 'Taken' })), undefined],
        ['a change cannot move the board to another tenant or id', () => store.boards.update(T, B, (b) => ({ ...b, tenantId: 'tenant-b', id: 'board-b', name: 'Moved' })), { ...board(), name: 'Moved' }],
      ])('%s', async (_name, run, returned) => {
        await store.boards.put(board());
        expect(await run()).toEqual(returned);
        expect(await store.boards.get(T, B)).toEqual(returned ?? board());
        expect(await store.boards.get(T, 'board-none')).toBeUndefined();
        expect(await store.boards.get('tenant-b', B)).toBeUndefined();
        expect(await store.boards.get('tenant-b', 'board-b')).toBeUndefined();
      });
    });

    test('members written in bulk read back as written: more than one batch, two boards, replacing and writing again', async () => {
      await store.boards.put(board());
      await store.boards.put(board(T, 'board-2'));
      await store.members.put(member('p000', { name: 'Before', role: 'lead' }));
      const people = Array.from({ length: 250 }, (_, i) => member(`p${String(i).padStart(3, '0')}`, { channelUserId: `29:p${i}`, ...(i % 50 === 7 ? { leftAt: at(3) } : {}) }));
      const elsewhere = [member('ana', { boardId: 'board-2', name: 'Ana López' })];
      const cases: Array<[string, Member[]]> = [
        ['first write', [...people, ...elsewhere]],
        ['the same again', [...people, ...elsewhere]],
        ['nothing', []],
      ];
      for (const [name, members] of cases) {
        await store.members.putMany(members);
        const all = await store.members.list(T, B, { includeLeft: true });
        expect([name, all.length, (await store.members.list(T, B)).length]).toEqual([name, 250, 245]);
        expect([name, all.find((m) => m.userId === 'p000')]).toEqual([name, people[0]]);
        expect([name, await store.members.get(T, B, 'p249')]).toEqual([name, people[249]]);
        expect([name, (await store.members.findByChannelId(T, B, '29:p123'))?.userId]).toEqual([name, 'p123']);
        expect([name, (await store.members.list(T, 'board-2')).map((m) => m.name)]).toEqual([name, ['Ana López']]);
      }
    });

    test('a board of tenant A is invisible to tenant B', async () => {
      await store.boards.put(board());
      await store.boards.put(board('tenant-b', 'board-b'));
      await store.recognitions.create(credit(1));
      expect(await store.boards.get('tenant-b', B)).toBeUndefined();
      expect(await store.recognitions.get('tenant-b', B, credit(1).id)).toBeUndefined();
      expect((await store.recognitions.page({ tenantId: 'tenant-b', boardId: B, viewerId: 'ana', limit: 10 })).items).toEqual([]);
      expect(await store.stats.list('tenant-b', B)).toEqual([]);
      expect(await store.recognitions.endorse('tenant-b', B, credit(1).id, { userId: 'x', name: 'X', at: at(2) })).toBeUndefined();
      expect(await store.recognitions.softDelete('tenant-b', B, credit(1).id, at(3))).toBeUndefined();
      expect((await store.recognitions.get(T, B, credit(1).id))?.deletedAt).toBeUndefined();
    });

    test('credits created at the same moment are all kept, and the same id twice at once keeps one', async () => {
      const results = await Promise.all([1, 2, 3].map((n) => store.recognitions.create(credit(n))));
      expect(results.map((r) => r.created)).toEqual([true, true, true]);
      const same = await Promise.all([store.recognitions.create(credit(4)), store.recognitions.create(credit(4))]);
      expect(same.map((r) => r.created).sort()).toEqual([false, true]);
      expect((await store.stats.get(T, B, 'ana'))?.receivedCount).toBe(4);
    });

    test('creating with the same idempotent id twice keeps one credit', async () => {
      const first = await store.recognitions.create(credit(1));
      const again = await store.recognitions.create({ ...credit(1), message: 'a retried request' });
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.recognition.message).toBe('credit 1');
      expect((await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', limit: 10 })).items).toHaveLength(1);
      expect((await store.stats.get(T, B, 'ana'))?.receivedCount).toBe(1);
    });

    test('the posted card is noted once, kept beside endorsements, and only in its own tenant', async () => {
      await store.recognitions.create(credit(1));
      const id = credit(1).id;
      expect(await store.recognitions.recordCard('tenant-b', B, id, { activityId: 'act-x' })).toBeUndefined();
      expect(await store.recognitions.recordCard(T, B, 'no-such-credit', { activityId: 'act-x' })).toBeUndefined();
      await store.recognitions.endorse(T, B, id, { userId: 'fan', name: 'Fan', at: at(2) });
      const noted = await store.recognitions.recordCard(T, B, id, { activityId: 'act-1', inReplyTo: 'msg-1' });
      expect(noted?.postedCard).toEqual({ activityId: 'act-1', inReplyTo: 'msg-1' });
      // A second post (two retries racing) does not move the card the credit points at.
      expect((await store.recognitions.recordCard(T, B, id, { activityId: 'act-2' }))?.postedCard).toEqual({ activityId: 'act-1', inReplyTo: 'msg-1' });
      const stored = await store.recognitions.get(T, B, id);
      expect(stored?.postedCard).toEqual({ activityId: 'act-1', inReplyTo: 'msg-1' });
      expect(stored?.endorsements.map((e) => e.userId)).toEqual(['fan']);
      expect((await store.stats.get(T, B, 'ana'))?.receivedCount).toBe(1);
    });

    test('a card noted once stays through later changes to the credit, and two racing notes keep one', async () => {
      await store.recognitions.create(credit(1));
      const id = credit(1).id;
      await store.recognitions.recordCard(T, B, id, { activityId: 'act-1' });
      await store.recognitions.endorse(T, B, id, { userId: 'fan', name: 'Fan', at: at(2) });
      expect((await store.recognitions.recordCard(T, B, id, { activityId: 'act-2' }))?.postedCard).toEqual({ activityId: 'act-1' });
      await store.recognitions.softDelete(T, B, id, at(3));
      expect((await store.recognitions.recordCard(T, B, id, { activityId: 'act-3' }))?.postedCard).toEqual({ activityId: 'act-1' });

      await store.recognitions.create(credit(2));
      const racing = await Promise.all(['act-a', 'act-b'].map((activityId) => store.recognitions.recordCard(T, B, credit(2).id, { activityId })));
      const stored = (await store.recognitions.get(T, B, credit(2).id))?.postedCard;
      expect(racing.map((r) => r?.postedCard)).toEqual([stored, stored]);
    });

    describe("a credit's context", () => {
      beforeEach(async () => {
        await store.boards.put(board());
        await store.boards.put(board(T, 'board-2'));
        await store.members.putMany([
          member('giver', { channelUserId: '29:giver' }),
          member('ana', { channelUserId: '29:ana' }),
          member('ben', { channelUserId: '29:ben', leftAt: at(2) }),
          member('cy', { channelUserId: '29:cy' }),
          { ...member('dee', { channelUserId: '29:dee' }), boardId: 'board-2' },
          { ...member('giver', { channelUserId: '29:giver' }), tenantId: 'tenant-b' },
        ]);
        for (const n of [1, 5, 6]) await store.recognitions.create(credit(n));
        await store.recognitions.softDelete(T, B, credit(6).id, at(9));
        await store.recognitions.create(credit(7, { giver: { userId: 'ana', name: 'Ana' }, recipients: [{ userId: 'cy', name: 'Cy' }] }));
        await store.recognitions.create({ ...credit(8), boardId: 'board-2', id: recognitionId(T, 'board-2', 'key-8') });
      });

      const cases: Array<[string, string, string, { userIds?: string[]; channelUserIds?: string[] }, { board?: string; members: string[]; given: string[] }]> = [
        ['the board, the giver and their credits since the time, removed ones too', T, B, {}, { board: B, members: ['giver'], given: ['credit 5', 'credit 6'] }],
        ['members by user id, those who left or never joined left out', T, B, { userIds: ['ana', 'ben', 'nobody'] }, { board: B, members: ['ana', 'giver'], given: ['credit 5', 'credit 6'] }],
        ['members by channel id, of this board only', T, B, { channelUserIds: ['29:cy', '29:ben', '29:dee'] }, { board: B, members: ['cy', 'giver'], given: ['credit 5', 'credit 6'] }],
        ['a member asked for both ways, once', T, B, { userIds: ['ana'], channelUserIds: ['29:ana', '29:ana'] }, { board: B, members: ['ana', 'giver'], given: ['credit 5', 'credit 6'] }],
        ['another board of the tenant', T, 'board-2', { channelUserIds: ['29:dee', '29:ana'] }, { board: 'board-2', members: ['dee'], given: ['credit 8'] }],
        ['the same board id in another tenant', 'tenant-b', B, { userIds: ['ana'], channelUserIds: ['29:ana'] }, { members: ['giver'], given: [] }],
      ];
      test.each(cases)('%s', async (_name, tenantId, boardId, people, expected) => {
        const read = await store.readCreditContext(tenantId, boardId, { giverId: 'giver', userIds: people.userIds ?? [], channelUserIds: people.channelUserIds ?? [], givenSince: at(3) });
        // A store may leave the giver's credits out (SQLite reads one by id for free); one that reads them reads them all.
        const given = read.given?.map((r) => r.message).sort() ?? expected.given;
        expect({ board: read.board?.id, members: read.members.map((m) => m.userId).sort(), given }).toEqual(expected);
        if (read.board) expect(read.board).toEqual(board(tenantId, boardId));
        for (const m of read.members) expect([m.tenantId, m.boardId]).toEqual([tenantId, boardId]);
        expect(read.given?.find((r) => r.message === 'credit 6')?.deletedAt ?? at(9)).toBe(at(9));
      });
    });

    test('50 parallel endorsements by different people count 50; the same person twice counts once', async () => {
      await store.recognitions.create(credit(1));
      const id = credit(1).id;
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.recognitions.endorse(T, B, id, { userId: `fan-${i}`, name: `Fan ${i}`, at: at(2) })));
      expect(results.every((r) => r?.added)).toBe(true);
      const twice = await Promise.all([1, 2].map(() => store.recognitions.endorse(T, B, id, { userId: 'fan-0', name: 'Fan 0', at: at(3) })));
      expect(twice.map((r) => r?.added)).toEqual([false, false]);
      const stored = await store.recognitions.get(T, B, id);
      expect(stored?.endorsements).toHaveLength(50);
      expect(new Set(stored?.endorsements.map((e) => e.userId)).size).toBe(50);
    });

    test('parallel take-backs remove only each taker’s own endorsement, once; a deleted credit or another tenant has none to take', async () => {
      await store.recognitions.create(credit(1));
      const id = credit(1).id;
      for (let i = 0; i < 10; i++) await store.recognitions.endorse(T, B, id, { userId: `fan-${i}`, name: `Fan ${i}`, at: at(2) });
      const takers = ['fan-1', 'fan-3', 'fan-3', 'fan-5', 'never-endorsed'];
      const results = await Promise.all(takers.map((userId) => store.recognitions.unendorse(T, B, id, userId)));
      expect(results.map((r) => r?.removed).filter(Boolean)).toHaveLength(3);
      expect(results[4]?.removed).toBe(false);
      expect((await store.recognitions.get(T, B, id))?.endorsements.map((e) => e.userId)).toEqual(['fan-0', 'fan-2', 'fan-4', 'fan-6', 'fan-7', 'fan-8', 'fan-9']);
      expect(await store.recognitions.unendorse('tenant-b', B, id, 'fan-0')).toBeUndefined();
      await store.recognitions.softDelete(T, B, id, at(3));
      expect(await store.recognitions.unendorse(T, B, id, 'fan-0')).toBeUndefined();
      expect((await store.recognitions.get(T, B, id))?.endorsements).toHaveLength(7);
    });

    test('pages through the feed newest first without gaps or repeats', async () => {
      // 25 credits, several sharing a timestamp so the id breaks ties.
      for (let n = 0; n < 25; n++) await store.recognitions.create(credit(n, { createdAt: at(Math.floor(n / 3)) }));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', limit: 7, cursor });
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(4);
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
      const all = Array.from({ length: 25 }, (_, n) => credit(n, { createdAt: at(Math.floor(n / 3)) }));
      // Ordinal (code unit) order, as both databases compare strings.
      const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
      const expected = all.sort((a, b) => desc(a.createdAt, b.createdAt) || desc(a.id, b.id)).map((r) => r.id);
      expect(seen).toEqual(expected);
    });

    test('filters by kind, recipient, giver and time, and hides private credits from others', async () => {
      await store.recognitions.create(credit(1, { kind: 'delivered' }));
      await store.recognitions.create(credit(2, { recipients: [{ userId: 'ben', name: 'Ben' }] }));
      await store.recognitions.create(credit(3, { visibility: 'private', giver: { userId: 'cy', name: 'Cy' } }));
      await store.recognitions.create(credit(4, { recipients: [{ email: 'helper@fabrikam.com', name: 'helper' }] }));
      const ids = async (q: Partial<Parameters<Store['recognitions']['page']>[0]>) =>
        (await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ben', limit: 10, ...q })).items.map((r) => r.message).sort();
      expect(await ids({})).toEqual(['credit 1', 'credit 2', 'credit 4']);
      expect(await ids({ viewerId: 'ana' })).toEqual(['credit 1', 'credit 2', 'credit 3', 'credit 4']);
      expect(await ids({ viewerId: 'cy' })).toEqual(['credit 1', 'credit 2', 'credit 3', 'credit 4']);
      expect(await ids({ kind: 'delivered' })).toEqual(['credit 1']);
      expect(await ids({ recipientKey: 'ben' })).toEqual(['credit 2']);
      expect(await ids({ recipientKey: 'email:helper@fabrikam.com' })).toEqual(['credit 4']);
      expect(await ids({ giverId: 'cy', viewerId: 'ana' })).toEqual(['credit 3']);
      // A shared conversation sees only board credits, even when asked by the giver or a recipient.
      expect(await ids({ viewerId: 'ana', boardOnly: true })).toEqual(['credit 1', 'credit 2', 'credit 4']);
      expect(await ids({ viewerId: 'cy', giverId: 'cy', boardOnly: true })).toEqual([]);
      expect(await ids({ viewerId: 'ana', recipientKey: 'ana', boardOnly: true })).toEqual(['credit 1']);
      expect(await ids({ since: at(2), until: at(4) })).toEqual(['credit 2']);
    });

    test('stats stay in step with credits after create and delete', async () => {
      await store.recognitions.create(credit(1, { kind: 'prevented', createdAt: at(1) }));
      await store.recognitions.create(credit(2, { kind: 'improved', createdAt: at(2), recipients: [{ userId: 'ana', name: 'Ana' }, { userId: 'ben', name: 'Ben' }] }));
      await store.recognitions.create(credit(3, { kind: 'improved', createdAt: at(3) }));
      let ana = await store.stats.get(T, B, 'ana');
      expect(ana).toMatchObject({ receivedCount: 3, lastCreditedAt: at(3), receivedByKind: { prevented: 1, improved: 2, delivered: 0 } });
      expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 3, lastGaveAt: at(3), receivedCount: 0 });

      const deleted = await store.recognitions.softDelete(T, B, credit(3).id, at(9));
      expect(deleted?.deletedAt).toBe(at(9));
      ana = await store.stats.get(T, B, 'ana');
      expect(ana).toMatchObject({ receivedCount: 2, lastCreditedAt: at(2), receivedByKind: { prevented: 1, improved: 1 } });
      expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 2, lastGaveAt: at(2) });

      // Deleting again changes nothing.
      await store.recognitions.softDelete(T, B, credit(3).id, at(10));
      expect((await store.stats.get(T, B, 'ana'))?.receivedCount).toBe(2);
      await store.recognitions.softDelete(T, B, credit(2).id, at(11));
      expect(await store.stats.get(T, B, 'ben')).toMatchObject({ receivedCount: 0 });
      expect((await store.stats.get(T, B, 'ben'))?.lastCreditedAt).toBeUndefined();
      expect((await store.stats.list(T, B)).map((s) => s.memberKey).sort()).toEqual(['ana', 'ben', 'giver']);
      expect((await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', limit: 10 })).items.map((r) => r.message)).toEqual(['credit 1']);
    });

    describe('rosterCounts: the roster as insights read it, with the counts of its people', () => {
      // Quotes, a backslash and an emoji: the roster may travel as JSON text inside a store.
      const NAME = 'Ana "AJ" \\ López 🎉';
      const WINDOW = '2026-11-02T09:01:00.000Z';
      const BEFORE = '2026-11-01T10:00:00.000Z';
      async function seed(): Promise<void> {
        await store.boards.put(board());
        await store.members.putMany([member('ana', { name: NAME }), member('ben', { leftAt: at(5) }), member('cy', { optedOut: true }), member('dee')]);
        await store.recognitions.create(credit(1, { createdAt: BEFORE }));
        await store.recognitions.create(credit(2, { createdAt: WINDOW, recipients: [{ userId: 'ana', name: NAME }, { email: 'kim@contoso.com', name: 'Kim' }] }));
        await store.recognitions.create(credit(3, { createdAt: WINDOW, recipients: [{ userId: 'ben', name: 'Ben' }, { userId: 'cy', name: 'Cy' }] }));
      }
      const byId = (a: { userId: string }, b: { userId: string }) => a.userId.localeCompare(b.userId);

      test('the roster is the one listPeople lists: active members, opted out or not, names as written', async () => {
        await seed();
        const { roster } = await store.stats.rosterCounts(T, B, '2026-11-02', '2026-11-01');
        expect(roster.sort(byId)).toEqual([
          { userId: 'ana', name: NAME, optedOut: false },
          { userId: 'cy', name: 'Person cy', optedOut: true },
          { userId: 'dee', name: 'Person dee', optedOut: false },
        ]);
        expect(roster).toEqual((await store.members.listPeople(T, B)).sort(byId));
      });

      const people: Array<[string, string, { received?: number; before?: number; last?: string }]> = [
        ['credited in the window and in the one before', 'ana', { received: 1, before: 1, last: WINDOW }],
        ['opted out, credited in the window', 'cy', { received: 1, last: WINDOW }],
        ['never credited', 'dee', {}],
      ];
      test.each(people)('%s (%s): the counts say what counts() says', async (_, key, want) => {
        await seed();
        const { counts } = await store.stats.rosterCounts(T, B, '2026-11-02', '2026-11-01');
        const got = { received: counts.received.get(key), before: counts.previous?.received.get(key), last: counts.lastCreditedAt.get(key) };
        const all = await store.stats.counts(T, B, '2026-11-02', '2026-11-01');
        expect(got).toEqual(want);
        expect(got).toEqual({ received: all.received.get(key), before: all.previous?.received.get(key), last: all.lastCreditedAt.get(key) });
        expect([counts.hours, counts.previous?.byKind]).toEqual([all.hours, all.previous?.byKind]);
      });

      const bounds: Array<[string, string[]]> = [
        ['one span for the whole window', ['2026-11-01T00', '2026-11-03T00']],
        ['a bound between the credits', ['2026-11-01T00', '2026-11-02T09', '2026-11-02T10']],
        ['a credit past the last bound', ['2026-11-01T00', '2026-11-01T12']],
      ];
      test.each(bounds)('with week bounds, %s: each kind has the credits counts() has, in the same weeks', async (_, weekBounds) => {
        await seed();
        const { counts } = await store.stats.rosterCounts(T, B, '2026-11-01', undefined, weekBounds);
        const all = await store.stats.counts(T, B, '2026-11-01');
        const spanOf = (hour: string) => weekBounds.filter((b) => b <= hour).pop();
        const perSpan = (hours: typeof all.hours) => {
          const out: Record<string, number> = {};
          for (const h of hours) out[`${spanOf(h.hour)}|${h.kind}`] = (out[`${spanOf(h.hour)}|${h.kind}`] ?? 0) + h.credits;
          return out;
        };
        expect(perSpan(counts.hours)).toEqual(perSpan(all.hours));
        expect(perSpan(counts.hours)).not.toEqual({});
      });
    });

    describe("changing a credit's kind", () => {
      const twoAndEmail = [{ userId: 'ana', name: 'Ana' }, { userId: 'ben', name: 'Ben' }, { email: 'kim@contoso.com', name: 'Kim' }];
      const cases: Array<[string, Partial<Recognition>]> = [
        ['a board-visible credit to one person', {}],
        ['a private credit', { visibility: 'private' }],
        ['a credit to two people and an email', { recipients: twoAndEmail }],
      ];
      const sortedHours = async () => (await store.stats.hours(T, B, '2026-01-01')).sort((a, b) => `${a.hour}${a.kind}${a.private}`.localeCompare(`${b.hour}${b.kind}${b.private}`));

      test.each(cases)('%s: the credit, its people\'s kinds and the insight counts move in one write, and a recount agrees', async (_, extra) => {
        await store.boards.put(board());
        // As insights first read it: a Cosmos DB board's counts are marked complete then.
        await store.stats.counts(T, B, '2026-11-01');
        await store.recognitions.create(credit(1, { kind: 'prevented', createdAt: at(1), ...extra }));
        await store.recognitions.create(credit(2, { kind: 'prevented', createdAt: at(2) }));
        const givenBefore = await store.stats.get(T, B, 'giver');

        const changed = await store.recognitions.changeKind(T, B, credit(1).id, 'improved');

        expect(changed).toMatchObject({ id: credit(1).id, kind: 'improved', message: 'credit 1' });
        expect((await store.recognitions.get(T, B, credit(1).id))?.kind).toBe('improved');
        expect(await store.stats.get(T, B, 'ana')).toMatchObject({ receivedCount: 2, lastCreditedAt: at(2), receivedByKind: { prevented: 1, improved: 1, enabled: 0 } });
        expect(await store.stats.get(T, B, 'giver')).toEqual(givenBefore);
        const improved = await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'giver', kind: 'improved', limit: 10 });
        expect(improved.items.map((r) => r.id)).toEqual([credit(1).id]);
        expect((await sortedHours()).map((h) => [h.kind, h.private, h.credits])).toEqual([
          ['improved', extra.visibility === 'private', 1],
          ['prevented', false, 1],
        ]);
        expect(await store.stats.reconcile(T, B, { repair: false, settleMs: 0 })).toMatchObject({ liveCredits: 2, members: [], buckets: [], unmarked: false });
      });

      test('the same kind again, another tenant\'s credit and a removed credit change nothing', async () => {
        await store.boards.put(board());
        await store.stats.counts(T, B, '2026-11-01');
        await store.recognitions.create(credit(1, { kind: 'prevented', createdAt: at(1) }));
        await store.recognitions.create(credit(2, { kind: 'delivered', createdAt: at(2) }));
        await store.recognitions.softDelete(T, B, credit(2).id, at(3));
        const before = { ana: await store.stats.get(T, B, 'ana'), hours: await sortedHours() };

        expect((await store.recognitions.changeKind(T, B, credit(1).id, 'prevented'))?.kind).toBe('prevented');
        expect(await store.recognitions.changeKind('tenant-b', B, credit(1).id, 'improved')).toBeUndefined();
        expect(await store.recognitions.changeKind(T, 'board-2', credit(1).id, 'improved')).toBeUndefined();
        expect(await store.recognitions.changeKind(T, B, credit(2).id, 'improved')).toMatchObject({ kind: 'delivered', deletedAt: at(3) });

        expect((await store.recognitions.get(T, B, credit(1).id))?.kind).toBe('prevented');
        expect((await store.recognitions.get(T, B, credit(2).id))?.kind).toBe('delivered');
        expect({ ana: await store.stats.get(T, B, 'ana'), hours: await sortedHours() }).toEqual(before);
        expect(await store.stats.reconcile(T, B, { repair: false, settleMs: 0 })).toMatchObject({ liveCredits: 1, members: [], buckets: [] });
      });
    });

    test('facts give kind, time and recipients of live credits since a time', async () => {
      await store.recognitions.create(credit(1, { createdAt: at(1) }));
      await store.recognitions.create(credit(2, { createdAt: at(5), kind: 'sustained', recipients: [{ userId: 'ana', name: 'Ana' }, { userId: 'ben', name: 'Ben' }] }));
      await store.recognitions.create(credit(3, { createdAt: at(6) }));
      await store.recognitions.softDelete(T, B, credit(3).id, at(7));
      const facts = await store.recognitions.facts(T, B, at(2));
      expect(facts.map((f) => ({ ...f, recipientKeys: [...f.recipientKeys].sort() }))).toEqual([{ kind: 'sustained', createdAt: at(5), recipientKeys: ['ana', 'ben'] }]);
    });

    test('filters by endorser', async () => {
      await store.recognitions.create(credit(1));
      await store.recognitions.create(credit(2, { visibility: 'private' }));
      await store.recognitions.create(credit(3));
      await store.recognitions.endorse(T, B, credit(1).id, { userId: 'dee', name: 'Dee', at: at(4) });
      await store.recognitions.endorse(T, B, credit(3).id, { userId: 'eve', name: 'Eve', at: at(4) });
      const messages = async (viewerId: string, endorserId: string) =>
        (await store.recognitions.page({ tenantId: T, boardId: B, viewerId, endorserId, limit: 10 })).items.map((r) => r.message);
      expect(await messages('dee', 'dee')).toEqual(['credit 1']);
      expect(await messages('dee', 'eve')).toEqual(['credit 3']);
      expect(await messages('dee', 'nobody')).toEqual([]);
    });

    describe('erasing a member', () => {
      const ANA_EMAIL = 'ana@contoso.com';
      // Board B: what others gave Ana alone, with others, by email, and one already deleted;
      // what Ana gave (privately); and a credit Ana endorsed.
      const sole = credit(1, { createdAt: at(1), message: 'Ana caught the expired certificate', evidence: { type: 'link', url: 'https://example.com/ana', title: 'Ana’s fix' } });
      const shared = credit(2, { createdAt: at(2), kind: 'improved', recipients: [{ userId: 'ana', name: 'Ana' }, { userId: 'ben', name: 'Ben' }] });
      const fromAna = credit(3, { createdAt: at(3), giver: { userId: 'ana', name: 'Ana' }, recipients: [{ userId: 'ben', name: 'Ben' }], visibility: 'private' });
      const endorsed = credit(4, { createdAt: at(4), giver: { userId: 'cy', name: 'Cy' }, recipients: [{ userId: 'ben', name: 'Ben' }] });
      const byEmail = credit(5, { createdAt: at(5), recipients: [{ email: ANA_EMAIL, name: 'ana' }] });
      const removedBefore = credit(6, { createdAt: at(6), message: 'Ana again' });
      const elsewhere = (tenantId: string, boardId: string) =>
        credit(7, { id: recognitionId(tenantId, boardId, 'key-7'), tenantId, boardId, message: 'Ana elsewhere', endorsements: [] });

      async function seed() {
        for (const [tenantId, boardId] of [[T, B], [T, 'board-2'], ['tenant-b', B]]) {
          await store.boards.put(board(tenantId, boardId));
          await store.members.put(member('ana', { tenantId, boardId, name: 'Ana López', email: ANA_EMAIL, channelUserId: '29:ana', role: 'lead' }));
          await store.members.put(member('giver', { tenantId, boardId }));
        }
        for (const rec of [sole, shared, fromAna, endorsed, byEmail, removedBefore]) await store.recognitions.create(rec);
        await store.recognitions.endorse(T, B, endorsed.id, { userId: 'ana', name: 'Ana', at: at(8) });
        await store.recognitions.endorse(T, B, endorsed.id, { userId: 'dee', name: 'Dee', at: at(9) });
        await store.recognitions.endorse(T, B, fromAna.id, { userId: 'dee', name: 'Dee', at: at(9) });
        await store.recognitions.softDelete(T, B, removedBefore.id, at(10));
        await store.recognitions.create(elsewhere(T, 'board-2'));
        await store.recognitions.create(elsewhere('tenant-b', B));
      }

      /** Everything the store holds for a board, to compare before and after. */
      async function snapshot(tenantId: string, boardId: string, ids: string[]) {
        return {
          credits: await Promise.all(ids.map((id) => store.recognitions.get(tenantId, boardId, id))),
          stats: (await store.stats.list(tenantId, boardId)).sort((a, b) => (a.memberKey < b.memberKey ? -1 : 1)),
          roster: await store.members.list(tenantId, boardId, { includeLeft: true }),
        };
      }
      const boardIds = [sole, shared, fromAna, endorsed, byEmail, removedBefore].map((r) => r.id);

      test('removes what others gave them, anonymises what they gave, and leaves a tombstone', async () => {
        await seed();
        const benBefore = await store.stats.get(T, B, 'ben');
        const otherBoard = await snapshot(T, 'board-2', [elsewhere(T, 'board-2').id]);
        const otherTenant = await snapshot('tenant-b', B, [elsewhere('tenant-b', B).id]);

        const counts = await store.recognitions.eraseMember(T, B, 'ana', at(50));
        expect(counts).toEqual({ deleted: 2, removedFrom: 1, anonymised: 1, endorsementsRemoved: 1 });

        // Others' feed: the shared credit without Ana, her gift from a former member, no sole credit, no trace of her.
        const feedOf = async (viewerId: string) => (await store.recognitions.page({ tenantId: T, boardId: B, viewerId, limit: 50 })).items;
        const benFeed = await feedOf('ben');
        expect(benFeed.map((r) => r.id).sort()).toEqual([shared.id, fromAna.id, endorsed.id].sort());
        expect(benFeed.find((r) => r.id === shared.id)?.recipients).toEqual([{ userId: 'ben', name: 'Ben' }]);
        expect(benFeed.find((r) => r.id === fromAna.id)?.giver).toEqual(FORMER_MEMBER);
        expect(benFeed.find((r) => r.id === fromAna.id)?.endorsements.map((e) => e.userId)).toEqual(['dee']);
        expect(benFeed.find((r) => r.id === endorsed.id)?.endorsements.map((e) => e.userId)).toEqual(['dee']);
        expect(JSON.stringify(benFeed)).not.toMatch(/"ana"|Ana|ana@/);
        expect((await feedOf('giver')).map((r) => r.id).sort()).toEqual([shared.id, endorsed.id].sort());
        expect((await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', recipientKey: 'ana', limit: 50 })).items).toEqual([]);
        expect((await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', giverId: 'ana', limit: 50 })).items).toEqual([]);
        expect((await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', endorserId: 'ana', limit: 50 })).items).toEqual([]);

        // Credits that named only her are deleted with their text and evidence scrubbed, the removed one too.
        for (const id of [sole.id, byEmail.id, removedBefore.id]) {
          const stored = await store.recognitions.get(T, B, id);
          expect(stored).toMatchObject({ deletedAt: expect.any(String), message: '', recipients: [FORMER_MEMBER] });
          expect(stored?.evidence).toBeUndefined();
          expect(JSON.stringify(stored)).not.toMatch(/"ana"|Ana|ana@/);
        }
        expect((await store.recognitions.get(T, B, removedBefore.id))?.deletedAt).toBe(at(10));
        expect((await store.recognitions.facts(T, B, at(0))).flatMap((f) => f.recipientKeys).sort()).toEqual(['ben', 'ben', 'ben']);

        // Her stats are gone; Ben's are as before; the giver no longer counts the two deleted credits; no stats for a former member.
        expect(await store.stats.get(T, B, 'ana')).toBeUndefined();
        expect(await store.stats.get(T, B, `email:${ANA_EMAIL}`)).toBeUndefined();
        expect(await store.stats.get(T, B, 'ben')).toEqual(benBefore);
        expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 1, lastGaveAt: at(2) });
        expect((await store.stats.list(T, B)).map((s) => s.memberKey).sort()).toEqual(['ben', 'cy', 'giver']);

        // The roster keeps a tombstone: no name, email or channel id, left, opted out, not a lead.
        const tombstone = await store.members.get(T, B, 'ana');
        expect(tombstone).toEqual({ tenantId: T, boardId: B, userId: 'ana', name: FORMER_MEMBER.name, role: 'member', joinedAt: at(0), leftAt: at(50), prefersPrivate: false, optedOut: true });
        expect(await store.members.findByChannelId(T, B, '29:ana')).toBeUndefined();
        expect(await store.members.findByEmail(T, B, ANA_EMAIL)).toBeUndefined();
        expect((await store.members.list(T, B)).map((m) => m.userId)).toEqual(['giver']);
        expect((await store.members.boardsOf(T, 'ana')).map((m) => m.boardId)).toEqual(['board-2']);
        expect((await store.members.boardsOf(T, 'ana', { includeLeft: true })).map((m) => m.boardId).sort()).toEqual([B, 'board-2']);

        // Another board of the tenant and the same ids in another tenant are untouched.
        expect(await snapshot(T, 'board-2', [elsewhere(T, 'board-2').id])).toEqual(otherBoard);
        expect(await snapshot('tenant-b', B, [elsewhere('tenant-b', B).id])).toEqual(otherTenant);
      });

      test('erasing again changes nothing', async () => {
        await seed();
        await store.recognitions.eraseMember(T, B, 'ana', at(50));
        const after = await snapshot(T, B, boardIds);
        expect(await store.recognitions.eraseMember(T, B, 'ana', at(51))).toEqual({ deleted: 0, removedFrom: 0, anonymised: 0, endorsementsRemoved: 0 });
        expect(await snapshot(T, B, boardIds)).toEqual(after);
      });

      test('a credit they gave, removed later, leaves the stats of the others right and starts none for a former member', async () => {
        await seed();
        await store.recognitions.eraseMember(T, B, 'ana', at(50));
        const benBefore = await store.stats.get(T, B, 'ben');
        await store.recognitions.softDelete(T, B, fromAna.id, at(51));
        expect(await store.stats.get(T, B, 'ben')).toMatchObject({ receivedCount: (benBefore?.receivedCount ?? 0) - 1 });
        expect(await store.stats.get(T, B, FORMER_MEMBER.userId)).toBeUndefined();
      });

      test('someone never on the board is erased without error and nothing changes', async () => {
        await seed();
        const before = await snapshot(T, B, boardIds);
        expect(await store.recognitions.eraseMember(T, B, 'nobody', at(50))).toEqual({ deleted: 0, removedFrom: 0, anonymised: 0, endorsementsRemoved: 0 });
        expect(await snapshot(T, B, boardIds)).toEqual(before);
      });
    });

    describe('credit counts', () => {
      const PEOPLE = ['ana', 'ben', 'cy', 'dee'];
      const lead: Caller = { tenantId: T, userId: 'lead', name: 'Lee' };
      // Around Berlin's change back from summer time (Sunday 2026-10-25, 01:00 UTC).
      const START = Date.UTC(2026, 9, 1);
      const NOW = new Date(Date.UTC(2026, 10, 10, 15, 20));
      const WINDOWS = [1, 7, 30, 365];

      async function openBoard(boardId: string, settings: Partial<Board['settings']> = {}) {
        await store.boards.put({ ...board(T, boardId), settings: { ...DEFAULT_BOARD_SETTINGS, ...settings } });
        for (const userId of [...PEOPLE, 'lead']) await store.members.put(member(userId, { boardId, role: userId === 'lead' ? 'lead' : 'member' }));
      }

      /** What insights would be computed from every live credit's facts, read one by one. */
      async function fromFacts(boardId: string, days: number, settings: Board['settings']) {
        const [roster, stats, facts] = await Promise.all([store.members.list(T, boardId), store.stats.list(T, boardId), store.recognitions.facts(T, boardId, '0000')]);
        return computeInsights(roster, stats, facts, days, NOW, settings);
      }

      const action = fc.oneof(
        fc.record({
          op: fc.constant('credit' as const),
          minutes: fc.integer({ min: 0, max: 50 * 24 * 60 }),
          kind: fc.constantFrom(...KIND_IDS),
          to: fc.subarray([...PEOPLE, 'email:kim@contoso.com'], { minLength: 1, maxLength: 3 }),
          giver: fc.constantFrom(...PEOPLE),
          private: fc.boolean(),
        }),
        fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
        fc.record({ op: fc.constant('erase' as const), who: fc.constantFrom(...PEOPLE) }),
        fc.record({ op: fc.constant('kind' as const), pick: fc.nat(), kind: fc.constantFrom(...KIND_IDS) }),
        // What the roster holds changes too: insights read it through its own columns (SQLite) or fields (Cosmos DB).
        fc.record({ op: fc.constant('roster' as const), who: fc.constantFrom(...PEOPLE), change: fc.constantFrom<Partial<Member>>({ optedOut: true }, { name: 'Zoë Renamed' }, { leftAt: NOW.toISOString() }) }),
      );

      test('insights from the counts kept on write equal insights from the credits, after credits, deletes, kind changes and erasures', async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'), fc.integer({ min: 0, max: 6 }), async (actions, timeZone, weekStartsOn) => {
            const boardId = `prop-${++run}`;
            await openBoard(boardId, { timeZone, weekStartsOn });
            const noticed = new Noticed(store, () => NOW);
            // Asked once before any credit, so what follows is counted on write (a store may count a board's credits once when first asked).
            expect((await noticed.insights(lead, boardId, 30)).totalCredits).toBe(0);
            const ids: string[] = [];
            for (const [n, a] of actions.entries()) {
              if (a.op === 'credit') {
                const giver = a.to.includes(a.giver) ? 'lead' : a.giver;
                const recipients = a.to.map((key) => (key.startsWith('email:') ? { email: key.slice(6), name: 'Kim' } : { userId: key, name: key }));
                const rec = credit(n, { id: recognitionId(T, boardId, `prop-${n}`), boardId, giver: { userId: giver, name: giver }, recipients, kind: a.kind, visibility: a.private ? 'private' : 'board', createdAt: new Date(START + a.minutes * 60_000).toISOString() });
                await store.recognitions.create(rec);
                ids.push(rec.id);
              } else if (a.op === 'delete' && ids.length) {
                await store.recognitions.softDelete(T, boardId, ids[a.pick % ids.length], NOW.toISOString());
              } else if (a.op === 'kind' && ids.length) {
                await store.recognitions.changeKind(T, boardId, ids[a.pick % ids.length], a.kind);
              } else if (a.op === 'erase') {
                await store.recognitions.eraseMember(T, boardId, a.who, NOW.toISOString());
              } else if (a.op === 'roster') {
                const stored = await store.members.get(T, boardId, a.who);
                if (stored) await store.members.put({ ...stored, ...a.change });
              }
            }
            const settings = { ...DEFAULT_BOARD_SETTINGS, timeZone, weekStartsOn };
            for (const days of WINDOWS) expect(await noticed.insights(lead, boardId, days)).toEqual(await fromFacts(boardId, days, settings));
            // The members' counts per kind too: a recount from the credits finds nothing to repair.
            expect(await store.stats.reconcile(T, boardId, { repair: false, settleMs: 0 })).toMatchObject({ members: [], buckets: [] });
          }),
          { numRuns: 12, seed: 15 },
        );
      });

      const weekCases: Array<[string, number, Array<[string, string]>, Record<string, number>]> = [
        [
          'Europe/Berlin',
          1,
          // Either side of local midnight Sunday to Monday, in summer time and after the change back.
          [['2026-10-18T21:30:00.000Z', 'Sunday 23:30 CEST'], ['2026-10-18T22:30:00.000Z', 'Monday 00:30 CEST'], ['2026-10-25T00:30:00.000Z', 'Sunday 02:30 CEST'], ['2026-10-25T22:30:00.000Z', 'Sunday 23:30 CET'], ['2026-10-25T23:30:00.000Z', 'Monday 00:30 CET']],
          { '2026-10-12': 1, '2026-10-19': 3, '2026-10-26': 1 },
        ],
        ['UTC', 1, [['2026-10-18T21:30:00.000Z', 'Sunday'], ['2026-10-18T23:59:00.000Z', 'Sunday'], ['2026-10-19T00:00:00.000Z', 'Monday']], { '2026-10-12': 2, '2026-10-19': 1 }],
        ['America/New_York', 0, [['2026-10-25T03:30:00.000Z', 'Saturday 23:30 EDT'], ['2026-10-25T04:30:00.000Z', 'Sunday 00:30 EDT']], { '2026-10-18': 1, '2026-10-25': 1 }],
      ];
      test.each(weekCases)('weeks of the kind mix start on the board\'s week start in %s (day %d)', async (timeZone, weekStartsOn, times, weeks) => {
        await openBoard(B, { timeZone, weekStartsOn });
        for (const [n, [createdAt]] of times.entries()) await store.recognitions.create(credit(n, { createdAt }));
        const insights = await new Noticed(store, () => NOW).insights(lead, B, 60);
        expect(Object.fromEntries(insights.kindMixByWeek.map((w) => [w.weekStart, w.counts.prevented]))).toEqual(weeks);
      });
    });

    test('a lease is held by one holder until it expires or is released', async () => {
      const now = new Date(Date.UTC(2026, 10, 2));
      expect(await store.leases.acquire('digest', 'one', 60_000, now)).toBe(true);
      expect(await store.leases.acquire('digest', 'two', 60_000, now)).toBe(false);
      expect(await store.leases.acquire('digest', 'one', 60_000, now)).toBe(true);
      expect(await store.leases.acquire('digest', 'two', 60_000, new Date(now.getTime() + 61_000))).toBe(true);
      await store.leases.release('digest', 'two');
      expect(await store.leases.acquire('digest', 'one', 60_000, new Date(now.getTime() + 62_000))).toBe(true);
    });

    test('boards are listed across tenants a page at a time, each once, in a stable order', async () => {
      const ids: Array<[string, string]> = [[T, 'b-3'], ['tenant-b', 'b-1'], [T, 'b-1'], [T, 'b-2'], ['tenant-b', 'b-0']];
      for (const [tenantId, id] of ids) await store.boards.put(board(tenantId, id));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.boards.list({ limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((b) => `${b.tenantId}/${b.id}`));
        expect(page.items.every((b) => b.settings && b.name === `Board ${b.id}`)).toBe(true);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(['tenant-a/b-1', 'tenant-a/b-2', 'tenant-a/b-3', 'tenant-b/b-0', 'tenant-b/b-1']);
      expect(pages).toBe(3);
      await expect(store.boards.list({ limit: 2, cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
    });

    test('a send is recorded once per key, and only the first of two runs moves it on', async () => {
      const pending: SendRecord = { tenantId: T, boardId: B, key: 'digest:week-of-2026-11-30', kind: 'digest', period: 'week-of-2026-11-30', status: 'pending', attempts: 1, createdAt: at(0), updatedAt: at(0) };
      expect(await store.sends.create(pending)).toEqual({ created: true, record: pending });
      const again = await store.sends.create({ ...pending, createdAt: at(1), updatedAt: at(1) });
      expect(again).toEqual({ created: false, record: pending });
      const sent: SendRecord = { ...pending, status: 'sent', activityId: 'act-1', updatedAt: at(2) };
      const failed: SendRecord = { ...pending, status: 'failed', retryAt: at(9), updatedAt: at(2) };
      expect(await store.sends.update(pending, sent)).toBe(true);
      expect(await store.sends.update(pending, failed)).toBe(false);
      expect(await store.sends.get(T, B, pending.key)).toEqual(sent);
      expect(await store.sends.get(T, 'board-2', pending.key)).toBeUndefined();
      expect(await store.sends.get('tenant-b', B, pending.key)).toBeUndefined();
      const nudge: SendRecord = { ...pending, key: 'nudge:week-of-2026-11-30:lee', kind: 'nudge', recipientId: 'lee' };
      expect((await store.sends.create(nudge)).created).toBe(true);
      const reminder: SendRecord = { ...pending, key: 'reminder:week-of-2026-11-30:lee', kind: 'reminder', recipientId: 'lee' };
      expect((await store.sends.create(reminder)).created).toBe(true);
      expect((await store.sends.create({ ...reminder, boardId: 'board-2' })).created).toBe(true);
      expect((await store.sends.listRecipient(T, B, 'lee')).map((r) => r.key)).toEqual([nudge.key, reminder.key]);
      expect(await store.sends.listRecipient(T, B, 'lee')).toContainEqual(nudge);
      expect(await store.sends.listRecipient('tenant-b', B, 'lee')).toEqual([]);
      expect(await store.sends.eraseRecipient(T, B, 'lee')).toBe(2);
      expect(await store.sends.get(T, B, nudge.key)).toBeUndefined();
      expect(await store.sends.get(T, 'board-2', reminder.key)).toBeDefined();
      expect(await store.sends.get(T, B, pending.key)).toEqual(sent);
      expect(await store.sends.eraseRecipient(T, B, 'lee')).toBe(0);
      expect(await store.sends.listRecipient(T, B, 'lee')).toEqual([]);
    });
  });
}
