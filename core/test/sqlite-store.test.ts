import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('SQLite in memory', async () => openSqliteStore(':memory:'));

// On a file the store runs in WAL mode with its group commit, as the server uses it.
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
describeStoreContract('SQLite on a file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'noticed-sqlite-'));
  dirs.push(dir);
  return openSqliteStore(join(dir, 'noticed.db'));
});
