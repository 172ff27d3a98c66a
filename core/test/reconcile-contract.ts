import type { Kind } from '../src/kinds';
import type { BucketMismatch, MemberMismatch } from '../src/reconcile';
import type { Store } from '../src/store/store';
import { contractFixtures } from './store-contract';

/** A member key's stats fields as a faulted batch might leave them. */
export interface StatsDamage {
  receivedCount?: number;
  givenCount?: number;
  receivedByKind?: Partial<Record<Kind, number>>;
  lastCreditedAt?: string | null;
  receivedDays?: number[];
}

/** Writes wrong counts straight into an adapter's storage, past the store's own writes. */
export interface Tamper {
  stats(memberKey: string, damage: StatsDamage): Promise<void>;
  /** Sets one hour bucket (kind and visibility) of the board's counts. */
  hour(hour: string, kind: Kind, isPrivate: boolean, credits: number): Promise<void>;
}

const { T, B, at, credit } = contractFixtures;
const HOUR = at(0).slice(0, 13);
/** 2026-11-02 as a day number. */
const DAY = Math.floor(Date.parse('2026-11-02T00:00:00Z') / 86_400_000);

/** A mismatch of one field, as the report lists it. */
const off = (memberKey: string, field: string, stored: number | string | null, recomputed: number | string | null): MemberMismatch => ({ memberKey, field, stored, recomputed });

const damages: Array<[string, (t: Tamper) => Promise<void>, MemberMismatch[], BucketMismatch[]]> = [
  ['a received count short', (t) => t.stats('ana', { receivedCount: 1 }), [off('ana', 'receivedCount', 1, 2)], []],
  [
    'a kind and a received day short, as a batch that failed after the credit',
    (t) => t.stats('ana', { receivedCount: 1, receivedByKind: { prevented: 0 }, receivedDays: [DAY, 1] }),
    [off('ana', 'receivedCount', 1, 2), off('ana', 'receivedByKind.prevented', 0, 1), off('ana', 'receivedDays.2026-11-02', 1, 2)],
    [],
  ],
  ['a given count over', (t) => t.stats('giver', { givenCount: 7 }), [off('giver', 'givenCount', 7, 3)], []],
  ['a last credited date lost', (t) => t.stats('ben', { lastCreditedAt: null }), [off('ben', 'lastCreditedAt', null, at(3))], []],
  ['an hour bucket short', (t) => t.hour(HOUR, 'improved', false, 0), [], [{ hour: HOUR, kind: 'improved', private: false, stored: 0, recomputed: 1 }]],
  ['a private bucket counted twice', (t) => t.hour(HOUR, 'enabled', true, 2), [], [{ hour: HOUR, kind: 'enabled', private: true, stored: 2, recomputed: 1 }]],
];

/**
 * The reconcile every adapter must offer: it reports what a fault left wrong, repairs it,
 * reports clean after, repairs idempotently, and loses no credit written meanwhile.
 * `open` gives a fresh store and a way to damage its counts directly.
 */
export function describeReconcileContract(name: string, open: () => Promise<{ store: Store; tamper: Tamper }>): void {
  describe(`${name} reconcile (npm run doctor)`, () => {
    let store: Store;
    let tamper: Tamper;
    beforeEach(async () => {
      ({ store, tamper } = await open());
      await store.recognitions.create(credit(1, { createdAt: at(1) }));
      await store.recognitions.create(credit(2, { createdAt: at(2), kind: 'improved', recipients: [{ userId: 'ana', name: 'Ana' }, { userId: 'cy', name: 'Cy' }] }));
      await store.recognitions.create(credit(3, { createdAt: at(3), kind: 'enabled', visibility: 'private', recipients: [{ userId: 'ben', name: 'Ben' }] }));
      await store.recognitions.create(credit(4, { createdAt: at(4), recipients: [{ userId: 'cy', name: 'Cy' }] }));
      await store.recognitions.softDelete(T, B, credit(4).id, at(5));
      // As insights first read it: a Cosmos DB board's counts are marked complete then.
      await store.stats.counts(T, B, '2026-11-01');
    });
    afterEach(async () => {
      await store.close();
    });

    const reconcile = (repair: boolean) => store.stats.reconcile(T, B, { repair, settleMs: 0 });
    const snapshot = async () => ({
      stats: (await store.stats.list(T, B)).sort((a, b) => a.memberKey.localeCompare(b.memberKey)),
      hours: (await store.stats.hours(T, B, '2026-01-01')).sort((a, b) => `${a.hour}${a.kind}${a.private}`.localeCompare(`${b.hour}${b.kind}${b.private}`)),
      counts: await store.stats.counts(T, B, '2026-11-01'),
    });

    test('a consistent board reports nothing, and a repair of it writes nothing', async () => {
      const before = await snapshot();
      const report = await reconcile(false);
      expect(report).toMatchObject({ tenantId: T, boardId: B, liveCredits: 3, members: [], buckets: [], repaired: false });
      expect(await reconcile(true)).toMatchObject({ members: [], buckets: [], repaired: true });
      expect(await snapshot()).toEqual(before);
    });

    test.each(damages)('%s: reported, left as is by the report, repaired, then reported clean; a second repair changes nothing', async (_, damage, members, buckets) => {
      const good = await snapshot();
      await damage(tamper);
      const damaged = await snapshot();
      const report = await reconcile(false);
      expect(report.members).toEqual(members);
      expect(report.buckets).toEqual(buckets);
      expect(report.repaired).toBe(false);
      expect(await snapshot()).toEqual(damaged);
      const repair = await reconcile(true);
      expect({ members: repair.members, buckets: repair.buckets, repaired: repair.repaired }).toEqual({ members, buckets, repaired: true });
      expect(await snapshot()).toEqual(good);
      expect(await reconcile(false)).toMatchObject({ members: [], buckets: [], unmarked: false });
      expect(await reconcile(true)).toMatchObject({ members: [], buckets: [] });
      expect(await snapshot()).toEqual(good);
    });

    test('a credit written between the report and the repair is counted, not lost', async () => {
      await tamper.stats('ana', { receivedCount: 0 });
      expect((await reconcile(false)).members).toEqual([off('ana', 'receivedCount', 0, 2)]);
      await store.recognitions.create(credit(6, { createdAt: at(6) }));
      await reconcile(true);
      expect(await store.stats.get(T, B, 'ana')).toMatchObject({ receivedCount: 3, receivedByKind: { prevented: 2, improved: 1 }, lastCreditedAt: at(6) });
      expect(await store.stats.get(T, B, 'giver')).toMatchObject({ givenCount: 4, lastGaveAt: at(6) });
      expect((await store.stats.counts(T, B, '2026-11-02')).received.get('ana')).toBe(3);
      expect(await reconcile(false)).toMatchObject({ liveCredits: 4, members: [], buckets: [] });
    });

    test('credits written while a repair runs are all counted once it is done', async () => {
      await tamper.stats('ana', { receivedCount: 0 });
      await Promise.all([reconcile(true), ...[7, 8, 9].map((n) => store.recognitions.create(credit(n, { createdAt: at(n) })))]);
      const settled = await reconcile(true);
      expect(await reconcile(false)).toMatchObject({ liveCredits: 6, members: [], buckets: [] });
      expect(settled.repaired).toBe(true);
      expect(await store.stats.get(T, B, 'ana')).toMatchObject({ receivedCount: 5, receivedByKind: { prevented: 4, improved: 1 } });
    });
  });
}
