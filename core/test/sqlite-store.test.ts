import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('SQLite in memory (writes on the calling thread)', async () => openSqliteStore(':memory:'));

// On a file, credits are written by the writer thread on its own connection.
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
describeStoreContract('SQLite on a file (writer thread)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'noticed-sqlite-'));
  dirs.push(dir);
  return openSqliteStore(join(dir, 'noticed.db'));
});
