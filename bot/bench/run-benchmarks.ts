import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_RESULT_PREFIX } from '../../core/bench/bench-result';

/**
 * `npm run bench`: runs each benchmark in a child process of its own, one after the other, and
 * prints one table of what users feel against issue #15's targets. Each child's own report
 * goes to stderr as it runs; stdout gets the table. Sizes are smaller than the issue's where
 * a full run would take too long here, and every one can be set back by its environment
 * variable (BENCHMARKS.md lists them).
 */
const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');
/** The store bench's filled file, which the bot bench then credits on top of, as issue #15's target names. */
const FILLED_DB = join(tmpdir(), `noticed-bench-${process.pid}.db`);

/** Settings of this run: the environment's, else defaults that keep the whole run under 10 minutes. */
const settings = {
  BENCH_CONNECTIONS: '20',
  BENCH_ROUNDS: '8',
  BENCH_SECONDS: '2',
  BENCH_CREDITS: '1000000',
  BENCH_BIG_MEMBERS: '5000',
  BENCH_BIG_CREDITS: '100000',
  BENCH_BIG_SAMPLES: '20',
  BENCH_REST_CONNECTIONS: '50',
  BENCH_REST_SECONDS: '20',
  BENCH_REST_MEMBERS: '1000',
  BENCH_REST_CREDITS: '3600',
  BENCH_TEAM_SIZE: '5000',
  BENCH_BROWSER_SAMPLES: '5',
  SOAK_SECONDS: '600',
};
/** The soak runs ten minutes, longer than all the rest: only when asked for (`npm run bench -- --soak`). */
const WITH_SOAK = process.argv.includes('--soak');
for (const key of Object.keys(settings) as Array<keyof typeof settings>) settings[key] = process.env[key] ?? settings[key];
const setting = (key: keyof typeof settings) => Number(settings[key]).toLocaleString('en-US');

interface Row {
  figure: string;
  measured: string;
  target: string;
  met: string;
}

