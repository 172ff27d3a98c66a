import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { AddressInfo } from 'node:net';
import { type Store, openCosmosStore } from '../../core/store';

/** The key the local emulator accepts; it checks no signatures, so any base64 works. */
const EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/** A store on an in-process Cosmos-protocol server (@vercel/cosmosdb-server), with the requests it has received. */
export interface CosmosBenchStore {
  store: Store;
  /** Every request the server received, `METHOD /path`, in order; the bench may empty it. */
  requests: string[];
  stop(): Promise<void>;
}

/** Starts the Cosmos-protocol server on 127.0.0.1 and opens a store on a container of its own. */
export async function startCosmosBenchStore(containerId: string): Promise<CosmosBenchStore> {
  // keepAlive: the stock server closes every connection, a TLS handshake per request.
  const server = createHttpsServer({ keepAlive: true });
  server.keepAliveTimeout = 60_000;
  const requests: string[] = [];
  server.on('request', (req) => requests.push(`${req.method} ${req.url}${req.headers['x-ms-cosmos-is-query-plan-request'] ? ' (query plan)' : ''}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = await openCosmosStore({ endpoint, key: EMULATOR_KEY, databaseId: 'noticed-bench', containerId, dangerouslyAcceptAnyTlsCertificate: true });
  return {
    store,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
