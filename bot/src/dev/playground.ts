import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * `npm run playground`: the Noticed server in local mode and Microsoft 365 Agents Playground
 * pointed at its /api/messages, with the team in `.m365agentsplayground.yml`. Ctrl+C stops
 * both; when either stops, so does the other.
 */

interface PlaygroundTeam {
  tenantId: string;
  currentUser: { name: string };
  team: { name: string };
}

const root = projectRoot();
const configPath = join(root, '.m365agentsplayground.yml');
// The file is JSON, which YAML reads as it is, so no YAML library is needed here.
const team = JSON.parse(readFileSync(configPath, 'utf8')) as PlaygroundTeam;
const port = process.env.PORT || '3978';
const playgroundPort = process.env.TEAMSAPPTESTER_PORT || '56150';
const scratch = mkdtempSync(join(tmpdir(), 'noticed-playground-'));
const logFile = process.env.M365_AGENTS_PLAYGROUND_LOGFILE ?? join(root, 'data', 'm365agentsplayground.log');
mkdirSync(dirname(logFile), { recursive: true });

const children: ChildProcess[] = [];
let stopping = false;

const server = start(process.execPath, ['--disable-warning=DEP0111', join(root, 'dist', 'bot', 'src', 'index.js'), '--local'], {
  PORT: port,
  // The Playground's team lives in its own tenant; the server must let it in.
  AUTH_ALLOWED_TENANTS: process.env.AUTH_ALLOWED_TENANTS ?? team.tenantId,
  // A fresh store per run, as the Playground starts with empty chats each time; the install
  // then creates the board again and the welcome card shows. SQLITE_PATH keeps one instead.
  SQLITE_PATH: process.env.SQLITE_PATH ?? join(scratch, 'noticed.db'),
  SEED_DEMO: process.env.SEED_DEMO ?? 'false',
});

void waitForServer().then(
  () => {
    if (stopping) return;
    const playground = start(
      process.execPath,
      [require.resolve('@microsoft/m365agentsplayground/cli.js'), 'start', '--app-endpoint', `http://127.0.0.1:${port}/api/messages`, '--channel-id', 'msteams', '--port', playgroundPort, '--disable-telemetry'],
      {
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
        // The address is printed below; a browser opened by the Playground fails on a headless machine.
        TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? 'none',
      },
      'pipe',
    );
    // The Playground moves to a random port when its own is taken, and says where it listens.
    createInterface({ input: playground.stdout! }).on('line', (line) => {
      const listening = /^Listening on (\d+)/.exec(line);
      if (listening) announce(listening[1]);
      else console.log(`[playground] ${line}`);
    });
    createInterface({ input: playground.stderr! }).on('line', (line) => console.error(`[playground] ${line}`));
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    stop(1);
  },
);

process.once('SIGINT', () => stop(130));
process.once('SIGTERM', () => stop(143));

/** Starts a child in its own process group, so Ctrl+C reaches it once: forwarded from here. */
function start(command: string, args: string[], env: Record<string, string>, stdout: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', stdout, stdout], detached: true });
  children.push(child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const name = child === server ? 'The Noticed server' : 'Microsoft 365 Agents Playground';
    console.error(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the other.`);
    // The Playground writes why it stopped (a config file it refuses, say) only to its log.
    if (child !== server) console.error(playgroundErrors() || `Its log: ${logFile}`);
    stop(code || 1);
  });
  return child;
}

function playgroundErrors(): string {
  if (!existsSync(logFile)) return '';
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('error '))
    .map((line) => `[playground] ${line.slice('error '.length)}`)
    .join('\n');
}

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (stopping) return;
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The Noticed server did not answer on port ${port} within 30 s.`);
}

function announce(actualPort: string): void {
  console.log(
    [
      '',
      `  Microsoft 365 Agents Playground: http://localhost:${actualPort}`,
      `  It plays Teams for ${team.currentUser.name} in the team "${team.team.name}" (people and ids: .m365agentsplayground.yml),`,
      `  talking to Noticed at http://127.0.0.1:${port}/api/messages. Its log: ${logFile}`,
      '',
      '  Open a channel of the team (General): the Playground adds Noticed there, which posts its welcome',
      '  card and syncs the roster. Then "@Noticed credit @Ana López for … #caught" (pick people from the @',
      '  list), "I saw this too", board, mine, missed, help. Give credit on a message: its "…" menu, Action',
      '  Command, command id giveCredit, Adaptive Cards. Reloading the page starts the chats over.',
      '  Ctrl+C stops the Playground and the server.',
      '',
    ].join('\n'),
  );
}

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  let left = running.length;
  const done = () => {
    rmSync(scratch, { recursive: true, force: true });
    process.exit(code);
  };
  if (!left) return done();
  for (const child of running) {
    child.once('exit', () => {
      if (--left === 0) done();
    });
    child.kill('SIGTERM');
  }
  // The server drains within 10 s; past that, nothing is left to wait for.
  setTimeout(() => {
    for (const child of running) child.kill('SIGKILL');
    done();
  }, 12_000).unref();
}

/** The folder holding package.json, whether running from source or from dist/. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
