import { parseArgs } from 'node:util';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';

/** The command line: `--local` is the only switch, and anything else is refused rather than ignored. */
function startOptions(args: string[]): { local: boolean } {
  try {
    return { local: parseArgs({ args, options: { local: { type: 'boolean', default: false } }, strict: true, allowPositionals: false }).values.local === true };
  } catch (error) {
    throw new ConfigError(`Noticed cannot start: ${error instanceof Error ? error.message : String(error)}. The only option is --local.`);
  }
}

/** Reads config once, builds the app and listens; the process entry point. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, startOptions(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);

  app.server.listen(config.port, config.host, () => {
    const url = config.localMode ? `http://localhost:${config.port}` : config.publicUrl;
    app.log.info({ url, store: config.store.kind, localMode: config.localMode }, 'Noticed is listening');
    if (config.localMode) {
      console.log(
        [
          '',
          `  Noticed is running in local mode on ${config.store.kind === 'sqlite' ? `SQLite at ${config.store.path}` : 'Cosmos DB'}.`,
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
    app.log.info({ signal }, 'shutting down');
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

void main().catch((error: unknown) => {
  console.error('Noticed failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