/** Runs a child, echoing its output to stderr; resolves with its BENCH_RESULT figures (undefined if it printed none) and all it printed. */
function runChild(name: string, args: string[], env: Record<string, string> = {}): Promise<{ figures?: Record<string, unknown>; output: string }> {
  process.stderr.write(`\n== ${name}: node ${args.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', ...args], { cwd: ROOT, env: { ...process.env, ...settings, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', () => {
      const line = output.split('\n').find((l) => l.startsWith(BENCH_RESULT_PREFIX));
      resolve({ figures: line ? (JSON.parse(line.slice(BENCH_RESULT_PREFIX.length)) as Record<string, unknown>) : undefined, output });
    });
  });
}

/** "met", or by how much the figure misses a ceiling (at most `target`) or a floor (at least `target`). */
function verdict(measured: number, target: number, unit: string, atMost = true): string {
  const ok = atMost ? measured <= target : measured >= target;
  if (ok) return 'met';
  const by = Math.abs(measured - target);
  const digits = by < 10 ? 2 : 0;
  return `missed by ${by.toFixed(digits)}${unit} (${(measured / target).toFixed(1)}× the target)`;
}

const NOT_MEASURED = 'not measured yet';
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`;
const failedRow = (figure: string, target: string): Row => ({ figure, measured: 'the benchmark failed (see above)', target, met: '-' });

async function botRows(): Promise<Row[]> {
  const onFile = existsSync(FILLED_DB) ? `SQLite file with the store bench's ${setting('BENCH_CREDITS')} credits` : 'fresh SQLite file';
  const figure = `credit turn p99 vs echo turn p99 (${setting('BENCH_CONNECTIONS')} conversations, ${setting('BENCH_ROUNDS')} alternating runs of ${setting('BENCH_SECONDS')} s, ${onFile}, connector in its own process)`;
  const throughput = 'credit turns/s (same run)';
  const { figures: f } = await runChild('bot turns', [join(DIST, 'bot/bench/bot-bench.js'), '--local'], existsSync(FILLED_DB) ? { BENCH_SQLITE: FILLED_DB } : {});
  if (!f || f.allWritten !== true) return [failedRow(figure, '≤ 1.5×'), failedRow(throughput, '≥ 300')];
  const ratio = f.p99Ratio as number;
  const perSecond = f.creditsPerSecond as number;
  return [
    { figure, measured: `${ratio.toFixed(2)}× (${f.creditP99Ms} ms vs ${f.echoP99Ms} ms)`, target: '≤ 1.5×', met: verdict(ratio, 1.5, '×') },
    { figure: throughput, measured: perSecond.toFixed(0), target: '≥ 300', met: verdict(perSecond, 300, '/s', false) },
  ];
}

async function storeRows(): Promise<Row[]> {
  const feed = `board feed first page p95 (SQLite, ${setting('BENCH_CREDITS')} credits, 200 boards × 50)`;
  const big = `insights p95 / event loop per call (one board of ${setting('BENCH_BIG_MEMBERS')}, ${setting('BENCH_BIG_CREDITS')} credits in 90 days, ${setting('BENCH_BIG_SAMPLES')} calls)`;
  const { figures: f } = await runChild('store', [join(DIST, 'core/bench/store-bench.js')], { BENCH_KEEP_DB: FILLED_DB });
  if (!f) return [failedRow(feed, '≤ 10 ms'), failedRow(big, '≤ 20 ms')];
  const b = f.bigBoard as { p95Ms: number; loopMsPerCall: number };
  return [
    { figure: feed, measured: `${ms(f.feedFirstPageP95Ms as number)} (worst filter ${ms(f.feedWorstP95Ms as number)})`, target: '≤ 10 ms', met: verdict(f.feedWorstP95Ms as number, 10, ' ms') },
    { figure: big, measured: `${ms(b.p95Ms)} / ${ms(b.loopMsPerCall)}`, target: '≤ 20 ms', met: verdict(Math.max(b.p95Ms, b.loopMsPerCall), 20, ' ms') },
  ];
}

async function restRows(): Promise<Row[]> {
  const figure = `mixed REST load p99 / errors (${setting('BENCH_REST_CONNECTIONS')} connections, ${setting('BENCH_REST_SECONDS')} s; feed 60%, insights 20%, credits 20%; board of ${setting('BENCH_REST_MEMBERS')}, ${setting('BENCH_REST_CREDITS')} credits)`;
  const { figures: f } = await runChild('REST mix', [join(DIST, 'bot/bench/rest-bench.js')]);
  if (!f) return [failedRow(figure, '≤ 200 ms, 0 errors')];
  const p99 = f.p99Ms as number;
  const errors = f.errors as number;
  const met = [p99 <= 200 ? '' : `p99 ${verdict(p99, 200, ' ms')}`, errors === 0 ? '' : `${errors} errors`].filter(Boolean).join('; ') || 'met';
  return [{ figure, measured: `${ms(p99)} / ${errors} errors (${(f.requests as number).toLocaleString('en-US')} requests)`, target: '≤ 200 ms, 0 errors', met }];
}

async function soakRows(): Promise<Row[]> {
  if (!WITH_SOAK) return [];
  const figure = `soak: worst minute's p99 / errors / RSS growth after the first minute (${setting('SOAK_SECONDS')} s, 20 clients; feed 45%, insights 15%, credits 25%, endorsements 15%)`;
  const target = '≤ 200 ms, 0 errors, ≤ 10 %';
  const { figures: f } = await runChild('soak', [join(DIST, 'bot/bench/soak-bench.js')]);
  if (!f) return [failedRow(figure, target)];
  const p99 = f.worstWindowP99Ms as number;
  const errors = f.errors as number;
  const growth = (f.rssGrowth as number) * 100;
  const met = [p99 <= 200 ? '' : `p99 ${verdict(p99, 200, ' ms')}`, errors === 0 ? '' : `${errors} errors`, growth <= 10 ? '' : `RSS +${growth.toFixed(1)} %`].filter(Boolean).join('; ') || 'met';
  return [{ figure, measured: `${ms(p99)} / ${errors} errors / ${growth.toFixed(1)} % (${(f.requests as number).toLocaleString('en-US')} requests)`, target, met }];
}

async function installRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [store, args] of [
    ['SQLite file', []],
    ['Cosmos-protocol server', ['--cosmos']],
  ] as const) {
    const figure = `install into a team of ${setting('BENCH_TEAM_SIZE')} (pages of 500), ${store}: turn answered / roster complete`;
    const { figures: f } = await runChild(`install, ${store}`, [join(DIST, 'bot/bench/install-bench.js'), ...args]);
    if (!f || f.status !== 200) {
      rows.push(failedRow(figure, '≤ 1 s / ≤ 30 s'));
      continue;
    }
    const answered = (f.answeredMs as number) / 1000;
    const complete = f.completeMs === null ? undefined : (f.completeMs as number) / 1000;
    const missed = [answered <= 1 ? '' : `answer ${verdict(answered, 1, ' s')}`, complete !== undefined && complete <= 30 ? '' : complete === undefined ? 'roster never complete' : `roster ${verdict(complete, 30, ' s')}`];
    rows.push({
      figure,
      measured: `${answered.toFixed(2)} s / ${complete === undefined ? `incomplete (${f.members} members)` : `${complete.toFixed(1)} s`}`,
      target: '≤ 1 s / ≤ 30 s',
      met: missed.filter(Boolean).join('; ') || 'met',
    });
  }
  return rows;
}

