import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BOARD_SETTINGS, type Member } from '../src/board';
import { computeInsights } from '../src/insights';
import { Noticed } from '../src/noticed';
import { MIGRATIONS } from '../src/store/sqlite-migrations';
import { openSqliteStore } from '../src/store/sqlite-store';
import { describeReconcileContract } from './reconcile-contract';
import { contractFixtures, describeStoreContract } from './store-contract';

// On a file, as the server runs it.
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
/** A database file in a folder of its own, removed after the tests. */
function databasePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'noticed-sqlite-'));
  dirs.push(dir);
  return join(dir, 'noticed.db');
}
describeStoreContract('SQLite on a file', async () => openSqliteStore(databasePath()));

// The damage goes through a second connection to the file, as a faulted write would have left it.
describeReconcileContract('SQLite', async () => {
  const path = databasePath();
  const store = openSqliteStore(path);
  const { T, B } = contractFixtures;
  const raw = () => new Database(path);
  return {
    store,
    tamper: {
      async stats(memberKey, damage) {
        const db = raw();
        const set: string[] = [];
        const values: Array<string | number | null> = [];
        const column = (name: string, value: string | number | null) => {
          set.push(`${name} = ?`);
          values.push(value);
        };
        if (damage.receivedCount !== undefined) column('received_count', damage.receivedCount);
        if (damage.givenCount !== undefined) column('given_count', damage.givenCount);
        if (damage.lastCreditedAt !== undefined) column('last_credited_at', damage.lastCreditedAt);
        if (damage.receivedDays) column('received_days', JSON.stringify(damage.receivedDays));
        for (const [kind, n] of Object.entries(damage.receivedByKind ?? {})) column(`received_${kind}`, n);
        db.prepare(`UPDATE member_stats SET ${set.join(', ')} WHERE tenant_id = ? AND board_id = ? AND member_key = ?`).run(...values, T, B, memberKey);
        db.close();
      },
      async hour(hour, kind, isPrivate, credits) {
        const db = raw();
        db.prepare(`INSERT INTO board_credit_hours (tenant_id, board_id, hour, private, ${kind}) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET ${kind} = excluded.${kind}`).run(
          T,
          B,
          hour,
          isPrivate ? 1 : 0,
          credits,
        );
        db.close();
      },
    },
  };
});

