import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BOARD_SETTINGS } from '../src/board';
import { openSqliteStore } from '../src/store/sqlite-store';
import { contractFixtures, describeStoreContract } from './store-contract';

describeStoreContract('SQLite in memory', async () => openSqliteStore(':memory:'));

// On a file the store runs in WAL mode with its group commit, as the server uses it.
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
describeStoreContract('SQLite on a file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'noticed-sqlite-'));
  dirs.push(dir);
  return openSqliteStore(join(dir, 'noticed.db'));
});

describe('SQLite shared by two connections', () => {
  test("a board or member another connection changed reads as changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'noticed-sqlite-'));
    dirs.push(dir);
    const path = join(dir, 'noticed.db');
    const store = openSqliteStore(path);
    const { T, B, at } = contractFixtures;
    await store.boards.put({ tenantId: T, id: B, name: 'Before', settings: DEFAULT_BOARD_SETTINGS, createdAt: at(0), updatedAt: at(0) });
    expect((await store.boards.get(T, B))?.name).toBe('Before');

    const other = new Database(path);
    other.prepare("UPDATE boards SET doc = json_set(doc, '$.name', 'After')").run();
    other.close();
    expect((await store.boards.get(T, B))?.name).toBe('After');
    await store.close();
  });
});

describe('SQLite checkpoints', () => {
  test('credits reach the database file from the checkpoint thread, while the server connection never checkpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'noticed-sqlite-'));
    dirs.push(dir);
    const path = join(dir, 'noticed.db');
    const store = openSqliteStore(path);
    await store.createRecognitions(Array.from({ length: 50 }, (_, n) => contractFixtures.credit(n)));

    // A copy of the database file alone, without its log, holds only what was checkpointed.
    const inFile = () => {
      copyFileSync(path, join(dir, 'copy.db'));
      const copy = new Database(join(dir, 'copy.db'), { readonly: true });
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
});
