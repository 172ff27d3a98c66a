import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { stopWorker } from './stop-worker';

/**
 * Copies the write-ahead log into the database file on a thread of its own.
 *
 * SQLite's default checkpoint runs inside whichever commit crosses 1,000 log pages: that
 * commit copies every page and waits on two fsyncs, and in a Node server the event loop, with
 * every request on it, waits too. Here the server's connection never checkpoints; a worker
 * with its own connection does, every `intervalMs`, in PASSIVE mode (it never blocks the
 * writer). A passive checkpoint does not change what the server's connection reads, so its
 * page cache stays warm.
 *
 * Under writes that never pause the log never starts over (that needs every page copied, and
 * no checkpoint running, at the start of a commit), so once it passes `maxWalBytes` the
 * server's connection runs one RESTART checkpoint itself: it copies the few pages the worker
 * has not, waits out the worker if it is mid-run, and the next commit starts the log over.
 */
export interface Checkpointer {
  /**
   * Call after each commit, with no other write running, and the log's size if known (else it
   * is asked for: one stat call).
   */
  afterCommit(walBytes?: number): void;
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  maxWalBytes?: number;
}

// The worker's own code, evaluated as a script so it runs the same from TypeScript and dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.run(), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing the database at `path` (a file, in WAL mode) off the main thread. */
export function startCheckpointer(db: Database.Database, path: string, options: CheckpointerOptions = {}): Checkpointer {
  const maxWalBytes = options.maxWalBytes ?? 64 * 1024 * 1024;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: require.resolve('better-sqlite3'), path, intervalMs: options.intervalMs ?? 100 },
  });
  // A worker that is only checkpointing should not keep the process alive.
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  // After the log starts over, a file that grew past the cap is cut back to it.
  db.pragma(`journal_size_limit = ${maxWalBytes}`);
  let running = true;
  const fallBack = () => {
    // If the worker is gone, SQLite's own checkpoints take over again: slower, never unbounded.
    if (running) db.pragma('wal_autocheckpoint = 1000');
    running = false;
  };
  worker.once('error', fallBack);
  worker.once('exit', fallBack);

  return {
    afterCommit(walBytes) {
      // Also when the worker is gone: credits commit on the writer's connection, which never
      // checkpoints, so the cap is what bounds the log then.
      const size = walBytes ?? statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
      if (size > maxWalBytes) db.pragma('wal_checkpoint(RESTART)');
    },
    async stop() {
      if (!running) return;
      running = false;
      await stopWorker(worker);
    },
  };
}
