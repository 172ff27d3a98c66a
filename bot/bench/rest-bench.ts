import autocannon, { type Result } from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { benchResult } from '../../core/bench/bench-result';
import { openSeededApp, benchTokens, benchUserId } from './seeded-board';

/**
 * `npm run bench:rest`: the REST API under a mix of what the tab asks (board feed pages, a
 * lead's insights, new credits) from many signed-in people at once, with local-issuer tokens.
 * The server runs in a child process so the load generator does not share its event loop.
 */
const CONNECTIONS = Number(process.env.BENCH_REST_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_REST_SECONDS ?? 20);
const MEMBERS = Number(process.env.BENCH_REST_MEMBERS ?? 1_000);
const SEED_CREDITS = Number(process.env.BENCH_REST_CREDITS ?? 3_600);
const P99_TARGET_MS = 200;
const BOARD_ID = 'bench-rest-board';
const LEADS = 5;


/** The server's child: the real app on a fresh SQLite file, with one board of MEMBERS people and SEED_CREDITS credits. */
async function serve(): Promise<void> {
  const { app, close } = await openSeededApp({ boardId: BOARD_ID, name: 'Bench board', members: MEMBERS, leads: LEADS, credits: SEED_CREDITS });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` })}\n`);
  process.on('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', __filename, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    const { url } = JSON.parse(first) as { url: string };
    const tokens = await benchTokens(url, MEMBERS);

    // Random people, so no one person's write limit (30 a minute) is what the run measures:
    // 6 in 10 requests read a feed page, 2 a lead's insights, 2 give credit.
    let sent = 0;
    const pick = (n: number) => Math.floor(Math.random() * n);
    const request = (): autocannon.Request => {
      const roll = Math.random();
      const base = `/api/v1/boards/${BOARD_ID}`;
      if (roll < 0.6) {
        const i = pick(MEMBERS);
        return { method: 'GET', path: `${base}/recognitions?limit=20`, headers: { authorization: `Bearer ${tokens[i]}` } };
      }
      if (roll < 0.8) return { method: 'GET', path: `${base}/insights?days=30`, headers: { authorization: `Bearer ${tokens[pick(LEADS)]}` } };
      const giver = pick(MEMBERS);
      const recipient = (giver + 1 + pick(MEMBERS - 1)) % MEMBERS;
      const n = sent++;
      return {
        method: 'POST',
        path: `${base}/recognitions`,
        headers: { authorization: `Bearer ${tokens[giver]}`, 'content-type': 'application/json', 'idempotency-key': `bench-${process.pid}-${n}` },
        body: JSON.stringify({ recipients: [{ userId: benchUserId(recipient) }], message: `Bench credit ${process.pid}-${n}: unblocked the migration` }),
      };
    };
    const result = await new Promise<Result>((resolve, reject) => {
      autocannon(
        { url, connections: CONNECTIONS, duration: DURATION, requests: [{ setupRequest: (req) => ({ ...req, ...request() }) }] },
        (error, r) => (error ? reject(error) : resolve(r)),
      );
    });
    const failed = result.errors + result.non2xx + result.timeouts;
    console.log(`\nREST mix: ${CONNECTIONS} connections, ${DURATION} s, one board of ${MEMBERS} people with ${SEED_CREDITS} credits; 60% feed, 20% insights, 20% new credits\n`);
    console.log(`requests ${result.requests.total} (${result.requests.average.toFixed(0)}/s); latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    console.log(`errors ${failed} (connection errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}); status codes ${JSON.stringify(result.statusCodeStats)}`);
    console.log(`p99 target ≤ ${P99_TARGET_MS} ms and 0 errors: ${result.latency.p99 <= P99_TARGET_MS && failed === 0 ? 'met' : 'missed'}`);
    benchResult({ connections: CONNECTIONS, seconds: DURATION, members: MEMBERS, seedCredits: SEED_CREDITS, requests: result.requests.total, p99Ms: result.latency.p99, errors: failed });
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv.includes('--serve')) void serve();
else
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
