import autocannon, { type Result } from 'autocannon';
import { ActivityHandler } from 'botbuilder';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import restify from 'restify';
import { LOCAL_TENANT_ID, botEndpoint, createApp, loadConfig } from '..';
import { LOCAL_BOT, type Where, botInstalledInTeam, channelMessage, startTeamsConnector } from '../dev';
import { benchResult } from '../../core/bench/bench-result';

/**
 * `npm run bench:bot`: credit commands through /api/messages against a bare echo turn on the
 * same server, adapter and connector, in one run. The server runs in a child process so the
 * load generator does not share its event loop, and the connector in another: in Teams the
 * replies go to Microsoft's service, so reading them is not the bot's work. It reports the
 * credit turn's p99 against the echo turn's and credit turns per second; `npm run bench`
 * puts them in its table.
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 16);
// Twenty concurrent conversations: the load issue #15's credit-turn target names.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const P99_RATIO_TARGET = 1.5;
const CREDITS_PER_SECOND_TARGET = 300;
const TEAM = { id: '19:bench-team@thread.tacv2', name: 'Bench team' };
const PEOPLE = Array.from({ length: 50 }, (_, i) => ({
  id: `29:bench-${i}`,
  aadObjectId: `00000000-0000-4000-8000-${String(i + 100).padStart(12, '0')}`,
  name: `Person ${i}`,
}));

/** The connector's child: plays Teams for the replies and the roster calls. */
async function playTeams(): Promise<void> {
  const connector = await startTeamsConnector();
  connector.roster(TEAM.id, PEOPLE);
  // The bench reads results, not the request log.
  connector.calls.push = () => 0;
  process.stdout.write(`${JSON.stringify({ serviceUrl: connector.url })}\n`);
  process.on('SIGTERM', () => void connector.close().finally(() => process.exit(0)));
}

