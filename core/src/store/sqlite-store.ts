import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Recognition } from '../recognition';
import { SqliteBoardStore } from './sqlite-board-store';
import { sqliteCreditContextReader } from './sqlite-credit-context';
import { SqliteLeaseStore } from './sqlite-lease-store';
import { SqliteMemberStore } from './sqlite-member-store';
import { migrate } from './sqlite-migrations';
import { SqliteRecognitionStore } from './sqlite-recognition-store';
import { SqliteSendStore } from './sqlite-send-store';
import { SqliteStatsStore } from './sqlite-stats-store';
import type { Store } from './store';

/** The SQLite store, with a bulk path that only a local database can offer. */
export interface SqliteStore extends Store {
  /**
   * Creates each credit exactly as `recognitions.create` does, but all in one transaction
   * instead of one each: for imports and the store benchmark, where a commit per credit
   * would dominate. Any failure writes none of them.
   */
  createRecognitions(recs: Recognition[]): Array<{ recognition: Recognition; created: boolean }>;
}

/**
 * Opens (creating and migrating as needed) the SQLite store at the path, or in memory for
 * ':memory:'. One connection, on the event loop: each write is one transaction, and a chat
 * bot's load (a few messages a second per team) is far below the commits it can do.
 */
export function openSqliteStore(path: string): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // In WAL mode readers never wait for the writer, and a commit appends to the log instead of
  // rewriting pages in place; SQLite checkpoints the log into the file by itself.
  db.pragma('journal_mode = WAL');
  // Every 10,000 pages (about 40 MiB), not the default 1,000. A credit appends some 12 pages to
  // the log, so the default checkpointed every 80 credits, inside a credit's commit on the event
  // loop, with two fsyncs each time, while every other request waited. A page written many times
  // between checkpoints (a board's newest index pages, its people's counters) is copied once:
  // for 3,000 credits on the 1,000,000-credit file, 13 fsyncs instead of 109 and 2,700 pages
  // copied instead of 9,100 (npm run bench:bot measures the turn).
  db.pragma('wal_autocheckpoint = 10000');
  // The log file is reused, not shrunk, once checkpointed: after a large import, cut it back.
  db.pragma('journal_size_limit = 67108864');
  // NORMAL, not FULL: with WAL a crash of the process loses nothing and the database is never
  // corrupted; only a power cut or OS crash can lose the last commits before the next
  // checkpoint. FULL would wait for an fsync on every commit, and on the event loop every
  // request would wait with it.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process on the same file (a second instance, a maintenance script) holds the write
  // lock only briefly: wait for it rather than fail the request. Not long, though: better-sqlite3
  // waits on the event loop, so every request waits with it; past this the request answers
  // StoreUnavailable (503, try again) well inside its deadline.
  db.pragma('busy_timeout = 1000');
  // Savepoints and sorts spill to memory rather than a temp file, and a cache of up to 256 MiB
  // plus a memory map keep a large board's indexes (random credit ids above all) off the disk:
  // the default 2 MiB cache made every write and feed page re-read pages (npm run bench:store).
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -262144');
  db.pragma('mmap_size = 268435456');
  migrate(db);

  const members = new SqliteMemberStore(db);
  const stats = new SqliteStatsStore(db);
  const recognitions = new SqliteRecognitionStore(db, members, stats);
  const readCreditContext = sqliteCreditContextReader(db);
  return {
    boards: new SqliteBoardStore(db),
    members,
    recognitions,
    stats,
    leases: new SqliteLeaseStore(db),
    sends: new SqliteSendStore(db),
    readCreditContext: async (tenantId, boardId, query) => readCreditContext(tenantId, boardId, query),
    createRecognitions: (recs) => recognitions.createMany(recs),
    close: async () => {
      db.close();
    },
  };
}
