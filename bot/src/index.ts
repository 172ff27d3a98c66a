import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { type Config, ConfigError, loadConfig } from './config';
import { shutDownOnSignals } from './http/graceful-shutdown';
import { createLogger } from './logger';
import { startTelemetry } from './telemetry';

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
  // Before the server's modules load: instrumentation patches what is loaded after it.
  const telemetry = await startTelemetry(config.applicationInsightsConnectionString);
  const { createApp } = await import('./app.js');
  const app = await createApp(config, telemetry ? { log: createLogger(config.logLevel, telemetry) } : {});
  shutDownOnSignals(app, { graceMs: config.shutdownGraceMs, log: app.log, flush: telemetry?.shutdown });

  app.server.listen(config.port, config.host, () => {
    // The bound port, which PORT=0 leaves to the system.
    const port = (app.server.address() as AddressInfo).port;
    const url = config.localMode ? `http://localhost:${port}` : config.publicUrl;
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
          `  Health:           ${url}/healthz (alive), ${url}/readyz (ready for traffic)`,
          '',
        ].join('\n'),
      );
    }
  });
}

void main().catch((error: unknown) => {
  console.error('Noticed failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
