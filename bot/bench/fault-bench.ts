import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { AddressInfo } from 'node:net';
import { DEFAULT_BOARD_SETTINGS, type Recognition } from '../../core';
import { openCosmosStore } from '../../core/store';
import { LOCAL_TENANT_ID, createApp, loadConfig } from '..';
import { shareOfRequests, startFaultProxy } from '../../test/support/fault-proxy';

/**
 * `npm run bench:faults`: credits through the REST API on the Cosmos-protocol server, with a
 * fault proxy injecting 429 (x-ms-retry-after-ms), 503, dropped connections and 6 s stalls on
 * a share of all Cosmos requests, under the real 5 s REST deadline. Every refused credit is
 * sent again with its Idempotency-Key, as a client would, until it is answered 2xx. Prints the
 * faults injected, first answers by status, p99 and slowest answer, and what the store holds:
 * lost (acknowledged but absent) and doubled (stored twice).
 */
const CREDITS = Number(process.env.FAULT_CREDITS ?? 300);
const SHARE = Number(process.env.FAULT_SHARE ?? 0.075);
const CONCURRENCY = Number(process.env.FAULT_CONCURRENCY ?? 10);
const STALL_MS = 6000;
const MEMBERS = 40;
const BOARD_ID = 'bench-fault-board';
const EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';
const userId = (i: number) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;

async function main(): Promise<void> {
  const cosmos = createHttpsServer({ keepAlive: true });
  cosmos.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => cosmos.listen(0, '127.0.0.1', () => resolve()));
  const proxy = await startFaultProxy(`https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`);
  const store = await openCosmosStore({ endpoint: proxy.endpoint, key: EMULATOR_KEY, databaseId: 'noticed-bench', containerId: 'faults', dangerouslyAcceptAnyTlsCertificate: true });
  const app = await createApp(loadConfig({ PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'silent' }, { local: true }), { store });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const now = new Date().toISOString();
  await store.boards.put({ tenantId: LOCAL_TENANT_ID, id: BOARD_ID, name: 'Fault bench', settings: DEFAULT_BOARD_SETTINGS, createdAt: now, updatedAt: now });
  const tokens: string[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    await store.members.put({ tenantId: LOCAL_TENANT_ID, boardId: BOARD_ID, userId: userId(i), name: `Person ${i}`, email: `person.${i}@example.com`, role: i === 0 ? 'lead' : 'member', joinedAt: now, prefersPrivate: false, optedOut: false });
    tokens.push(await app.localIssuer!.issue({ tenantId: LOCAL_TENANT_ID, userId: userId(i), name: `Person ${i}` }));
  }

  proxy.rule = shareOfRequests(SHARE, 18, STALL_MS);
  const firstAnswers: Record<string, number> = {};
  const allAnswers: Record<string, number> = {};
  const latencies: number[] = [];
  const acknowledged = new Set<string>();
  let answeredLateButCommitted = 0;
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    for (let n = next++; n < CREDITS; n = next++) {
      const giver = n % MEMBERS;
      const message = `Fault bench credit ${n}`;
      for (let attempt = 0; attempt < 20; attempt++) {
        const t0 = performance.now();
        const res = await fetch(`${url}/api/v1/boards/${BOARD_ID}/recognitions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[giver]}`, 'content-type': 'application/json', 'idempotency-key': `bench-${n}` },
          body: JSON.stringify({ recipients: [{ userId: userId((giver + 1) % MEMBERS) }], message }),
        });
        const body = (await res.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
        latencies.push(performance.now() - t0);
        const label = res.status < 300 ? String(res.status) : `${res.status} ${body?.error?.code ?? ''}${res.headers.get('retry-after') ? ' +Retry-After' : ''}`;
        if (attempt === 0) firstAnswers[label] = (firstAnswers[label] ?? 0) + 1;
        allAnswers[label] = (allAnswers[label] ?? 0) + 1;
        if (res.status < 300) {
          acknowledged.add(message);
          // A retry answered 200 found the credit its refused first attempt had in fact written.
          if (attempt > 0 && res.status === 200) answeredLateButCommitted++;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, res.status === 429 ? 1000 : 200));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - started) / 1000;
  proxy.rule = undefined;

  const stored: Recognition[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.recognitions.page({ tenantId: LOCAL_TENANT_ID, boardId: BOARD_ID, viewerId: userId(0), limit: 100, cursor });
    stored.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const counts = new Map<string, number>();
  for (const r of stored) counts.set(r.message, (counts.get(r.message) ?? 0) + 1);
  const lost = [...acknowledged].filter((m) => !counts.has(m)).length;
  const doubled = [...counts.values()].filter((c) => c > 1).length;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];

  console.log(`fault run: ${CREDITS} credits, ${CONCURRENCY} at once, faults on ${(SHARE * 100).toFixed(1)} % of Cosmos requests, REST deadline 5 s, ${seconds.toFixed(1)} s`);
  console.log(`faults injected: ${JSON.stringify(proxy.injected)}`);
  console.log(`first answers by status: ${JSON.stringify(firstAnswers)}`);
  console.log(`all answers by status (retries included): ${JSON.stringify(allAnswers)}`);
  console.log(`p99 ${p99.toFixed(0)} ms, slowest ${latencies[latencies.length - 1].toFixed(0)} ms, over ${latencies.length} answers`);
  console.log(`acknowledged ${acknowledged.size}, stored ${stored.length}, lost ${lost}, doubled ${doubled}; refused first but had committed (the retry found it): ${answeredLateButCommitted}`);

  await app.close();
  await proxy.close();
  cosmos.closeAllConnections();
  await new Promise<void>((resolve) => cosmos.close(() => resolve()));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
