import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** The key the local emulator accepts; it checks no signatures, so any base64 works. */
export const EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/** One request the server answered: what it was and when it arrived and was answered (ms, performance.now). */
export interface CosmosRequest {
  what: string;
  start: number;
  end: number;
}

/** The requests the server has received since it started or was last cleared. */
export interface CosmosTraffic {
  /** Every request, `METHOD /path`, in order of arrival; query-plan requests say so. */
  requests(): string[];
  /**
   * The requests grouped into sequential round trips: requests in flight at the server at the
   * same time (their intervals overlap) are one trip, as a client sending them at once waits once.
   */
  roundTrips(): string[][];
  clear(): void;
}

/** A running in-process Cosmos DB emulator. */
export interface CosmosTestServer {
  endpoint: string;
  /** What has reached the server. */
  traffic: CosmosTraffic;
  close(): Promise<void>;
}

/** How the test server runs. */
export interface CosmosTestServerOptions {
  /**
   * Holds every request this long (ms) before the emulator handles it, as a network would.
   * Counting round trips needs it: the emulator in the same process could answer one request
   * before it has even read a second one sent at the same moment, and the two would not overlap;
   * a few milliseconds keep that from happening on a loaded machine.
   */
  latencyMs?: number;
}

/**
 * Starts @vercel/cosmosdb-server on 127.0.0.1 at a random port. Its stock CLI answers every
 * request with `connection: close`, which costs a TLS handshake per call and runs about five
 * times slower; `keepAlive: true` makes it keep connections open.
 */
export async function startCosmosTestServer(options: CosmosTestServerOptions = {}): Promise<CosmosTestServer> {
  const server = createHttpsServer({ keepAlive: true });
  // Node's 5 s default would drop pooled sockets between slow test steps.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  const log: CosmosRequest[] = [];
  const [handle] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const entry = { what: `${req.method} ${req.url}${req.headers['x-ms-cosmos-is-query-plan-request'] ? ' (query plan)' : ''}`, start: performance.now(), end: Infinity };
    log.push(entry);
    res.on('close', () => (entry.end = performance.now()));
    // Then one more turn of the event loop, so that a request the client sent with this one,
    // already waiting to be read when a busy process wakes the timer late, is read first.
    if (options.latencyMs) setTimeout(() => setImmediate(() => handle.call(server, req, res)), options.latencyMs);
    else handle.call(server, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    traffic: {
      requests: () => log.map((r) => r.what),
      roundTrips: () => roundTrips(log),
      clear: () => void log.splice(0),
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Requests grouped by overlapping intervals, in order of arrival. */
function roundTrips(log: readonly CosmosRequest[]): string[][] {
  const trips: string[][] = [];
  let until = -Infinity;
  for (const r of [...log].sort((a, b) => a.start - b.start)) {
    if (r.start > until || trips.length === 0) trips.push([]);
    trips[trips.length - 1].push(r.what);
    until = Math.max(until, r.end);
  }
  return trips;
}