/** The server's child: the real app on a fresh SQLite file, plus an echo endpoint on the same adapter. */
async function serve(serviceUrl: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'noticed-bot-bench-'));
  // Local mode (anonymous bot traffic) only when `npm run bench:bot` asks for it with --local.
  const config = loadConfig({ PORT: '0', SQLITE_PATH: process.env.BENCH_SQLITE ?? join(dir, 'bench.db'), SEED_DEMO: 'false', LOG_LEVEL: 'silent' }, { local: process.argv.includes('--local') });
  const app = await createApp(config);
  // The bare echo turn is Bot Framework's EchoBot sample: an ActivityHandler that answers each
  // message with its text, on the same adapter, so the comparison is the work Noticed adds.
  const echo = new ActivityHandler();
  echo.onMessage(async (context, next) => {
    await context.sendActivity(context.activity.text ?? '');
    await next();
  });
  // Its own body parser, as the server gives /api/messages one per route.
  app.server.post('/bench/echo', restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false }), botEndpoint(app.adapter, (context) => echo.run(context)));
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const where: Where = { tenantId: LOCAL_TENANT_ID, serviceUrl, team: TEAM, bot: LOCAL_BOT };
  await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(botInstalledInTeam(where, PEOPLE[0])) });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.on('message', async (m) => {
    if (m === 'count') {
      const page = await app.store.stats.list(LOCAL_TENANT_ID, TEAM.id);
      const cpu = process.cpuUsage();
      process.send?.({ given: page.reduce((sum, s) => sum + s.givenCount, 0), cpuMicros: cpu.user + cpu.system, loopMicros: eventLoopCpuMicros() });
    }
  });
  process.on('SIGTERM', () => {
    void app.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/** One autocannon run; with `latencies`, every answered request's latency (ms) is appended to it. */
function run(opts: autocannon.Options, latencies?: number[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
    if (latencies) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

/** The value at quantile `q` (0–1) of the samples, nearest rank. */
function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Starts this file in a child process in the given role; resolves with the first line it prints. */
async function start<T>(args: string[]): Promise<{ child: ChildProcess; ready: T }> {
  // The children get this process's Node flags, so `node --cpu-prof dist/bot/bench/bot-bench.js --local` profiles the server too.
  const child = spawn(process.execPath, [...process.execArgv, '--disable-warning=DEP0111', __filename, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { child, ready: JSON.parse(first) as T };
}

async function main(): Promise<void> {
  if (!process.argv.includes('--local')) throw new Error('bench:bot runs its server in local mode: start it with --local (npm run bench:bot does).');
  const teams = await start<{ serviceUrl: string }>(['--play-teams']);
  const { serviceUrl } = teams.ready;
  const { child, ready } = await start<{ url: string }>(['--serve', serviceUrl, ...process.argv.filter((a) => a === '--local')]);
  const { url } = ready;
  const where: Where = { tenantId: LOCAL_TENANT_ID, serviceUrl, team: TEAM, bot: LOCAL_BOT };

  // Each body carries [<id>] so every request is a new activity, as in real traffic; in the
  // text too, or the same people and words within 10 minutes would be one credit sent twice.
  const withId = (activity: object) => JSON.stringify({ ...activity, id: '[<id>]' });
  const credits = Array.from({ length: 10 }, (_, i) => ({
    method: 'POST' as const,
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    body: withId(channelMessage(where, PEOPLE[i], [LOCAL_BOT, ' credit ', PEOPLE[(i + 1) % 10], ` and `, PEOPLE[(i + 7) % 50], ' for catching the flaky deploy before release [<id>] #caught'])),
  }));
  // The echo turn gets the very same activities, so reading them costs both turns alike and
  // the difference between the two is what Noticed does with a message, not its size.
  const echo = credits.map((request) => ({ ...request, path: '/bench/echo' }));

  const common = { url, connections: CONNECTIONS, duration: DURATION, idReplacement: true };
  await run({ ...common, duration: 2, requests: echo });
  await run({ ...common, duration: 2, requests: credits });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = (await serverState(child)).given;
  // Short runs of each turn, alternating in the order echo-credit, credit-echo, … so that a
  // busy neighbour on this shared 2-core machine (it moves an echo turn's cost by half from
  // one minute to the next) weighs on both alike. Each turn's percentiles are of every turn of
  // all its runs together: one 2 s run's p99 is its dozen slowest requests, too few to compare.
  const runs = { echo: [] as Result[], credit: [] as Result[] };
  const latencies = { echo: [] as number[], credit: [] as number[] };
  // Server CPU per answered request, all threads and the event loop's alone: the event loop
  // is what a saturated server runs out of first.
  const cpu = { echo: { all: 0, loop: 0, wall: 0 }, credit: { all: 0, loop: 0, wall: 0 } };
  const measured = async (kind: 'echo' | 'credit') => {
    const start = await serverState(child);
    const startedAt = performance.now();
    runs[kind].push(await run({ ...common, requests: kind === 'echo' ? echo : credits }, latencies[kind]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const end = await serverState(child);
    cpu[kind].wall += (performance.now() - startedAt) * 1000;
    cpu[kind].all += end.cpuMicros - start.cpuMicros;
    cpu[kind].loop += end.loopMicros - start.loopMicros;
  };
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of i % 2 ? (['credit', 'echo'] as const) : (['echo', 'credit'] as const)) await measured(kind);
  }
  const total = (kind: 'echo' | 'credit') => runs[kind].reduce((sum, r) => sum + r.requests.total, 0);
  const perSecond = (kind: 'echo' | 'credit') => total(kind) / (ROUNDS * DURATION);
  const creditFailed = runs.credit.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  const echoFailed = runs.echo.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const written = (await serverState(child)).given - before;
  child.kill('SIGTERM');
  teams.child.kill('SIGTERM');

  const row = (kind: 'echo' | 'credit', name: string, failed: number) => {
    const latency = (q: number) => quantile(latencies[kind], q).toFixed(0).padStart(q === 0.975 ? 8 : 6);
    const ms = (micros: number) => (micros / total(kind) / 1000).toFixed(2).padStart(10);
    return `| ${name.padEnd(14)} | ${perSecond(kind).toFixed(0).padStart(7)} | ${latency(0.5)} | ${latency(0.975)} | ${latency(0.99)} | ${ms(cpu[kind].loop)} | ${ms(cpu[kind].all)} | ${String(failed).padStart(6)} |`;
  };
  const p99 = (kind: 'echo' | 'credit') => quantile(latencies[kind], 0.99);
  const ratio = p99('credit') / p99('echo');
  console.log(`\nBot turns: ${CONNECTIONS} connections, ${ROUNDS} alternating runs of ${DURATION} s per turn, server in a child process, replies to a local connector`);
  console.log(`Percentiles of every answered turn of the runs: ${latencies.echo.length} echo turns, ${latencies.credit.length} credit turns\n`);
  console.log('| turn           |   req/s | p50 ms | p97.5 ms | p99 ms | loop ms/req | CPU ms/req | errors |');
  console.log('|----------------|--------:|-------:|---------:|-------:|------------:|-----------:|-------:|');
  console.log(row('echo', 'echo', echoFailed));
  console.log(row('credit', 'credit command', creditFailed));
  const creditTotal = total('credit');
  // autocannon does not count requests still in flight when a run ends; the server finishes them.
  const allWritten = written >= creditTotal && written <= creditTotal + ROUNDS * CONNECTIONS && creditFailed === 0;
  console.log(`\nCredits written: ${written} for ${creditTotal} credit requests answered (${creditFailed} failed) — ${allWritten ? 'all recorded' : 'MISMATCH'}.`);
  console.log(`p99 credit / echo: ${ratio.toFixed(2)} (${p99('credit').toFixed(1)} ms vs ${p99('echo').toFixed(1)} ms; target ≤ ${P99_RATIO_TARGET}); credit turns/s: ${perSecond('credit').toFixed(0)} (target ≥ ${CREDITS_PER_SECOND_TARGET})`);
  // Each round's pair ran back to back, under the same neighbours: their spread is the noise.
  const paired = runs.echo.map((e, i) => (runs.credit[i].latency.p99 / e.latency.p99).toFixed(2));
  console.log(`p99 ratio round by round: ${paired.join(', ')}`);
  // The last 200 ms of each window are a pause in which requests still in flight finish.
  const busy = (kind: 'echo' | 'credit') => `${((cpu[kind].loop / (cpu[kind].wall - ROUNDS * 200_000)) * 100).toFixed(0)}%`;
  console.log(`Event loop busy during the runs: echo ${busy('echo')}, credit ${busy('credit')}`);
  benchResult({
    connections: CONNECTIONS,
    rounds: ROUNDS,
    seconds: DURATION,
    echoP99Ms: Math.round(p99('echo')),
    creditP99Ms: Math.round(p99('credit')),
    echoTurns: latencies.echo.length,
    creditTurns: latencies.credit.length,
    echoLoopMsPerTurn: cpu.echo.loop / total('echo') / 1000,
    creditLoopMsPerTurn: cpu.credit.loop / total('credit') / 1000,
    p99Ratio: ratio,
    creditsPerSecond: perSecond('credit'),
    failed: creditFailed + echoFailed,
    allWritten,
  });
  process.exitCode = allWritten ? 0 : 1;
}

/** CPU time of the calling thread (here the event loop), where Linux reports it; 0 elsewhere. */
function eventLoopCpuMicros(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
  } catch {
    return 0;
  }
}

/** Credits given so far and the server's CPU time, from the child. */
function serverState(child: ChildProcess): Promise<{ given: number; cpuMicros: number; loopMicros: number }> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as { given: number; cpuMicros: number; loopMicros: number }));
    child.send('count');
  });
}

const role = process.argv.indexOf('--serve');
if (role > 0) void serve(process.argv[role + 1]);
else if (process.argv.includes('--play-teams')) void playTeams();
else
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
