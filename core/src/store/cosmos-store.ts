import { CosmosClient, type CosmosClientOptions, type PluginConfig } from '@azure/cosmos';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { Agent } from 'node:https';
import { CosmosBoardStore } from './cosmos-board-store';
import { readCosmosCreditContext } from './cosmos-credit-context';
import { CosmosLeaseStore } from './cosmos-lease-store';
import { CosmosMemberStore } from './cosmos-member-store';
import { CosmosRecognitionStore } from './cosmos-recognition-store';
import { CosmosSendStore } from './cosmos-send-store';
import { CosmosStatsStore } from './cosmos-stats-store';
import type { Store } from './store';
import { currentDeadline, raceDeadline } from '../deadline';
import { transientCallFault } from '../store-faults';
import { noteBatchFault } from './cosmos-requests';

/** Where the Cosmos store lives and how it authenticates. */
export interface CosmosStoreOptions {
  endpoint: string;
  /** Account key; without it the store signs in with `credential` or DefaultAzureCredential (managed identity). */
  key?: string;
  credential?: TokenCredential;
  databaseId: string;
  containerId: string;
  /** Tests only: the local emulator's bundled certificate has expired, so verification is switched off. */
  dangerouslyAcceptAnyTlsCertificate?: boolean;
  /** Per-request timeout; the SDK's default of 60 s would blow the bot's 5 s and 15 s budgets. */
  requestTimeoutMs?: number;
  /** Retries after a 429 before the call fails. */
  maxRetries?: number;
}

/**
 * The container's index: the feed orders by (createdAt, id) and Cosmos serves a two-field
 * ORDER BY only from a composite index declared in exactly the same directions.
 */
const INDEXING_POLICY = {
  indexingMode: 'consistent' as const,
  automatic: true,
  includedPaths: [{ path: '/*' }],
  excludedPaths: [{ path: '/"_etag"/?' }, { path: '/message/?' }],
  compositeIndexes: [
    [
      { path: '/createdAt', order: 'descending' as const },
      { path: '/id', order: 'descending' as const },
    ],
    [
      { path: '/createdAt', order: 'ascending' as const },
      { path: '/id', order: 'ascending' as const },
    ],
  ],
};

/**
 * Every SDK call runs under the request's deadline. Per network request, the deadline's signal
 * joins the SDK's own timeout, so a stalled call ends when the request's time is up. Per
 * operation (its SDK retries included), the caller stops waiting at the deadline even while
 * the SDK sleeps out a 429's retry-after, and a transient failure reaches the domain as
 * StoreUnavailable rather than as the SDK's error.
 */
const DEADLINE_PLUGINS: PluginConfig[] = [
  {
    on: 'request',
    plugin: (context, _diagnostics, next) => {
      const signal = currentDeadline();
      if (!signal) return next(context);
      if (signal.aborted) return Promise.reject(signal.reason);
      return next({ ...context, options: { ...context.options, abortSignal: signal } });
    },
  },
  {
    on: 'operation',
    plugin: async (context, _diagnostics, next) => {
      try {
        return await raceDeadline(next(context));
      } catch (error) {
        const fault = transientCallFault(error);
        if (!fault) throw error;
        noteBatchFault(fault);
        throw fault;
      }
    },
  },
];

/**
 * Opens the Cosmos DB store, creating the database and container (with its index) if absent.
 * Every aggregate's store shares the one container: a board's partition holds its credits
 * and its members' stats together, so one transactional batch writes a credit with its stats.
 */
export async function openCosmosStore(options: CosmosStoreOptions): Promise<Store> {
  const agent = new Agent(options.dangerouslyAcceptAnyTlsCertificate ? { keepAlive: true, rejectUnauthorized: false } : { keepAlive: true });
  const clientOptions: CosmosClientOptions = {
    endpoint: options.endpoint,
    ...(options.key ? { key: options.key } : { aadCredentials: options.credential ?? new DefaultAzureCredential() }),
    agent,
    connectionPolicy: {
      requestTimeout: options.requestTimeoutMs ?? 4000,
      // The emulator has no other regions to discover; skipping discovery saves a round trip.
      enableEndpointDiscovery: !options.dangerouslyAcceptAnyTlsCertificate,
      // retryOptions bounds only 429 throttling retries (the SDK waits up to 30 s by default);
      // the emulator never throttles, so this matters on the real service.
      retryOptions: { maxRetryAttemptCount: options.maxRetries ?? 3, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 5 },
    },
  };
  // `plugins` is a hidden option of the SDK's client (its ClientContext reads it); the types omit it.
  const client = new CosmosClient(Object.assign(clientOptions, { plugins: DEADLINE_PLUGINS }));
  try {
    const { database } = await client.databases.createIfNotExists({ id: options.databaseId });
    // createIfNotExists does not change the index of an existing container; a policy change needs a migration.
    const { container } = await database.containers.createIfNotExists({
      id: options.containerId,
      partitionKey: { paths: ['/pk'] },
      indexingPolicy: INDEXING_POLICY,
    });
    const members = new CosmosMemberStore(container);
    return {
      boards: new CosmosBoardStore(container),
      members,
      recognitions: new CosmosRecognitionStore(container, members),
      stats: new CosmosStatsStore(container, members),
      leases: new CosmosLeaseStore(container),
      sends: new CosmosSendStore(container),
      readCreditContext: (tenantId, boardId, query) => readCosmosCreditContext(container, tenantId, boardId, query),
      close: async () => {
        client.dispose();
        agent.destroy();
      },
    };
  } catch (err) {
    client.dispose();
    agent.destroy();
    throw err;
  }
}
