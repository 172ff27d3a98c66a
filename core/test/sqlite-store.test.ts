import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BOARD_SETTINGS } from '../src/board';
import { MIGRATIONS, openSqliteStore } from '../src/store/sqlite-store';
import { contractFixtures, describeStoreContract } from './store-contract';

describeStoreContract('SQLite in memory', async () => openSqliteStore(':memory:'));

// On a file the store runs in WAL mode with its group commit, as the server uses it.
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
/** A database file in a folder of its own, removed after the tests. */
function databasePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'noticed-sqlite-'));
  dirs.push(dir);
  return join(dir, 'noticed.db');
}
describeStoreContract('SQLite on a file', async () => {
  return openSqliteStore(databasePath());
});

describe('SQLite migrations', () => {
  test('a database from before stats had columns, and recipient rows their own table, keeps every count, date and credit, found by recipient and by giver', async () => {
    const path = databasePath();
    const { T, B } = contractFixtures;
    const before = [
      { tenantId: T, boardId: B, memberKey: 'ana', name: 'Ana', receivedByKind: { enabled: 2, prevented: 1, improved: 0, sustained: 0, delivered: 3 }, receivedCount: 6, lastCreditedAt: '2026-11-02T09:00:00.000Z', givenCount: 1, lastGaveAt: '2026-11-01T09:00:00.000Z' },
      { tenantId: T, boardId: B, memberKey: 'email:kim@contoso.com', name: 'kim', receivedByKind: { enabled: 1, prevented: 0, improved: 0, sustained: 0, delivered: 0 }, receivedCount: 1, lastCreditedAt: '2026-11-03T09:00:00.000Z', givenCount: 0 },
    ];
    const v2 = new Database(path);
    v2.exec(MIGRATIONS[0]);
    v2.exec(MIGRATIONS[1]);
    v2.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (2);');
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
});

describe('SQLite shared by two connections', () => {
  test('a board and a member another connection changed read as changed a moment later', async () => {
    const path = databasePath();
    const store = openSqliteStore(path);
    const { T, B, at } = contractFixtures;
    await store.boards.put({ tenantId: T, id: B, name: 'Before', settings: DEFAULT_BOARD_SETTINGS, createdAt: at(0), updatedAt: at(0) });
    await store.members.put({ tenantId: T, boardId: B, userId: 'ana', name: 'Ana', role: 'member', joinedAt: at(0), prefersPrivate: false, optedOut: false });
    expect((await store.boards.get(T, B))?.name).toBe('Before');
    expect((await store.members.get(T, B, 'ana'))?.name).toBe('Ana');

    const other = new Database(path);
    other.prepare("UPDATE boards SET doc = json_set(doc, '$.name', 'After')").run();
    other.prepare("UPDATE members SET doc = json_set(doc, '$.name', 'Ana López')").run();
    other.close();
    // The store asks whether a board or member changed at most every 20 ms.
    await new Promise((resolve) => setTimeout(resolve, 25));
    expect((await store.boards.get(T, B))?.name).toBe('After');
    expect((await store.members.get(T, B, 'ana'))?.name).toBe('Ana López');
    await store.close();
  });

  test('while credits flow, a board another connection changed reads as changed after the next credit, with no wait', async () => {
    const path = databasePath();
    const store = openSqliteStore(path);
    const { T, B, at } = contractFixtures;
    await store.boards.put({ tenantId: T, id: B, name: 'Before', settings: DEFAULT_BOARD_SETTINGS, createdAt: at(0), updatedAt: at(0) });
    await store.recognitions.create(contractFixtures.credit(1));
    expect((await store.boards.get(T, B))?.name).toBe('Before');

    const other = new Database(path);
    other.prepare("UPDATE boards SET doc = json_set(doc, '$.name', 'After')").run();
    other.close();
    // The writer thread reads the roster epoch after its commit and reports it, so this read
    // needs no wait (the store's own check comes only every 20 ms).
    await store.recognitions.create(contractFixtures.credit(2));
    expect((await store.boards.get(T, B))?.name).toBe('After');
    await store.close();
  });
});

describe('SQLite store lifetime', () => {
  test('a script that awaits close goes on after it, with nothing else keeping the process alive', () => {
    // A process of its own: under jest something always keeps the event loop alive. It loads
    // the TypeScript source through swc, as jest does.
    const script = `
      const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
      const { readFileSync } = require('node:fs');
      require.extensions['.ts'] = (module, filename) => module._compile(transformSync(readFileSync(filename, 'utf8'), {
        filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
      }).code, filename);
      const { openSqliteStore } = require(${JSON.stringify(require.resolve('../src/store/sqlite-store'))});
      const store = openSqliteStore(${JSON.stringify(databasePath())});
      store.close().then(() => console.log('closed'));
    `;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 }).trim()).toBe('closed');
  });
});

describe('SQLite checkpoints', () => {
  test('credits reach the database file from the checkpoint thread, while the server connection never checkpoints', async () => {
    const path = databasePath();
    const store = openSqliteStore(path);
    await store.createRecognitions(Array.from({ length: 50 }, (_, n) => contractFixtures.credit(n)));

    // A copy of the database file alone, without its log, holds only what was checkpointed.
    const inFile = () => {
      copyFileSync(path, `${path}.copy`);
      const copy = new Database(`${path}.copy`, { readonly: true });
      try {
        return copy.prepare<[], { n: number }>('SELECT count(*) AS n FROM recognitions').get()?.n ?? 0;
      } catch {
        return 0; // the copy may predate even the schema
      } finally {
        copy.close();
      }
    };
    const deadline = Date.now() + 5000;
    while (inFile() < 50 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(inFile()).toBe(50);
    await store.close();
  });

  test('under writes that never pause, the log starts over instead of growing without end', async () => {
    const path = databasePath();
    const maxWalBytes = 256 * 1024;
    const store = openSqliteStore(path, { maxWalBytes });
    let largest = 0;
    for (let n = 0; n < 3000; n += 4) {
      await Promise.all([0, 1, 2, 3].map((k) => store.recognitions.create(contractFixtures.credit(n + k))));
      largest = Math.max(largest, statSync(`${path}-wal`).size);
    }
    // The log passes the cap by a few commits (the restart waits for a commit that finds no
    // checkpoint running); without it the log reaches tens of megabytes here.
    expect(largest).toBeLessThan(8 * maxWalBytes);
    await store.close();
  });
});
