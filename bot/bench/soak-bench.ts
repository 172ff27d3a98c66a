import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { benchResult } from '../../core/bench/bench-result';
import { openSeededApp, benchTokens, benchUserId } from './seeded-board';

/**
 * `npm run bench:soak`: one server on 127.0.0.1 (a child process, so the load does not share
 * its event loop) under a steady mix of credits, endorsements, feed pages and insights for
 * SOAK_SECONDS (600 by default), reported per minute: p50/p99, errors, and the server's RSS.
 * Targets: no errors, p99 within the REST budget, RSS at the end within 10 % of the first minute's.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const WINDOW_SECONDS = Number(process.env.SOAK_WINDOW_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 20);
const MEMBERS = Number(process.env.SOAK_MEMBERS ?? 1_000);
const SEED_CREDITS = Number(process.env.SOAK_CREDITS ?? 1_000);
const P99_TARGET_MS = 200;
const RSS_GROWTH_MAX = 0.1;
const BOARD_ID = 'bench-soak-board';
const LEADS = 5;
const RSS_EVERY_MS = 5_000;


/** The server's child: the real app on a fresh SQLite file, printing its URL, then its RSS every few seconds. */
async function serve(): Promise<void> {
  const { app, close } = await openSeededApp({ boardId: BOARD_ID, name: 'Soak board', members: MEMBERS, leads: LEADS, credits: SEED_CREDITS });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` })}\n`);
  // The JS heap beside RSS: RSS also holds SQLite's page cache (up to 256 MiB) and memory map, which fill as the file grows.
  setInterval(() => process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage.rss(), heap: process.memoryUsage().heapUsed })}\n`), RSS_EVERY_MS);
  process.on('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
}

/** One window of the run. */
interface Window {
  latencies: number[];
  errors: number;
  statuses: Map<number, number>;
  rss: number;
  heap: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);

async function main(): Promise<void> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', __filename, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let rss = 0;
  let heap = 0;
  try {
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const { url } = JSON.parse(first) as { url: string };
    lines.on('line', (line) => {
      const sample = JSON.parse(line) as { rss: number; heap: number };
      rss = Math.max(rss, sample.rss);
      heap = Math.max(heap, sample.heap);
    });
    const tokens = await benchTokens(url, MEMBERS);

    // Credits made during the run, with their giver and recipient, for others to endorse.
    const made: Array<{ id: string; giver: number; recipient: number }> = [];
    const pick = (n: number) => Math.floor(Math.random() * n);
    const base = `${url}/api/v1/boards/${BOARD_ID}`;
    let sent = 0;
    /** 45 % feed pages, 15 % a lead's insights, 25 % new credits, 15 % endorsements. */
    const request = (): { url: string; init: RequestInit; made?: { giver: number; recipient: number } } => {
      const roll = Math.random();
      const auth = (i: number) => ({ authorization: `Bearer ${tokens[i]}` });
      if (roll < 0.45) return { url: `${base}/recognitions?limit=20`, init: { headers: auth(pick(MEMBERS)) } };
      if (roll < 0.6) return { url: `${base}/insights?days=30`, init: { headers: auth(pick(LEADS)) } };
      const target = made.length ? made[made.length - 1 - pick(Math.min(made.length, 200))] : undefined;
      if (roll < 0.75 && target) {
        let endorser = pick(MEMBERS);
        while (endorser === target.giver || endorser === target.recipient) endorser = pick(MEMBERS);
        return { url: `${base}/recognitions/${target.id}/endorsements`, init: { method: 'POST', headers: auth(endorser) } };
      }
      const giver = pick(MEMBERS);
      const recipient = (giver + 1 + pick(MEMBERS - 1)) % MEMBERS;
      const n = sent++;
      return {
        url: `${base}/recognitions`,
        init: {
          method: 'POST',
          headers: { ...auth(giver), 'content-type': 'application/json', 'idempotency-key': `soak-${process.pid}-${n}` },
          body: JSON.stringify({ recipients: [{ userId: benchUserId(recipient) }], message: `Soak credit ${process.pid}-${n}: unblocked the migration` }),
        },
        made: { giver, recipient },
      };
    };

    const windows: Window[] = [];
    const started = performance.now();
    const end = started + SECONDS * 1000;
    const windowAt = (t: number) => {
      const i = Math.floor((t - started) / (WINDOW_SECONDS * 1000));
      while (windows.length <= i) windows.push({ latencies: [], errors: 0, statuses: new Map(), rss: 0, heap: 0 });
      return windows[i];
    };
    const closeWindows = setInterval(() => {
      const w = windowAt(performance.now());
      w.rss = Math.max(w.rss, rss);
      w.heap = Math.max(w.heap, heap);
      rss = 0;
      heap = 0;
    }, RSS_EVERY_MS);
    const worker = async () => {
      while (performance.now() < end) {
        const r = request();
        const t0 = performance.now();
        let status = 0;
        try {
          const res = await fetch(r.url, r.init);
          status = res.status;
          const body = (await res.json()) as { id?: string };
          if (r.made && res.status === 201 && body.id) made.push({ id: body.id, ...r.made });
        } catch {
          status = 0;
        }
        const w = windowAt(t0);
        w.latencies.push(performance.now() - t0);
        w.statuses.set(status, (w.statuses.get(status) ?? 0) + 1);
        if (status < 200 || status >= 300) w.errors++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    clearInterval(closeWindows);

    // Requests are filed under the window they started in, so none falls after the last full one.
    const full = windows.filter((w) => w.latencies.length > 0);
    console.log(`\nSoak: ${SECONDS} s, ${CONCURRENCY} concurrent clients, one board of ${MEMBERS} people with ${SEED_CREDITS} seed credits; 45% feed, 15% insights, 25% credits, 15% endorsements\n`);
    console.log('window  requests  p50 ms  p99 ms  errors  RSS MiB  heap MiB  statuses');
    full.forEach((w, i) => {
      const sorted = [...w.latencies].sort((a, b) => a - b);
      console.log(
        `${String(i + 1).padStart(6)}  ${String(w.latencies.length).padStart(8)}  ${percentile(sorted, 50).toFixed(1).padStart(6)}  ${percentile(sorted, 99).toFixed(1).padStart(6)}  ${String(w.errors).padStart(6)}  ${(w.rss / 2 ** 20).toFixed(1).padStart(7)}  ${(w.heap / 2 ** 20).toFixed(1).padStart(8)}  ${JSON.stringify(Object.fromEntries(w.statuses))}`,
      );
    });
    const all = full.flatMap((w) => w.latencies).sort((a, b) => a - b);
    const errors = full.reduce((n, w) => n + w.errors, 0);
    const worstP99 = Math.max(...full.map((w) => percentile([...w.latencies].sort((a, b) => a - b), 99)));
    const rssFirst = full[0].rss;
    const rssLast = full[full.length - 1].rss;
    const growth = rssFirst ? (rssLast - rssFirst) / rssFirst : 0;
    const heapGrowth = full[0].heap ? (full[full.length - 1].heap - full[0].heap) / full[0].heap : 0;
    const met = errors === 0 && worstP99 <= P99_TARGET_MS && growth <= RSS_GROWTH_MAX;
    console.log(`\nall: ${all.length} requests, p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms; worst window p99 ${worstP99.toFixed(1)} ms; errors ${errors}`);
    console.log(`RSS first window ${(rssFirst / 2 ** 20).toFixed(1)} MiB, last ${(rssLast / 2 ** 20).toFixed(1)} MiB: ${(growth * 100).toFixed(1)} % growth; JS heap ${(heapGrowth * 100).toFixed(1)} %`);
    console.log(`targets (0 errors, every window's p99 ≤ ${P99_TARGET_MS} ms, RSS growth ≤ ${RSS_GROWTH_MAX * 100} % after the first window): ${met ? 'met' : 'missed'}`);
    benchResult({ seconds: SECONDS, concurrency: CONCURRENCY, requests: all.length, p99Ms: percentile(all, 99), worstWindowP99Ms: worstP99, errors, rssGrowth: growth, heapGrowth });
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
