import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BOARD_SETTINGS, type Member } from '../../core';
import { type App, LOCAL_TENANT_ID, createApp, loadConfig } from '..';

/** The bench board's people: person i, the first `leads` of them its leads. */
export const benchUserId = (i: number) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
export const benchName = (i: number) => `Person ${i}`;

/** The board a REST bench runs against: its id, how many people, how many of them lead, and how many credits it starts with. */
export interface SeededBoard {
  boardId: string;
  name: string;
  members: number;
  leads: number;
  credits: number;
}

/**
 * The real app in local mode on a fresh SQLite file, with one board of `members` people and
 * `credits` credits given through the domain as the tab gives them; the folder goes when the
 * returned `close` does.
 */
export async function openSeededApp(board: SeededBoard): Promise<{ app: App; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `noticed-${board.boardId}-`));
  const config = loadConfig({ PORT: '0', SQLITE_PATH: join(dir, 'bench.db'), SEED_DEMO: 'false', LOG_LEVEL: 'silent' }, { local: true });
  const app = await createApp(config);
  const now = new Date().toISOString();
  await app.store.boards.put({ tenantId: LOCAL_TENANT_ID, id: board.boardId, name: board.name, settings: DEFAULT_BOARD_SETTINGS, createdAt: now, updatedAt: now });
  for (let i = 0; i < board.members; i++) {
    const member: Member = { tenantId: LOCAL_TENANT_ID, boardId: board.boardId, userId: benchUserId(i), name: benchName(i), email: `person.${i}@example.com`, role: i < board.leads ? 'lead' : 'member', joinedAt: now, prefersPrivate: false, optedOut: false };
    await app.store.members.put(member);
  }
  for (let n = 0; n < board.credits; n++) {
    const giver = n % board.members;
    const recipient = (giver + 1 + ((n * 7919) % (board.members - 1))) % board.members;
    await app.noticed.giveCredit({ tenantId: LOCAL_TENANT_ID, userId: benchUserId(giver), name: benchName(giver) }, board.boardId, { recipients: [{ userId: benchUserId(recipient) }], message: `Seed credit ${n}: kept the release on track` }, 'tab');
  }
  return {
    app,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A local-issuer token for each of the board's people, in order, as the tab's sign-in gets them. */
export async function benchTokens(url: string, members: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < members; i++) {
    const res = await fetch(`${url}/api/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: LOCAL_TENANT_ID, userId: benchUserId(i), name: benchName(i) }) });
    tokens.push(((await res.json()) as { accessToken: string }).accessToken);
  }
  return tokens;
}