/** A database left at `version` of the schema by an earlier build. */
function databaseAt(version: number): { path: string; db: Database.Database } {
  const path = databasePath();
  const db = new Database(path);
  for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration);
  db.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (${version});`);
  return { path, db };
}

describe('SQLite migrations', () => {
  test('a database from before stats had columns, and recipient rows their own table, keeps every count, date and credit, found by recipient and by giver', async () => {
    const { T, B } = contractFixtures;
    const before = [
      { tenantId: T, boardId: B, memberKey: 'ana', name: 'Ana', receivedByKind: { enabled: 2, prevented: 1, improved: 0, sustained: 0, delivered: 3 }, receivedCount: 6, lastCreditedAt: '2026-11-02T09:00:00.000Z', givenCount: 1, lastGaveAt: '2026-11-01T09:00:00.000Z' },
      { tenantId: T, boardId: B, memberKey: 'email:kim@contoso.com', name: 'kim', receivedByKind: { enabled: 1, prevented: 0, improved: 0, sustained: 0, delivered: 0 }, receivedCount: 1, lastCreditedAt: '2026-11-03T09:00:00.000Z', givenCount: 0 },
    ];
    const { path, db: v2 } = databaseAt(2);
    for (const s of before) v2.prepare('INSERT INTO member_stats VALUES (?, ?, ?, ?)').run(s.tenantId, s.boardId, s.memberKey, JSON.stringify(s));
    const credit = contractFixtures.credit(1, { recipients: [{ userId: 'ana', name: 'Ana' }, { userId: 'ben', name: 'Ben' }] });
    v2.prepare('INSERT INTO recognitions (id, tenant_id, board_id, created_at, kind, giver_id, private, doc) VALUES (?, ?, ?, ?, ?, ?, 0, ?)')
      .run(credit.id, T, B, credit.createdAt, credit.kind, credit.giver.userId, JSON.stringify(credit));
    for (const key of ['ana', 'ben']) v2.prepare('INSERT INTO recognition_recipients (recognition_id, tenant_id, board_id, member_key, created_at) VALUES (?, ?, ?, ?, ?)').run(credit.id, T, B, key, credit.createdAt);
    v2.close();

    const store = openSqliteStore(path);
    expect(await store.stats.list(T, B)).toEqual(expect.arrayContaining(before));
    expect(await store.stats.list(T, B)).toHaveLength(2);
    const page = await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', recipientKey: 'ben', limit: 10 });
    expect(page.items).toEqual([credit]);
    expect((await store.recognitions.page({ tenantId: T, boardId: B, viewerId: 'ana', giverId: credit.giver.userId, limit: 10 })).items).toEqual([credit]);
    expect(await store.recognitions.facts(T, B, '2000-01-01T00:00:00.000Z')).toEqual([{ kind: credit.kind, createdAt: credit.createdAt, recipientKeys: ['ana', 'ben'] }]);
    await store.close();
  });

  test('a database with the roster epoch of the old document cache opens without it, and its boards and members read and change as before', async () => {
    const { T, B, at } = contractFixtures;
    const board = { tenantId: T, id: B, name: 'Board', settings: DEFAULT_BOARD_SETTINGS, createdAt: at(0), updatedAt: at(0) };
    const ana = { tenantId: T, boardId: B, userId: 'ana', name: 'Ana', role: 'member' as const, joinedAt: at(0), prefersPrivate: false, optedOut: false };
    const { path, db: v6 } = databaseAt(6);
    v6.prepare('INSERT INTO boards (tenant_id, id, doc) VALUES (?, ?, ?)').run(T, B, JSON.stringify(board));
    v6.prepare('INSERT INTO members (tenant_id, board_id, user_id, name_lower, active, doc) VALUES (?, ?, ?, ?, 1, ?)').run(T, B, 'ana', 'ana', JSON.stringify(ana));
    v6.close();

    const store = openSqliteStore(path);
    expect(await store.boards.get(T, B)).toEqual(board);
    await store.members.put({ ...ana, name: 'Ana López' });
    expect(await store.members.list(T, B)).toEqual([{ ...ana, name: 'Ana López' }]);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT type, name FROM sqlite_master WHERE name LIKE '%epoch%'").all()).toEqual([]);
    db.close();
  });
});

test('a database from before counts were kept gets the insights its credits give, and keeps counting after', async () => {
  const { T, B, credit } = contractFixtures;
  const path = databasePath();
  const lead = { tenantId: T, userId: 'lead', name: 'Lee' };
  const now = new Date(Date.UTC(2026, 10, 2, 12));
  const credits = [0, 1, 3, 9, 20, 40].map((d, n) =>
    credit(n, { createdAt: new Date(Date.UTC(2026, 9, 1 + d, 21 + (n % 3))).toISOString(), kind: n % 2 ? 'delivered' : 'enabled', recipients: [{ userId: n % 3 ? 'ana' : 'ben', name: 'X' }], visibility: n === 4 ? 'private' : 'board' }),
  );
  // A version 7 file holding the credits: the tables version 7 wrote are the ones written now, less the counts and the roster's name and opt-out columns.
  const v7 = openSqliteStore(path);
  await v7.boards.put({ tenantId: T, id: B, name: 'Board', settings: { ...DEFAULT_BOARD_SETTINGS, timeZone: 'Europe/Berlin' }, createdAt: credits[0].createdAt, updatedAt: credits[0].createdAt });
  for (const userId of ['lead', 'ana', 'ben']) await v7.members.put({ tenantId: T, boardId: B, userId, name: userId, role: userId === 'lead' ? 'lead' : 'member', joinedAt: credits[0].createdAt, prefersPrivate: false, optedOut: false });
  for (const rec of credits) await v7.recognitions.create(rec);
  await v7.recognitions.softDelete(T, B, credits[3].id, now.toISOString());
  await v7.close();
  const db = new Database(path);
  db.exec(
    'DROP TABLE board_credit_hours; ALTER TABLE member_stats DROP COLUMN received_days; DROP INDEX members_people; ALTER TABLE members DROP COLUMN name; ALTER TABLE members DROP COLUMN opted_out; UPDATE schema_version SET version = 7;',
  );
  db.close();

  const store = openSqliteStore(path);
  const noticed = new Noticed(store, () => now);
  const expected = async (days: number) =>
    computeInsights(await store.members.list(T, B), await store.stats.list(T, B), await store.recognitions.facts(T, B, '0000'), days, now, { timeZone: 'Europe/Berlin', weekStartsOn: 1 });
  for (const days of [7, 30, 90]) expect(await noticed.insights(lead, B, days)).toEqual(await expected(days));
  expect((await noticed.insights(lead, B, 90)).totalCredits).toBe(5);
  await store.recognitions.create(credit(7, { createdAt: new Date(Date.UTC(2026, 10, 1, 8)).toISOString() }));
  expect(await noticed.insights(lead, B, 30)).toEqual(await expected(30));
  expect((await noticed.insights(lead, B, 90)).totalCredits).toBe(6);
  await store.close();
});

test('a board and a member another connection changed read as changed at once', async () => {
  const path = databasePath();
  const store = openSqliteStore(path);
  const { T, B, at } = contractFixtures;
  await store.boards.put({ tenantId: T, id: B, name: 'Before', settings: DEFAULT_BOARD_SETTINGS, createdAt: at(0), updatedAt: at(0) });
  await store.members.put({ tenantId: T, boardId: B, userId: 'ana', name: 'Ana', role: 'member', joinedAt: at(0), prefersPrivate: false, optedOut: false });
  expect([(await store.boards.get(T, B))?.name, (await store.members.get(T, B, 'ana'))?.name]).toEqual(['Before', 'Ana']);

  const other = new Database(path);
  other.prepare("UPDATE boards SET doc = json_set(doc, '$.name', 'After')").run();
  other.prepare("UPDATE members SET doc = json_set(doc, '$.name', 'Ana López')").run();
  other.close();
  expect([(await store.boards.get(T, B))?.name, (await store.members.get(T, B, 'ana'))?.name]).toEqual(['After', 'Ana López']);
  await store.close();
});

test('on a file in WAL mode, SQLite checkpoints credits into the database by itself', async () => {
  const path = databasePath();
  const store = openSqliteStore(path);
  // Enough credits to fill the log (checkpointed every 10,000 pages) three times over.
  for (let n = 0; n < 3000; n++) await store.recognitions.create(contractFixtures.credit(n, { id: `credit-${n}` }));
  // A copy of the database file alone, without its log, holds only what was checkpointed.
  copyFileSync(path, `${path}.copy`);
  await store.close();
  const copy = new Database(`${path}.copy`, { readonly: true });
  expect(copy.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(copy.prepare<[], number>('SELECT count(*) FROM recognitions').pluck().get()).toBeGreaterThan(1500);
  copy.close();
});

test('a version 9 database, whose roster has no name or opt-out columns, gives the same insights once migrated', async () => {
  const { T, B, credit } = contractFixtures;
  const path = databasePath();
  const lead = { tenantId: T, userId: 'lead', name: 'Lee' };
  const now = new Date(Date.UTC(2026, 10, 2, 12));
  const people: Array<[string, Partial<Member>]> = [['lead', { role: 'lead' }], ['ana', {}], ['ben', { optedOut: true }], ['cy', { leftAt: now.toISOString() }], ['dee', { name: 'Dee Renamed' }], ['eve', {}]];
  const v9 = openSqliteStore(path);
  await v9.boards.put({ tenantId: T, id: B, name: 'Board', settings: DEFAULT_BOARD_SETTINGS, createdAt: now.toISOString(), updatedAt: now.toISOString() });
  for (const [userId, extra] of people) await v9.members.put({ tenantId: T, boardId: B, userId, name: userId, role: 'member', joinedAt: now.toISOString(), prefersPrivate: false, optedOut: false, ...extra });
  for (const [n, to] of ['ana', 'ben', 'cy', 'ana'].entries()) await v9.recognitions.create(credit(n, { createdAt: new Date(Date.UTC(2026, 9, 20 + n, 9)).toISOString(), recipients: [{ userId: to, name: to }] }));
  const noticed = (store: typeof v9) => new Noticed(store, () => now);
  const before = await Promise.all([7, 30].map((days) => noticed(v9).insights(lead, B, days)));
  await v9.close();
  const db = new Database(path);
  db.exec('DROP INDEX members_people; ALTER TABLE members DROP COLUMN name; ALTER TABLE members DROP COLUMN opted_out; UPDATE schema_version SET version = 9;');
  db.close();

  const store = openSqliteStore(path);
  const after = await Promise.all([7, 30].map((days) => noticed(store).insights(lead, B, days)));
  expect(after).toEqual(before);
  expect(after[1]).toMatchObject({ rosterSize: 4, creditedCount: 1 });
  expect(after[1].unnoticed.map((u) => u.name)).toEqual(['Dee Renamed', 'eve', 'lead']);
  expect((await store.members.listPeople(T, B)).sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
    people.filter(([, extra]) => !extra.leftAt).sort(([a], [b]) => a.localeCompare(b)).map(([userId, extra]) => ({ userId, name: extra.name ?? userId, optedOut: extra.optedOut ?? false })),
  );
  await store.close();
});
