import type Database from 'better-sqlite3';

/**
 * The function as one transaction begun IMMEDIATE, for every transaction that writes.
 *
 * A DEFERRED transaction that reads first holds only a read snapshot; when another process on
 * the file (a second instance, `npm run doctor -- --repair`) writes before our first write, SQLite
 * cannot upgrade the snapshot and fails at once with SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT, without
 * waiting out the busy timeout, so a person's endorsement fails for no reason of theirs.
 * IMMEDIATE takes the write lock before the first read, waiting for it as the busy timeout says.
 * Called inside another transaction it is a savepoint of that one, as `db.transaction` is.
 */
export function writeTransaction<A extends unknown[], R>(db: Database.Database, fn: (...args: A) => R): (...args: A) => R {
  const tx = db.transaction(fn);
  return (...args: A) => tx.immediate(...args);
}
