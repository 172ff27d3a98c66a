import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode } from '../../test/support/node-bundle';
import { DEFAULT_BOARD_SETTINGS, type Member } from '../src/board';
import { FORMER_MEMBER } from '../src/recognition';
import { MIGRATIONS } from '../src/store/sqlite-migrations';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite-store';
import { contractFixtures } from './store-contract';

// Two processes on one SQLite file, as two instances of the server or a repair beside a running
// server are: the other process holds the write lock while a store write begins, and commits a
// change of its own soon after. The write waits for the lock (busy timeout) rather than fail.

const { T, B, at, credit } = contractFixtures;
const OTHER_NAME = 'Renamed by the other process';

function member(userId: string, name: string): Member {
  return { tenantId: T, boardId: B, userId, name, email: `${userId}@contoso.com`, role: 'member', joinedAt: at(0), prefersPrivate: false, optedOut: false };
}

let bundle: ReturnType<typeof bundleForNode>;
let dir: string;
let store: SqliteStore;
beforeAll(() => (bundle = bundleForNode('test/support/write-lock-child.ts')));
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'noticed-write-lock-'));
  store = openSqliteStore(join(dir, 'noticed.db'));
  await store.boards.put({ tenantId: T, id: B, name: 'Ops', settings: DEFAULT_BOARD_SETTINGS, createdAt: at(0), updatedAt: at(0) });
  await store.members.putMany([member('giver', 'Gia'), member('ana', 'Ana'), member('ben', 'Ben')]);
  await store.recognitions.create(credit(1, { endorsements: [{ userId: 'ben', name: 'Ben', at: at(2) }] }));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the other process; resolves once it holds the write lock, with a way to wait for (or ask for) its commit. */
async function otherProcessHoldingTheLock(holdMs: number, before = '', inside = ''): Promise<{ committed: Promise<void>; commitNow: () => void }> {
  const child = fork(bundle.file, [], {
    env: { ...process.env, ...bundle.env, SQLITE_PATH: join(dir, 'noticed.db'), TENANT_ID: T, BOARD_ID: B, NAME: OTHER_NAME, HOLD_MS: String(holdMs), BEFORE: before, INSIDE: inside },
    execArgv: ['--disable-warning=DEP0111'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      child.on('message', (m) => m === word && resolve());
      void exited.then((code) => reject(new Error(`the other process exited with ${code} before saying ${word}`)));
    });
  const committed = said('committed').then(async () => void (await exited));
  await said('locked');
  return { committed, commitNow: () => child.send('commit') };
}

const id = credit(1).id;
const recognitions = () => store.recognitions;

test.each<[string, string, () => Promise<unknown>, () => Promise<unknown>, unknown]>([
  ['a credit given', '', () => recognitions().create(credit(2)), async () => (await recognitions().get(T, B, credit(2).id))?.message, 'credit 2'],
  ['credits imported', '', async () => store.createRecognitions([credit(3), credit(4)]), async () => (await store.stats.get(T, B, 'ana'))?.receivedCount, 3],
  ['an endorsement', '', () => recognitions().endorse(T, B, id, { userId: 'ana', name: 'Ana', at: at(3) }), async () => (await recognitions().get(T, B, id))?.endorsements.map((e) => e.userId), ['ben', 'ana']],
  ['an endorsement taken back', '', () => recognitions().unendorse(T, B, id, 'ben'), async () => (await recognitions().get(T, B, id))?.endorsements, []],
  ['a removal', '', () => recognitions().softDelete(T, B, id, at(4)), async () => (await recognitions().get(T, B, id))?.deletedAt, at(4)],
  ['a change of kind', '', () => recognitions().changeKind(T, B, id, 'delivered'), async () => [(await recognitions().get(T, B, id))?.kind, (await store.stats.get(T, B, 'ana'))?.receivedByKind.delivered], ['delivered', 1]],
  ['an erasure', '', () => recognitions().eraseMember(T, B, 'giver', at(5)), async () => (await recognitions().get(T, B, id))?.giver, FORMER_MEMBER],
  ['a member sync', '', () => store.members.putMany([member('ana', 'Ana López'), member('cy', 'Cy')]), async () => (await store.members.list(T, B)).map((m) => m.name), ['Ana López', 'Ben', 'Cy', 'Gia']],
  [
    'a repair',
    `UPDATE member_stats SET received_count = 99 WHERE tenant_id = '${T}' AND board_id = '${B}' AND member_key = 'ana'`,
    () => store.stats.reconcile(T, B, { repair: true, settleMs: 0 }),
    async () => (await store.stats.get(T, B, 'ana'))?.receivedCount,
    1,
  ],
])('%s waits for the other process to commit, then lands beside its change', async (_name, before, write, read, expected) => {
  const other = await otherProcessHoldingTheLock(300, before);
  await write();
  await other.committed;
  expect(await read()).toEqual(expected);
  expect((await store.boards.get(T, B))?.name).toBe(OTHER_NAME);
});

test('a reconcile that only reports stays a read: it answers while the other process still holds the lock', async () => {
  const other = await otherProcessHoldingTheLock(60_000, `UPDATE member_stats SET received_count = 99 WHERE tenant_id = '${T}' AND board_id = '${B}' AND member_key = 'ana'`);
  const report = await store.stats.reconcile(T, B, { repair: false, settleMs: 0 });
  expect(report.members.map((m) => m.memberKey)).toEqual(['ana']);
  expect((await store.boards.get(T, B))?.name).toBe('Ops');
  other.commitNow();
  await other.committed;
  expect((await store.stats.get(T, B, 'ana'))?.receivedCount).toBe(99);
  expect((await store.boards.get(T, B))?.name).toBe(OTHER_NAME);
});

test('two instances opening a file that needs migrating: the second waits for the first, then finds it migrated', async () => {
  await store.close();
  // The other instance finds the file as the build before the last migration left it, and is
  // migrating it: the last migration and the version, under its write lock, when this one opens it.
  const asBefore = `DROP INDEX members_people; ALTER TABLE members DROP COLUMN name; ALTER TABLE members DROP COLUMN opted_out; UPDATE schema_version SET version = ${MIGRATIONS.length - 1}`;
  const other = await otherProcessHoldingTheLock(300, asBefore, `${MIGRATIONS[MIGRATIONS.length - 1]}; UPDATE schema_version SET version = ${MIGRATIONS.length}`);
  store = openSqliteStore(join(dir, 'noticed.db'));
  await other.committed;
  expect((await store.members.listPeople(T, B)).map((m) => m.name).sort()).toEqual(['Ana', 'Ben', 'Gia']);
  expect((await store.boards.get(T, B))?.name).toBe(OTHER_NAME);
});
