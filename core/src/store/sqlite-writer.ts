import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { stopWorker } from './stop-worker';

/**
 * Commits credits on a thread of their own, with a connection of its own.
 *
 * better-sqlite3 is synchronous: a commit's page writes and its log bookkeeping run on the
 * thread that calls it, and in a Node server that thread is the event loop, with every
 * request waiting on it. Credits are the one write that comes at chat speed, so they go to a
 * worker: the server builds each credit's statements and parameters (a plan) and the worker
 * runs them. Credits that arrive while a batch is being committed wait and go together in
 * the next one (group commit), so under load batches grow instead of queueing commits.
 * With the writes moved off the event loop, a credit turn's event-loop time beyond an echo
 * turn's went from about 500 µs to about 350 µs (npm run bench:bot).
 *
 * Other writes (rosters, endorsements, erasure) are rare and stay on the server's connection;
 * they run between batches, never during one, so the two connections never wait on each
 * other's lock. A database in memory has no second connection: there, and if the worker
 * ever dies, the server's connection runs the plans itself, the same way.
 */
export interface SqliteWriter {
  /** Writes a plan with the next batch: true if written, false if its first row was already there. */
  submit(plan: Plan): Promise<boolean>;
  /** Runs a write on the server's connection when no batch is out; credits not yet sent wait for it. */
  exclusive<T>(run: () => T): Promise<T>;
  /** Settles once everything submitted so far is committed (or refused). */
  flush(): Promise<void>;
  /**
   * Runs plans on the server's connection now, inside the caller's transaction (imports and
   * benchmarks): not a savepoint of its own, which would copy every page it changes.
   */
  runHere(plans: Plan[]): boolean[];
  stop(): Promise<void>;
}

/** One statement with its positional parameters; the statement is an id from `statementId`. */
export type Step = [statement: number, params: unknown[]];
/**
 * The statements of one write, in order. If the first changes nothing (its row is already
 * there: a retry), the rest are skipped.
 */
export type Plan = Step[];
type Outcome = { written: boolean; error?: undefined } | { error: string };

// The plan runner, evaluated both here (for the server's connection) and in the worker, so
// the two run plans the same way. `db` is a connection, `prepared(id)` its statement.
const RUNNER_SOURCE = `
const runOne = (plan) => {
  if (!prepared(plan[0][0]).run(plan[0][1]).changes) return false;
  for (let i = 1; i < plan.length; i++) prepared(plan[i][0]).run(plan[i][1]);
  return true;
};
const runAll = (plans) => plans.map(runOne);
const allOrNone = db.transaction(runAll);
// Inside the outer transaction each plan is a savepoint: one refused plan leaves the others.
const savepoint = db.transaction(runOne);
const eachOnItsOwn = db.transaction((plans) => plans.map((plan) => {
  try {
    return { written: savepoint(plan) };
  } catch (error) {
    return { error: String((error && error.message) || error) };
  }
}));
const runBatch = (plans) => {
  try {
    return allOrNone(plans).map((written) => ({ written }));
  } catch {
    return eachOnItsOwn(plans);
  }
};
return { runAll, runBatch };
`;

