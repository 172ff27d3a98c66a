import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchResult } from '../../core/bench/bench-result';
import { LOCAL_TENANT_ID, createApp, loadConfig } from '..';
import { LOCAL_BOT, type Where, botInstalledInTeam, channelMessage, startTeamsConnector } from '../dev';
import { startCosmosBenchStore } from './cosmos-emulator';

/**
 * `npm run bench:cosmos`: Cosmos DB round trips of one credit turn in chat, counted at the
 * local Cosmos-protocol server, with the board and the people already known (the common
 * case): sequential round trips (requests in flight at the server together count once) and
 * requests; the same count as test/cosmos-credit-turn.test.ts, which holds the ceiling.
 */
const TEAM = { id: '19:cosmos-bench@thread.tacv2', name: 'Cosmos bench team' };
const person = (i: number, name: string) => ({ id: `29:cosmos-${i}`, aadObjectId: `00000000-0000-4000-a000-${String(i + 1).padStart(12, '0')}`, name });
const [ana, ben, cy, lee] = [person(0, 'Ana López'), person(1, "Ben O'Neil"), person(2, 'Cy Park'), person(3, 'Lee Lead')];

async function main(): Promise<void> {
  // A network's few milliseconds, so requests sent together overlap at the server (cosmos-test-server.ts).
  const cosmos = await startCosmosBenchStore('credit-turn', { latencyMs: 10 });
  const connector = await startTeamsConnector();
  connector.roster(TEAM.id, [ana, ben, cy, lee]);
  const dir = mkdtempSync(join(tmpdir(), 'noticed-cosmos-bench-'));
  const config = loadConfig({ PORT: '0', SQLITE_PATH: join(dir, 'unused.db'), SEED_DEMO: 'false', LOG_LEVEL: 'silent' }, { local: true });
  const app = await createApp(config, { store: cosmos.store });
  try {
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const where: Where = { tenantId: LOCAL_TENANT_ID, serviceUrl: connector.url, team: TEAM, bot: LOCAL_BOT };
    const post = async (activity: unknown) => {
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      await res.text();
      if (res.status !== 200) throw new Error(`The bot answered ${res.status}.`);
      // What the turn does after its answer (noting the card) counts as its round trips too.
      await app.adapter.drain();
    };
    await post(botInstalledInTeam(where, lee));
    // A first credit, so the giver's stats exist as they do on any board in use.
    await post(channelMessage(where, ana, [LOCAL_BOT, ' credit ', lee, ' for the kickoff']));
    const counted: Record<string, { trips: number; requests: number }> = {};
    for (const [name, parts] of [
      ['one person', [LOCAL_BOT, ' credit ', ben, ' for covering my shift']],
      ['two people', [LOCAL_BOT, ' credit ', ben, ' and ', cy, ' for the release notes']],
    ] as const) {
      cosmos.traffic.clear();
      await post(channelMessage(where, ana, [...parts]));
      counted[name] = { trips: cosmos.traffic.roundTrips().length, requests: cosmos.traffic.requests().length };
    }
    const [one, two] = [counted['one person'], counted['two people']];
    console.log(
      `\nCosmos DB round trips per credit turn (board and people known): to one person ${one.trips} (${one.requests} requests), to two people ${two.trips} (${two.requests} requests)`,
    );
    benchResult({ onePerson: one.trips, onePersonRequests: one.requests, twoPeople: two.trips, twoPeopleRequests: two.requests });
  } finally {
    await app.close();
    await connector.close();
    await cosmos.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
