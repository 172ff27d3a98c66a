import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_TENANT_ID } from '../bot';
import { DEMO_BOARD_ID, HABIT_LEASE, demoPeople } from '../core';
import { openSqliteStore } from '../core/store';
import { type Drainable, shutDown } from '../bot/src/http/graceful-shutdown';
import { bundleForNode } from './support/node-bundle';
import { startTestApp } from './support/test-app';

/** One request's fate, as the client saw it. */
interface Outcome {
  path: string;
  /** Answered (or failed) after the signal: in flight at it, or sent after it on a kept-alive socket. */
  afterSignal: boolean;
  status?: number;
  connection?: string;
  body?: string;
  error?: string;
}

function send(agent: Agent, url: string, path: string, token: string | undefined, afterSignal: () => boolean): Promise<Outcome> {
  return new Promise((done) => {
    const resolve = (outcome: Omit<Outcome, 'afterSignal'>) => done({ ...outcome, afterSignal: afterSignal() });
    const req = request(`${url}${path}`, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ path, status: res.statusCode, connection: res.headers.connection, body }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ path, error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ path, error: error.code ?? error.message }));
    req.end();
  });
}

describe('a deploy drains: SIGTERM under load', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'noticed-drain-'))));
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: no request is cut, late ones are told Connection: close, /readyz says draining, exit 0, the lease is free',
    async (signal) => {
      const bundle = bundleForNode('test/support/drain-child.ts');
      const file = join(dir, 'noticed.db');
      child = fork(bundle.file, [], {
        env: { ...process.env, ...bundle.env, CHILD_APP_ENV: JSON.stringify({ SQLITE_PATH: file, SEED_DEMO: 'true', SHUTDOWN_GRACE_MS: '8000', SLOW_MS: '150' }) },
        execArgv: ['--disable-warning=DEP0111'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const started = child;
      const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
      let signalled = false;
      const draining = new Promise<void>((resolve) => started.on('message', (m: { draining?: string }) => m.draining && resolve()));
      const url = await new Promise<string>((resolve, reject) => {
        started.on('message', (m: { ready?: string }) => m.ready && resolve(m.ready));
        void exited.then((code) => reject(new Error(`the child exited with ${code}`)));
      });
      const tokens = await Promise.all(
        demoPeople().map(async (p) => {
          const res = await fetch(`${url}/api/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: LOCAL_TENANT_ID, userId: p.userId, name: p.name }) });
          return ((await res.json()) as { accessToken: string }).accessToken;
        }),
      );
      const feed = `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`;
      const afterSignal = () => signalled;
      // Each worker keeps one kept-alive socket busy with feed reads (slowed, so some are in flight at the signal) until refused.
      const outcomes: Outcome[] = [];
      const workers = tokens.slice(0, 8).map(async (token) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        for (;;) {
          const outcome = await send(agent, url, feed, token, afterSignal);
          outcomes.push(outcome);
          if (outcome.error) break;
        }
        agent.destroy();
      });
      // Two more kept-alive sockets, idle when the signal comes, to ask about health while draining.
      const probes = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];
      const before = await Promise.all([send(probes[0], url, '/readyz', undefined, afterSignal), send(probes[1], url, '/healthz', undefined, afterSignal)]);
      expect(before.map((o) => [o.status, o.body])).toEqual([
        [200, JSON.stringify({ status: 'ready' })],
        [200, JSON.stringify({ status: 'ok' })],
      ]);
      // Every worker has some answers, and so a socket that is kept alive.
      while (outcomes.filter((o) => o.status === 200).length < 40 && !outcomes.some((o) => o.status !== 200)) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);

      signalled = true;
      started.kill(signal);
      await draining;
      const during = await Promise.all([send(probes[0], url, '/readyz', undefined, afterSignal), send(probes[1], url, '/healthz', undefined, afterSignal)]);
      await Promise.all(workers);
      const code = await exited;

      expect(during.map((o) => [o.status, JSON.parse(o.body ?? '{}').status, o.connection])).toEqual([
        [503, 'draining', 'close'],
        [200, 'ok', 'close'],
      ]);
      // Answered in full, or refused before being read: never reset in flight.
      const fates = outcomes.map((o) => (o.error ? o.error : o.status === 200 ? 'ok' : `status ${o.status}`));
      expect([...new Set(fates)].sort()).toEqual(['ECONNREFUSED', 'ok']);
      // Those in flight at the signal, and any that came after on a kept-alive socket, were told to close it.
      const answeredLate = outcomes.filter((o) => o.afterSignal && o.status);
      expect(answeredLate.length).toBeGreaterThan(0);
      expect(answeredLate.filter((o) => o.connection !== 'close')).toEqual([]);
      // The shutdown exits 1 when it outlives the grace: 0 is within it.
      expect(code).toBe(0);
      const store = await openSqliteStore(file);
      try {
        expect(await store.leases.acquire(HABIT_LEASE, 'the next instance', 60_000, new Date())).toBe(true);
      } finally {
        await store.close();
      }
      for (const probe of probes) probe.destroy();
    },
    60_000,
  );
});

describe('/healthz and /readyz', () => {
  test.each([
    ['the store answers', () => Promise.resolve(undefined), 200, 'ready'],
    ['the store never answers', () => new Promise<never>(() => undefined), 503, 'unavailable'],
    ['the store fails', () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error at /var/data/noticed.db')), 503, 'unavailable'],
  ])('%s: /healthz 200 without asking it, /readyz %#', async (_case, answer, readyStatus, readyState) => {
    // The store that never answers is waited out for a tenth of a second rather than the real 2 s;
    // the others answer in a microtask, which always comes before any timer.
    const t = await startTestApp({}, { readinessMs: 100 });
    const get = t.app.store.boards.get.bind(t.app.store.boards);
    let asked = 0;
    t.app.store.boards.get = (...args) => (asked++, args[1] === DEMO_BOARD_ID ? (answer() as never) : get(...args));
    try {
      const health = await t.call('GET', '/healthz');
      expect([health.status, health.body, asked]).toEqual([200, { status: 'ok' }, 0]);
      const ready = await t.call('GET', '/readyz');
      expect([ready.status, ready.body.status, ready.headers.get('cache-control')]).toEqual([readyStatus, readyState, 'no-store']);
      expect(JSON.stringify(ready.body)).not.toMatch(/SQLITE|var\/data/);
    } finally {
      t.app.store.boards.get = get;
      await t.close();
    }
  });
});

describe('the shutdown exits 0 only when the app closed within the grace', () => {
  const never = () => new Promise<never>(() => undefined);
  test.each<[string, number, Partial<Drainable> & { flush?: () => Promise<void> }, string[]]>([
    ['drained and closed', 0, {}, ['draining', 'shut down']],
    ['requests still running at the deadline', 0, { drain: async () => ({ cut: 2 }) }, ['draining', 'requests still running at the deadline were cut', 'shut down']],
    ['telemetry that never flushes', 0, { flush: never }, ['draining', 'shut down']],
    ['the store fails to close', 1, { close: async () => Promise.reject(new Error('SQLITE_BUSY')) }, ['draining', 'shutdown failed']],
    ['closing hangs past the grace', 1, { close: never }, ['draining', 'shutdown outlived the grace']],
  ])('%s: exit %i', async (_case, code, parts, said) => {
    jest.useFakeTimers();
    try {
      const messages: string[] = [];
      const note = (_obj: object, msg: string) => void messages.push(msg);
      const exits: number[] = [];
      const app: Drainable = { drain: parts.drain ?? (async () => ({ cut: 0 })), close: parts.close ?? (async () => undefined) };
      void shutDown(app, 'SIGTERM', { graceMs: 10_000, log: { info: note, warn: note, error: note }, flush: parts.flush, exit: (c) => void exits.push(c) });
      await jest.advanceTimersByTimeAsync(10_000);
      expect([exits[0], messages]).toEqual([code, said]);
    } finally {
      jest.useRealTimers();
    }
  });
});
