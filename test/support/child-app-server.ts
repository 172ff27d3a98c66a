import { createApp, loadConfig } from '../../bot';
import { openSqliteStore, type Store } from '../../core/store';

/** What the parent asks: a store call, or how many store writes there have been. */
type Ask = { id: number; kind: 'store'; aggregate: Exclude<keyof Store, 'close'>; method: string; args: unknown[] } | { id: number; kind: 'writes' };

const READS = new Set(['get', 'list', 'search', 'findByEmail', 'findByChannelId', 'boardsOf', 'page', 'facts', 'counts', 'hours', 'listRecipient']);

/** The store, with every call of a method that is not a read counted. */
function counted(store: Store, onWrite: () => void): Store {
  const wrap = <T extends object>(aggregate: T): T =>
    new Proxy(aggregate, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (typeof key !== 'string' || !READS.has(key)) onWrite();
          return value.apply(target, args);
        };
      },
    });
  return {
    boards: wrap(store.boards),
    members: wrap(store.members),
    recognitions: wrap(store.recognitions),
    stats: wrap(store.stats),
    leases: wrap(store.leases),
    sends: wrap(store.sends),
    readCreditContext: (tenantId, boardId, query) => store.readCreditContext(tenantId, boardId, query),
    close: () => store.close(),
  };
}

/** The child's side of test/support/child-app.ts: the app in local mode on a SQLite file, answering the parent over IPC. */
async function main(): Promise<void> {
  const env = JSON.parse(process.env.CHILD_APP_ENV ?? '{}') as Record<string, string>;
  const config = loadConfig({ PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'silent', ...env }, { local: true });
  if (config.store.kind !== 'sqlite') throw new Error('the child app runs on SQLite');
  const raw = await openSqliteStore(config.store.path);
  let writes = 0;
  const store = counted(raw, () => writes++);
  const app = await createApp(config, { store });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  process.on('message', async (ask: Ask) => {
    try {
      // What earlier requests started after their answers (credit notices) writes first, so a
      // count taken now is not moved later by them.
      if (ask.kind === 'writes') {
        await app.creditNotices.settled();
        return process.send?.({ id: ask.id, result: writes });
      }
      const aggregate = raw[ask.aggregate] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      process.send?.({ id: ask.id, result: await aggregate[ask.method](...ask.args) });
    } catch (error) {
      process.send?.({ id: ask.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  process.send?.({ ready: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
