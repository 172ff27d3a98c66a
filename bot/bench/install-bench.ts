import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { benchResult } from '../../core/bench/bench-result';
import { LOCAL_TENANT_ID, createApp, loadConfig } from '..';
import { LOCAL_BOT, type Where, botInstalledInTeam, startTeamsConnector } from '../dev';
import { startCosmosBenchStore } from './cosmos-emulator';

/**
 * `npm run bench:install`: Noticed installed into a team of BENCH_TEAM_SIZE people (5,000),
 * whose roster the local connector serves in pages of 500 from its own process. Measures when
 * the install turn answers and when the board's roster is complete. `--cosmos` runs the
 * server on the local Cosmos-protocol server instead of a SQLite file.
 */
const TEAM_SIZE = Number(process.env.BENCH_TEAM_SIZE ?? 5_000);
const PAGE_SIZE = 500;
const GIVE_UP_MS = Number(process.env.BENCH_INSTALL_TIMEOUT_MS ?? 180_000);
const TEAM = { id: '19:install-bench@thread.tacv2', name: 'Install bench team' };

const people = Array.from({ length: TEAM_SIZE }, (_, i) => ({
  id: `29:install-${i}`,
  aadObjectId: `00000000-0000-4000-9000-${String(i + 1).padStart(12, '0')}`,
  name: `Person ${i}`,
  email: `person.${i}@example.com`,
}));

/** The connector's child: serves the team's roster in pages of 500, as Teams does. */
async function playTeams(): Promise<void> {
  const connector = await startTeamsConnector();
  connector.pageSize = PAGE_SIZE;
  connector.roster(TEAM.id, people);
  connector.calls.push = () => 0;
  process.stdout.write(`${JSON.stringify({ serviceUrl: connector.url })}\n`);
  process.on('SIGTERM', () => void connector.close().finally(() => process.exit(0)));
}

async function main(): Promise<void> {
  const onCosmos = process.argv.includes('--cosmos');
  const teams = spawn(process.execPath, ['--disable-warning=DEP0111', __filename, '--play-teams'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'noticed-install-bench-'));
  const cosmos = onCosmos ? await startCosmosBenchStore('install') : undefined;
  const config = loadConfig({ PORT: '0', SQLITE_PATH: join(dir, 'bench.db'), SEED_DEMO: 'false', LOG_LEVEL: 'silent' }, { local: true });
  const app = await createApp(config, cosmos ? { store: cosmos.store } : {});
  try {
    const { serviceUrl } = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: teams.stdout! }).once('line', resolve))) as { serviceUrl: string };
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const where: Where = { tenantId: LOCAL_TENANT_ID, serviceUrl, team: TEAM, bot: LOCAL_BOT };

    const started = performance.now();
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(botInstalledInTeam(where, people[0])) });
    await res.text();
    const answeredMs = performance.now() - started;
    let members = 0;
    let completeMs: number | undefined;
    while (performance.now() - started < GIVE_UP_MS) {
      members = (await app.store.members.list(LOCAL_TENANT_ID, TEAM.id)).length;
      if (members >= TEAM_SIZE) {
        completeMs = performance.now() - started;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const store = onCosmos ? 'Cosmos-protocol server' : 'SQLite file';
    console.log(`\nInstall into a team of ${TEAM_SIZE} (roster pages of ${PAGE_SIZE}), ${store}: status ${res.status}, answered in ${answeredMs.toFixed(0)} ms; roster ${completeMs === undefined ? `incomplete after ${GIVE_UP_MS / 1000} s (${members} members)` : `complete in ${(completeMs / 1000).toFixed(1)} s`}`);
    benchResult({ store: onCosmos ? 'cosmos' : 'sqlite', teamSize: TEAM_SIZE, status: res.status, answeredMs, completeMs: completeMs ?? null, members });
  } finally {
    teams.kill('SIGTERM');
    await app.close();
    await cosmos?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--play-teams')) void playTeams();
else
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
