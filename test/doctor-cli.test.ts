import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BOARD_SETTINGS, type Recognition, recognitionId } from '../core';
import { openSqliteStore } from '../core/store';
import { LOCAL_TENANT_ID } from '../bot/src/config';
import { REPO_ROOT, bundleForNode } from './support/node-bundle';

const T = LOCAL_TENANT_ID;
const BOARD = 'team-1';
const AT = '2026-11-02T09:15:00.000Z';

// Bundled once: the CLI runs as `npm run doctor` would run it, in a process of its own, on a SQLite file.
const doctor = bundleForNode('bot/src/doctor.ts');
let dir: string;
let path: string;

function credit(n: number, recipient: string, visibility: Recognition['visibility'] = 'board'): Recognition {
  return {
    id: recognitionId(T, BOARD, `doctor-${n}`),
    tenantId: T,
    boardId: BOARD,
    giver: { userId: 'user-gia', name: 'Gia' },
    recipients: [{ userId: recipient, name: recipient }],
    kind: 'prevented',
    message: `credit ${n}`,
    source: 'api',
    visibility,
    createdAt: AT,
    endorsements: [],
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'noticed-doctor-cli-'));
  path = join(dir, 'noticed.db');
  const store = openSqliteStore(path);
  await store.boards.put({ tenantId: T, id: BOARD, name: 'Team', settings: DEFAULT_BOARD_SETTINGS, createdAt: AT, updatedAt: AT });
  await store.recognitions.create(credit(1, 'user-ana'));
  await store.recognitions.create(credit(2, 'user-ben', 'private'));
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { code: number | null; out: string; err: string } {
  const res = spawnSync(process.execPath, [doctor.file, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, ...doctor.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', SQLITE_PATH: path },
    encoding: 'utf8',
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** Ana's stats and the board's hour, as a batch that failed after her credit would leave them. */
function damage(): void {
  const db = new Database(path);
  db.prepare("UPDATE member_stats SET received_count = 0, received_prevented = 0, received_days = '[]' WHERE member_key = 'user-ana'").run();
  db.prepare("UPDATE board_credit_hours SET prevented = 5 WHERE private = 0").run();
  db.close();
}

/** Every row of every table in the file, to show a run changed nothing (read here, not by a second run of the CLI: each costs a process start). */
function contents(): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all()]));
  } finally {
    db.close();
  }
}

test.each([
  ['no board named', [], /--board is required/],
  ['an unknown option', ['--local', '--board', BOARD, '--force'], /Unknown option '--force'/],
  ['a malformed board id', ['--local', '--board', 'bad id?'], /--board /],
  ['no tenant outside local mode', ['--board', BOARD], /--tenant is required/],
  ['a tenant that is no GUID', ['--local', '--board', BOARD, '--tenant', 'contoso'], /--tenant must be an Entra tenant id/],
  ['a board that does not exist', ['--local', '--board', 'team-9'], /No board team-9 in tenant/],
])('%s: exit 2, says why, and changes nothing', (_, args, message) => {
  damage();
  const before = contents();
  const { code, err, out } = run(args);
  expect([code, out]).toEqual([2, '']);
  expect(err).toMatch(message);
  expect(contents()).toEqual(before);
});

test('a consistent board: exit 0', () => {
  const { code, out } = run(['--local', '--board', BOARD]);
  expect(code).toBe(0);
  expect(out).toBe(`Board ${BOARD} (tenant ${T}): 2 live credits.\nConsistent: the stats and counts agree with the credits.\n`);
});

test('a damaged board: exit 1 with every mismatch, stored → recomputed; --repair fixes it (exit 0); after, consistent', () => {
  damage();
  const expected = [
    `Board ${BOARD} (tenant ${T}): 2 live credits.`,
    'Member stats that disagree with the credits (member key, field: stored → recomputed):',
    '  user-ana  receivedCount: 0 → 1',
    '  user-ana  receivedByKind.prevented: 0 → 1',
    '  user-ana  receivedDays.2026-11-02: 0 → 1',
    'Hour buckets that disagree (UTC hour, kind, visibility: stored → recomputed):',
    '  2026-11-02T09  prevented  board: 5 → 1',
  ];
  const damaged = contents();
  const check = run(['--local', '--board', BOARD]);
  expect(check.code).toBe(1);
  expect(check.out).toBe([...expected, '4 mismatches found; run again with --repair to write the recomputed values.', ''].join('\n'));
  expect(contents()).toEqual(damaged);
  const repair = run(['--local', '--board', BOARD, '--repair']);
  expect(repair.code).toBe(0);
  expect(repair.out).toBe([...expected, 'Repaired 4 mismatches.', ''].join('\n'));
  expect(run(['--local', '--board', BOARD])).toMatchObject({ code: 0, out: expect.stringContaining('Consistent') });
  expect(run(['--local', '--board', BOARD, '--repair'])).toMatchObject({ code: 0, out: expect.stringContaining('Consistent') });
});
