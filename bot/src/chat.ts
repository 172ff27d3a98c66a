import { parseArgs } from 'node:util';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { runChat } from './dev/terminal-chat';

/**
 * `npm run chat`: talks to the bot in the terminal as a Teams user would. Uses the server at
 * CHAT_SERVER_URL (default: the local one) or, when none answers, runs one in this process.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { local: { type: 'boolean', default: false }, as: { type: 'string' } }, strict: true, allowPositionals: false });
  // The chat may start a server in this process: that server is local only when asked for, like the entry point's.
  if (!values.local) throw new ConfigError('npm run chat plays Teams locally: start it with --local (npm run chat does).');
  const config = loadConfig(process.env, { local: true });
  const as = values.as;
  let serverUrl = process.env.CHAT_SERVER_URL ?? `http://localhost:${config.port}`;
  let close = async () => {};
  const running = await fetch(`${serverUrl}/healthz`).then((r) => r.ok, () => false);
  if (!running) {
    const app = await createApp({ ...config, logLevel: 'warn' });
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
    const address = app.server.address() as { port: number };
    serverUrl = `http://127.0.0.1:${address.port}`;
    close = () => app.close();
    console.log(`(no server at localhost:${config.port}; started one in this process on ${config.store.kind === 'sqlite' ? config.store.path : 'Cosmos DB'})`);
  }
  await runChat({ serverUrl, input: process.stdin, output: process.stdout, as });
  await close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
