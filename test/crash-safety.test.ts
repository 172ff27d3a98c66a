import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_TENANT_ID } from '../bot';
import { DEMO_BOARD_ID, demoPeople } from '../core';
import { type ChildApp, startChildApp } from './support/child-app';

/**
 * Crash safety as a regression test: the server on a SQLite file is killed with SIGKILL in the
 * middle of concurrent credits, twice, and restarted on the same file. Whatever it acknowledged
 * must be there exactly once, a retry with the same Idempotency-Key must never make a second
 * one, and the counts kept on write (member stats, received days, the board's credit hours)
 * must equal what the credits themselves say.
 */
const PER_ROUND = 120;
const CONCURRENCY = 16;
/** Killed after this many acknowledgements in each round: early in the first, later in the second. */
const KILL_AFTER = [30, 80];
const people = demoPeople();
const message = (i: number) => `Crash round credit ${i}: kept the release train moving`;
const keyOf = (i: number) => `crash-credit-${i}`;

type Fate = 'acknowledged' | 'unacknowledged';

async function tokensFor(app: ChildApp): Promise<string[]> {
  return Promise.all(
    people.map(async (p) => {
      const res = await fetch(`${app.url}/api/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: LOCAL_TENANT_ID, userId: p.userId, name: p.name }) });
      return ((await res.json()) as { accessToken: string }).accessToken;
    }),
  );
}

async function give(app: ChildApp, tokens: string[], i: number): Promise<{ status: number; id?: string }> {
  try {
    const res = await fetch(`${app.url}/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % people.length]}`, 'Idempotency-Key': keyOf(i) },
      body: JSON.stringify({ recipients: [{ userId: people[(i + 1) % people.length].userId }], message: message(i), kind: 'enabled' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { id?: string };
    return { status: res.status, id: body.id };
  } catch {
    // Reset by the kill, or refused while the server was down: not acknowledged.
    return { status: 0 };
  }
}

/** Sends credits first..first+count concurrently; kills the server after `killAfter` acknowledgements. */
async function round(app: ChildApp, first: number, count: number, killAfter: number, fates: Map<number, Fate>, ids: Map<number, string>): Promise<void> {
  const tokens = await tokensFor(app);
  let next = first;
  let acked = 0;
  let killed: Promise<void> | undefined;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < first + count) {
        const i = next++;
        const { status, id } = await give(app, tokens, i);
        const ok = status === 201 || status === 200;
        fates.set(i, ok ? 'acknowledged' : 'unacknowledged');
        if (ok && id) ids.set(i, id);
        if (ok && ++acked === killAfter) killed = app.close();
      }
    }),
  );
  await killed;
}

describe('kill -9 during concurrent credits', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'noticed-crash-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every acknowledged credit is there once, retries make none twice, integrity ok, counts equal the credits', async () => {
    const file = join(dir, 'noticed.db');
    const env = { SQLITE_PATH: file, SEED_DEMO: 'true' };
    const fates = new Map<number, Fate>();
    const ids = new Map<number, string>();
    for (const [n, killAfter] of KILL_AFTER.entries()) {
      const app = await startChildApp(env);
      await round(app, n * PER_ROUND, PER_ROUND, killAfter, fates, ids);
    }
    const acknowledged = [...fates].filter(([, f]) => f === 'acknowledged').map(([i]) => i);
    const unacknowledged = [...fates].filter(([, f]) => f === 'unacknowledged').map(([i]) => i);
    // Both kills landed mid-load: some credits were answered, some were not.
    expect([acknowledged.length > 0, unacknowledged.length > 0]).toEqual([true, true]);

    const app = await startChildApp(env);
    try {
      const tokens = await tokensFor(app);
      const retried = await Promise.all(unacknowledged.map((i) => give(app, tokens, i)));
      expect(retried.filter((r) => r.status !== 201 && r.status !== 200)).toEqual([]);
      // A retry of an acknowledged credit is answered with that same credit.
      for (const i of acknowledged.slice(0, 10)) expect(await give(app, tokens, i)).toEqual({ status: 200, id: ids.get(i) });
    } finally {
      await app.close();
    }

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const copies = new Map(
        (db.prepare("SELECT json_extract(doc, '$.message') AS message, count(*) AS n FROM recognitions WHERE deleted = 0 GROUP BY 1").all() as Array<{ message: string; n: number }>).map((r) => [r.message, r.n]),
      );
      const sent = [...fates.keys()];
      expect(sent.filter((i) => copies.get(message(i)) !== 1)).toEqual([]);

      const receivedDays = (json: string) => {
        const flat = JSON.parse(json) as number[];
        return Object.fromEntries(Array.from({ length: flat.length / 2 }, (_, j) => [flat[2 * j], flat[2 * j + 1]]));
      };
      const stats = db
        .prepare('SELECT member_key, received_enabled, received_prevented, received_improved, received_sustained, received_delivered, received_count, last_credited_at, given_count, last_gave_at, received_days FROM member_stats WHERE tenant_id = ? AND board_id = ? ORDER BY member_key')
        .all(LOCAL_TENANT_ID, DEMO_BOARD_ID) as Array<Record<string, unknown>>;
      const recomputed = db
        .prepare(
          `WITH live AS (SELECT * FROM recognitions WHERE tenant_id = ? AND board_id = ? AND deleted = 0),
                got AS (SELECT rr.member_key AS k, r.kind, r.created_at FROM recognition_recipients rr JOIN live r ON r.id = rr.recognition_id WHERE rr.deleted = 0),
                keys AS (SELECT k FROM got UNION SELECT giver_id FROM live)
           SELECT keys.k AS member_key,
             (SELECT count(*) FROM got WHERE got.k = keys.k AND kind = 'enabled') AS received_enabled,
             (SELECT count(*) FROM got WHERE got.k = keys.k AND kind = 'prevented') AS received_prevented,
             (SELECT count(*) FROM got WHERE got.k = keys.k AND kind = 'improved') AS received_improved,
             (SELECT count(*) FROM got WHERE got.k = keys.k AND kind = 'sustained') AS received_sustained,
             (SELECT count(*) FROM got WHERE got.k = keys.k AND kind = 'delivered') AS received_delivered,
             (SELECT count(*) FROM got WHERE got.k = keys.k) AS received_count,
             (SELECT max(created_at) FROM got WHERE got.k = keys.k) AS last_credited_at,
             (SELECT count(*) FROM live WHERE giver_id = keys.k) AS given_count,
             (SELECT max(created_at) FROM live WHERE giver_id = keys.k) AS last_gave_at,
             (SELECT '[' || coalesce(group_concat(d || ',' || n), '') || ']' FROM (SELECT CAST(julianday(substr(created_at, 1, 10)) - 2440587.5 AS INTEGER) AS d, count(*) AS n FROM got WHERE got.k = keys.k GROUP BY 1)) AS received_days
           FROM keys ORDER BY keys.k`,
        )
        .all(LOCAL_TENANT_ID, DEMO_BOARD_ID) as Array<Record<string, unknown>>;
      const comparable = (rows: Array<Record<string, unknown>>) => rows.map((r) => ({ ...r, received_days: receivedDays(r.received_days as string) }));
      expect(comparable(stats)).toEqual(comparable(recomputed));

      const hours = `SELECT hour, private, enabled, prevented, improved, sustained, delivered FROM board_credit_hours WHERE tenant_id = ? AND board_id = ? AND (enabled + prevented + improved + sustained + delivered) > 0 ORDER BY hour, private`;
      const hoursFromCredits = `SELECT substr(created_at, 1, 13) AS hour, private, sum(kind = 'enabled') AS enabled, sum(kind = 'prevented') AS prevented, sum(kind = 'improved') AS improved,
          sum(kind = 'sustained') AS sustained, sum(kind = 'delivered') AS delivered FROM recognitions WHERE tenant_id = ? AND board_id = ? AND deleted = 0 GROUP BY 1, 2 ORDER BY 1, 2`;
      expect(db.prepare(hours).all(LOCAL_TENANT_ID, DEMO_BOARD_ID)).toEqual(db.prepare(hoursFromCredits).all(LOCAL_TENANT_ID, DEMO_BOARD_ID));
    } finally {
      db.close();
    }
  }, 90_000);
});
