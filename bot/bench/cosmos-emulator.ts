import { type Store, openCosmosStore } from '../../core/store';
import { type CosmosTestServerOptions, type CosmosTraffic, EMULATOR_KEY, startCosmosTestServer } from '../../core/test/cosmos-test-server';

/** A store on an in-process Cosmos-protocol server (@vercel/cosmosdb-server), with the requests it has received. */
export interface CosmosBenchStore {
  store: Store;
  /** What reached the server; the bench may clear it. */
  traffic: CosmosTraffic;
  stop(): Promise<void>;
}

/** Starts the tests' Cosmos-protocol server and opens a store on a container of its own. */
export async function startCosmosBenchStore(containerId: string, options: CosmosTestServerOptions = {}): Promise<CosmosBenchStore> {
  const server = await startCosmosTestServer(options);
  const store = await openCosmosStore({ endpoint: server.endpoint, key: EMULATOR_KEY, databaseId: 'noticed-bench', containerId, dangerouslyAcceptAnyTlsCertificate: true });
  return { store, traffic: server.traffic, stop: () => server.close() };
}
