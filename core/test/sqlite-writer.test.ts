import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommitReport, type Plan, startSqliteWriter } from '../src/store/sqlite-writer';

// The writer on its own, with a small schema: a row per thing and a count per owner.
const SCHEMA = `
  CREATE TABLE things (id TEXT PRIMARY KEY, owner TEXT NOT NULL CHECK (owner <> 'nobody'));
  CREATE TABLE counts (owner TEXT PRIMARY KEY, n INTEGER NOT NULL);
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function open(where: 'file' | 'memory', path?: string) {
  let file: string | undefined;
  if (where === 'file') {
    const dir = mkdtempSync(join(tmpdir(), 'noticed-writer-'));
    dirs.push(dir);
    file = join(dir, 'w.db');
  }
  const db = new Database(file ?? ':memory:');
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  let commits = 0;
  const reports: Array<CommitReport | undefined> = [];
  const afterCommit = (seen?: CommitReport) => {
    commits++;
    reports.push(seen);
  };
  const { writer, statementId } = startSqliteWriter(db, { path: path ?? file, pragmas: ['busy_timeout = 5000'], watch: 'SELECT count(*) FROM things', afterCommit });
  const insert = statementId('INSERT INTO things (id, owner) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
  const count = statementId('INSERT INTO counts (owner, n) VALUES (?, 1) ON CONFLICT (owner) DO UPDATE SET n = n + 1');
  const plan = (id: string, owner: string): Plan => [
    [insert, [id, owner]],
    [count, [owner]],
  ];
  const countOf = (owner: string) => db.prepare<[string], { n: number }>('SELECT n FROM counts WHERE owner = ?').get(owner)?.n ?? 0;
  const things = () => db.prepare<[], { id: string }>('SELECT id FROM things ORDER BY id').all().map((r) => r.id);
  return { db, writer, plan, countOf, things, commits: () => commits, reports };
}

describe.each(['file', 'memory'] as const)('SQLite writer, database in %s', (where) => {
  test('plans submitted together are one commit, each answered; a plan whose first row is there runs no further', async () => {
    const { writer, plan, countOf, things, commits, db } = open(where);
    const answers = await Promise.all([writer.submit(plan('a', 'ana')), writer.submit(plan('b', 'ana')), writer.submit(plan('a', 'ana'))]);
    expect(answers).toEqual([true, true, false]);
    expect(things()).toEqual(['a', 'b']);
    expect(countOf('ana')).toBe(2);
    expect(commits()).toBe(1);
    await writer.stop();
    db.close();
  });

  test('a plan that fails is refused alone: the others in its batch are written', async () => {
    const { writer, plan, countOf, things, db } = open(where);
    const answers = await Promise.allSettled([writer.submit(plan('a', 'ana')), writer.submit(plan('x', 'nobody')), writer.submit(plan('b', 'ben'))]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((answers[1] as PromiseRejectedResult).reason.message).toMatch(/CHECK constraint failed/);
    expect(things()).toEqual(['a', 'b']);
    expect([countOf('ana'), countOf('nobody'), countOf('ben')]).toEqual([1, 0, 1]);
    await writer.stop();
    db.close();
  });

  test('a write on the server connection never runs while a batch is out: asked for during one, it sees that batch written', async () => {
    const { writer, plan, things, db } = open(where);
    const first = writer.submit(plan('a', 'ana'));
    // One turn of the event loop: the batch has gone to the worker (or, in memory, been written).
    await new Promise((resolve) => setImmediate(resolve));
    const seen = await writer.exclusive(() => {
      const before = things();
      db.prepare("INSERT INTO things (id, owner) VALUES ('m', 'lead')").run();
      return before;
    });
    expect(seen).toEqual(['a']);
    expect(await first).toBe(true);
    expect(await writer.submit(plan('b', 'ben'))).toBe(true);
    expect(things()).toEqual(['a', 'b', 'm']);
    await writer.stop();
    db.close();
  });

  test('flush waits for everything submitted so far', async () => {
    const { writer, plan, things, db } = open(where);
    void writer.submit(plan('a', 'ana'));
    void writer.submit(plan('b', 'ben'));
    await writer.flush();
    expect(things()).toEqual(['a', 'b']);
    await writer.stop();
    db.close();
  });
});

test('after each commit the worker reports what it saw: the log size and the watched value', async () => {
  const { writer, plan, reports, db } = open('file');
  await writer.submit(plan('a', 'ana'));
  await Promise.all([writer.submit(plan('b', 'ben')), writer.submit(plan('c', 'cy'))]);
  expect(reports.map((r) => r?.watched)).toEqual([1, 3]);
  expect(reports.every((r) => r !== undefined && r.walBytes > 0)).toBe(true);
  await writer.stop();
  db.close();
});

test('if the worker cannot open the database, the server connection writes the plans itself', async () => {
  const { writer, plan, things, db } = open('file', join(tmpdir(), 'noticed-writer-missing', 'none.db'));
  expect(await Promise.all([writer.submit(plan('a', 'ana')), writer.submit(plan('b', 'ben'))])).toEqual([true, true]);
  expect(things()).toEqual(['a', 'b']);
  await writer.stop();
  db.close();
});