async function cosmosRows(): Promise<Row[]> {
  const figure = 'Cosmos DB round trips per credit turn (board and people known; to one person / to two; requests in brackets)';
  const { figures: f } = await runChild('Cosmos round trips', [join(DIST, 'bot/bench/cosmos-turn-bench.js')]);
  if (!f) return [failedRow(figure, '≤ 3')];
  // Sequential round trips, as the issue counts them: requests sent together wait once.
  const measured = `${f.onePerson} (${f.onePersonRequests}) / ${f.twoPeople} (${f.twoPeopleRequests})`;
  return [{ figure, measured, target: '≤ 3', met: verdict(Math.max(f.onePerson as number, f.twoPeople as number), 3, '') }];
}

async function buildRows(): Promise<Row[]> {
  const kb = (output: string, pattern: RegExp) => {
    const match = pattern.exec(output);
    return match ? Number(match[1]) : undefined;
  };
  const tab = kb((await runChild('tab build', [join(ROOT, 'tab/build.mjs')])).output, /tab: initial JS ([\d.]+) KB gzipped/);
  const addin = kb((await runChild('add-in build', [join(ROOT, 'addin/build.mjs')])).output, /addin: task pane JS ([\d.]+) KB gzipped/);
  const sizeRow = (figure: string, value: number | undefined, target: number): Row =>
    value === undefined ? failedRow(figure, `≤ ${target} KB`) : { figure, measured: `${value.toFixed(1)} KB`, target: `≤ ${target} KB`, met: verdict(value, target, ' KB') };
  const boardFigure = `board of 500 interactive in headless Chromium, first visit (median of ${setting('BENCH_BROWSER_SAMPLES')}, fresh context each)`;
  const paneFigure = `Outlook pane ready to credit with a remembered user (median of ${setting('BENCH_BROWSER_SAMPLES')})`;
  // The browser rows need both builds; without them there is nothing honest to report.
  const { figures: f } = tab === undefined || addin === undefined ? { figures: undefined } : await runChild('browser', [join(DIST, 'bot/bench/browser-bench.js')]);
  const seconds = (value: number, target: number, figure: string): Row => ({ figure, measured: `${Math.round(value)} ms`, target: `≤ ${target * 1000} ms`, met: verdict(Math.round(value), target * 1000, ' ms') });
  return [
    sizeRow('tab initial JS, gzipped (production build)', tab, 200),
    f ? seconds(f.boardInteractiveMs as number, 0.5, boardFigure) : { figure: boardFigure, measured: NOT_MEASURED, target: '≤ 500 ms', met: '-' },
    sizeRow('Outlook pane JS before ready, gzipped (production build)', addin, 150),
    f ? seconds(f.paneReadyMs as number, 0.3, paneFigure) : { figure: paneFigure, measured: NOT_MEASURED, target: '≤ 300 ms', met: '-' },
  ];
}

function table(rows: Row[]): string {
  const cells = [['figure', 'measured', 'target', 'met?'], ...rows.map((r) => [r.figure, r.measured, r.target, r.met])];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/**
 * This machine's speed at the moment: milliseconds for a fixed loop of arithmetic on one core.
 * It moves by a third within minutes here (every row moves with it), so the table says it,
 * taken before and after the run, to tell a slower machine from slower code.
 */
function referenceLoopMs(): number {
  const started = performance.now();
  let sum = 0;
  for (let i = 0; i < 300_000_000; i++) sum += i % 7;
  if (sum < 0) throw new Error('unreachable');
  return Math.round(performance.now() - started);
}

async function main(): Promise<void> {
  const before = referenceLoopMs();
  const started = performance.now();
  // The store first: its filled file is where the bot bench then credits. The table keeps the issue's order.
  let store: Row[];
  let bot: Row[];
  try {
    store = await storeRows();
    bot = await botRows();
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${FILLED_DB}${suffix}`, { force: true });
  }
  const rows = [...bot, ...store, ...(await restRows()), ...(await soakRows()), ...(await installRows()), ...(await cosmosRows()), ...(await buildRows())];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  const after = referenceLoopMs();
  process.stdout.write(
    `\nNoticed benchmarks, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${availableParallelism()} cores (${cpu}), Node ${process.version}, ${process.platform}; whole run ${minutes} min; reference loop ${before} ms before, ${after} ms after (lower is a faster machine)\n\n${table(rows)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