type Runner = { runAll: (plans: Plan[]) => boolean[]; runBatch: (plans: Plan[]) => Outcome[] };
// The runner's source is ours and fixed; this is the one place it is turned into code.
const makeRunner = new Function('db', 'prepared', RUNNER_SOURCE) as (db: Database.Database, prepared: (id: number) => Database.Statement) => Runner;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
for (const pragma of workerData.pragmas) db.pragma(pragma);
const { statSync } = require('node:fs');
const statements = [];
const prepared = (id) => statements[id];
const { runBatch } = (() => { ${RUNNER_SOURCE} })();
const watch = workerData.watch ? db.prepare(workerData.watch).pluck() : undefined;
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  for (const [id, sql] of message.define) statements[id] = db.prepare(sql);
  const outcomes = runBatch(message.plans);
  const seen = { walBytes: statSync(workerData.path + '-wal', { throwIfNoEntry: false })?.size ?? 0, watched: watch?.get() };
  parentPort.postMessage({ outcomes, seen });
});
`;

export interface SqliteWriterOptions {
  /** The database file; undefined for a database in memory (no worker). */
  path?: string;
  /** Pragmas for the worker's connection, as `db.pragma` takes them. */
  pragmas: string[];
  /** A query with one value that the worker asks after each commit, for `afterCommit`. */
  watch?: string;
  /**
   * Called after each commit on either connection; after the worker's, with what it saw then,
   * so the server need not read the file itself while credits flow.
   */
  afterCommit: (seen?: CommitReport) => void;
}

/** What the worker saw right after a commit. */
export interface CommitReport {
  /** The size of the write-ahead log. */
  walBytes: number;
  /** The answer to `watch`. */
  watched: unknown;
}

/** The id of a statement for plans: the same SQL gets the same id. */
export type StatementIds = (sql: string) => number;

export function startSqliteWriter(db: Database.Database, options: SqliteWriterOptions): { writer: SqliteWriter; statementId: StatementIds } {
  const sqls: string[] = [];
  const ids = new Map<string, number>();
  const statementId: StatementIds = (sql) => {
    let id = ids.get(sql);
    if (id === undefined) {
      id = sqls.push(sql) - 1;
      ids.set(sql, id);
    }
    return id;
  };
  const local: Database.Statement[] = [];
  const runner = makeRunner(db, (id) => (local[id] ??= db.prepare(sqls[id])));

  type Item = { plan: Plan; resolve: (written: boolean) => void; reject: (error: unknown) => void; done: Promise<unknown> };
  let pending: Item[] = [];
  let inFlight: Item[] = [];
  let scheduled = false;
  let exclusives: Array<() => void> = [];
  let definedUpTo = 0;
  let worker: Worker | undefined;

  const settle = (batch: Item[], outcomes: Outcome[], seen?: CommitReport) => {
    options.afterCommit(seen);
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.error === undefined) item.resolve(outcome.written);
      else item.reject(new Error(outcome.error));
    });
  };
  const runHere = (batch: Item[]) => {
    let outcomes: Outcome[];
    try {
      outcomes = runner.runBatch(batch.map((item) => item.plan));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    settle(batch, outcomes);
  };
  /** Runs the writes waiting for a gap, then sends the next batch. */
  const next = () => {
    scheduled = false;
    if (inFlight.length) return;
    const waiting = exclusives;
    exclusives = [];
    for (const run of waiting) run();
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    if (!worker) {
      runHere(batch);
      return next();
    }
    inFlight = batch;
    // Held while a batch is out, so a process waiting only for its credits does not exit.
    worker.ref();
    worker.postMessage({ define: sqls.slice(definedUpTo).map((sql, i) => [definedUpTo + i, sql]), plans: batch.map((item) => item.plan) });
    definedUpTo = sqls.length;
  };
  const schedule = () => {
    if (scheduled || inFlight.length) return;
    scheduled = true;
    setImmediate(next);
  };

  if (options.path) {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), path: options.path, pragmas: options.pragmas, watch: options.watch } });
    // A worker that is only waiting for writes should not keep the process alive.
    worker.unref();
    worker.on('message', ({ outcomes, seen }: { outcomes: Outcome[]; seen: CommitReport }) => {
      const batch = inFlight;
      inFlight = [];
      worker?.unref();
      settle(batch, outcomes, seen);
      next();
    });
    const gone = () => {
      if (!worker) return;
      worker = undefined;
      // Plans are safe to run twice (a written first row stops the rest), so the batch the
      // worker held is run here; one it had already committed reads as already there.
      const batch = inFlight;
      inFlight = [];
      if (batch.length) runHere(batch);
      next();
    };
    worker.once('error', gone);
    worker.once('exit', gone);
  }

  const writer: SqliteWriter = {
    submit(plan) {
      let resolve!: (written: boolean) => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<boolean>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      pending.push({ plan, resolve, reject, done: done.catch(() => undefined) });
      schedule();
      return done;
    },
    exclusive(run) {
      if (!inFlight.length && !scheduled) {
        try {
          return Promise.resolve(run());
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return new Promise((resolve, reject) => {
        exclusives.push(() => {
          try {
            resolve(run());
          } catch (error) {
            reject(error);
          }
        });
      });
    },
    async flush() {
      await Promise.all([...inFlight, ...pending].map((item) => item.done));
    },
    runHere: (plans) => runner.runAll(plans),
    async stop() {
      await writer.flush();
      const current = worker;
      if (!current) return;
      worker = undefined;
      await stopWorker(current);
    },
  };
  return { writer, statementId };
}
