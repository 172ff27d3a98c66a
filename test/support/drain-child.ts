import { createApp, loadConfig } from '../../bot';
import { shutDownOnSignals } from '../../bot/src/http/graceful-shutdown';
import { openSqliteStore, type Store } from '../../core/store';

/**
 * The store, with every recognitions call made slow once `ms()` says so, so requests are in
 * flight when the signal comes. Seeding the demo board makes many such calls: slowed, they
 * kept the child from starting for 15 s.
 */
function slowed(store: Store, ms: () => number): Store {
  const recognitions = new Proxy(store.recognitions, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, ms()));
        return value.apply(target, args);
      };
    },
  });
  return { ...store, recognitions, close: () => store.close() };
}

/**
 * The server as bot/src/index.ts runs it, signals and all, in local mode on a SQLite file:
 * tells the parent its URL once its scheduler holds the lease, and when a signal has started the drain.
 */
async function main(): Promise<void> {
  const env = JSON.parse(process.env.CHILD_APP_ENV ?? '{}') as Record<string, string>;
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env }, { local: true });
  if (config.store.kind !== 'sqlite') throw new Error('the drain child runs on SQLite');
  let slowMs = 0;
  const store = slowed(await openSqliteStore(config.store.path), () => slowMs);
  const app = await createApp(config, { store, habitTimer: { every: () => () => undefined } });
  shutDownOnSignals(app, { graceMs: config.shutdownGraceMs, log: app.log });
  // After the drain's own listener, which starts the drain before any await.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.send?.({ draining: signal }));
  await app.scheduler.tick();
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  slowMs = Number(env.SLOW_MS ?? '0');
  process.send?.({ ready: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
