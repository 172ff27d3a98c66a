import { Noticed } from '../../core/src/noticed';
import { openSqliteStore } from '../../core/src/store/sqlite-store';
import type { Store } from '../../core/src/store/store';
import { apiRoutes } from './api/api-routes';
import { createLocalIssuer } from './auth/local-issuer';
import { createTokenVerifier, entraAuthority } from './auth/token-verifier';
import { type Config, ConfigError, LOCAL_TENANT_ID, loadConfig } from './config';
import { createLogger } from './logger';
import { DEMO_BOARD_ID, seedDemoBoard } from './seed/demo-board';
import { createServer } from './server';

/** Opens the configured store. */
async function openStore(config: Config): Promise<Store> {
  if (config.store.kind === 'sqlite') return openSqliteStore(config.store.path);
  throw new ConfigError('STORE=cosmos is not available in this build.');
}

/** The composition root: reads config once, wires store, domain, auth and HTTP, and listens. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const store = await openStore(config);
  const noticed = new Noticed(store);

  const localIssuer = config.localMode ? await createLocalIssuer(config.auth.clientId) : undefined;
  const verify = createTokenVerifier({
    authority: localIssuer ? localIssuer.authority : entraAuthority(),
    clientId: config.auth.clientId,
    appIdUri: config.auth.appIdUri,
    allowedTenants: config.auth.allowedTenants,
  });

  if (config.seedDemo && (await seedDemoBoard(store, LOCAL_TENANT_ID))) log.info({ boardId: DEMO_BOARD_ID }, 'seeded the demo board');

  const server = createServer({
    log,
    publicUrl: config.publicUrl,
    routes: apiRoutes(noticed, store),
    verify,
    localIssuer,
    health: async () => {
      await store.boards.get(LOCAL_TENANT_ID, DEMO_BOARD_ID);
    },
  });

  server.listen(config.port, config.host, () => {
    const url = config.localMode ? `http://localhost:${config.port}` : config.publicUrl;
    log.info({ url, store: config.store.kind, localMode: config.localMode }, 'Noticed is listening');
    if (config.localMode) {
      console.log(
        [
          '',
          `  Noticed is running in local mode (${config.store.kind === 'sqlite' ? config.store.path : 'Cosmos DB'}).`,
          `  Board (tab):      ${url}/tab/`,
          `  Outlook preview:  ${url}/addin/preview.html`,
          `  Bot endpoint:     ${url}/api/messages`,
          `  API:              ${url}/api/v1/openapi.json`,
          `  Health:           ${url}/healthz`,
          '',
        ].join('\n'),
      );
    }
  });

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    server.close(() => {
      void store.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

void main().catch((error: unknown) => {
  console.error('Noticed failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
