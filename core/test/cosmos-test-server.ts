import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { AddressInfo } from 'node:net';

/** The key the local emulator accepts; it checks no signatures, so any base64 works. */
export const EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/** A running in-process Cosmos DB emulator. */
export interface CosmosTestServer {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts @vercel/cosmosdb-server on 127.0.0.1 at a random port. Its stock CLI answers every
 * request with `connection: close`, which costs a TLS handshake per call and runs about five
 * times slower; `keepAlive: true` makes it keep connections open.
 */
export async function startCosmosTestServer(): Promise<CosmosTestServer> {
  const server = createHttpsServer({ keepAlive: true });
  // Node's 5 s default would drop pooled sockets between slow test steps.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
