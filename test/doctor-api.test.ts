import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIND_IDS } from '../core';
import { OTHER_TENANT, TENANT, type TestApp, startTestApp } from './support/test-app';

const BOARD = 'team-1';
const ANA = 'user-ana';
const BEN = 'user-ben';
const LEAD = 'user-lead';
const names: Record<string, string> = { [ANA]: 'Ana López', [BEN]: "Ben O'Neil", [LEAD]: 'Lee Lead' };
const PRIVATE_MESSAGE = 'Private thanks for the late-night rollback';

let t: TestApp;
let dir: string;
let path: string;
let privateId: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'noticed-doctor-'));
  path = join(dir, 'noticed.db');
  t = await startTestApp({ SQLITE_PATH: path });
  await t.board(TENANT, BOARD, [
    { userId: ANA, name: names[ANA] },
    { userId: BEN, name: names[BEN] },
    { userId: LEAD, name: names[LEAD], role: 'lead' },
  ]);
  await t.board(OTHER_TENANT, 'other-board', [{ userId: LEAD, name: 'Lee elsewhere', role: 'lead' }]);
  expect((await call(ANA, 'POST', `/api/v1/boards/${BOARD}/recognitions`, { recipients: [{ userId: LEAD }], message: 'Caught the expired certificate' })).status).toBe(201);
  const given = await call(ANA, 'POST', `/api/v1/boards/${BOARD}/recognitions`, { recipients: [{ userId: BEN }], message: PRIVATE_MESSAGE, visibility: 'private' });
  expect(given.status).toBe(201);
  privateId = given.body.id;
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (oid: string, method: string, route: string, body?: unknown, tid = TENANT) => t.call(method, route, { token: await t.token({ oid, name: names[oid], tid }), body });

/** Ben's private credit, half written: his stats and its hour lost it, as a faulted write would leave them. */
function damage(): void {
  const db = new Database(path);
  db.prepare("UPDATE member_stats SET received_count = 0, received_prevented = 0 WHERE member_key = ?").run(BEN);
  db.prepare('UPDATE board_credit_hours SET prevented = 0 WHERE private = 1').run();
  db.close();
}
const bensCount = async () => (await t.app.store.stats.get(TENANT, BOARD, BEN))?.receivedCount;

const routes: Array<[string, string]> = [
  ['GET', `/api/v1/boards/${BOARD}/doctor`],
  ['POST', `/api/v1/boards/${BOARD}/doctor/repair`],
];

describe('the doctor is for leads only, and a refusal repairs nothing', () => {
  const refusals: Array<[string, string, string, string, number, string]> = routes.flatMap(([method, route]): Array<[string, string, string, string, number, string]> => [
    ['a member', ANA, TENANT, route, 403, 'forbidden'],
    ['someone not on the board', 'user-stranger', TENANT, route, 404, 'not_found'],
    ["another tenant's lead, by the board id of this one", LEAD, OTHER_TENANT, route, 404, 'not_found'],
    ['a lead, with a malformed board id', LEAD, TENANT, route.replace(BOARD, 'bad%20id%3F'), 400, 'invalid'],
  ].map(([who, oid, tid, r, status, code]) => [`${who}: ${method} ${r}`, method, oid as string, `${tid}|${r}`, status as number, code as string]));

  test.each(refusals)('%s', async (_, method, oid, target, status, code) => {
    damage();
    const [tid, route] = target.split('|');
    const res = await call(oid, method, route, undefined, tid);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, correlationId: expect.any(String) });
    expect(await bensCount()).toBe(0);
  });
});

describe('a lead checks and repairs the board', () => {
  test('a consistent board reports nothing to repair', async () => {
    expect((await call(LEAD, 'GET', routes[0][1])).body).toEqual({ consistent: true, repaired: false, membersOff: 0, bucketsOff: 0 });
  });

  test('a damaged board is reported without a change, repaired, then reported clean; a second repair finds nothing', async () => {
    damage();
    const check = await call(LEAD, 'GET', routes[0][1]);
    expect([check.status, check.body]).toEqual([200, { consistent: false, repaired: false, membersOff: 1, bucketsOff: 1 }]);
    expect(await bensCount()).toBe(0);
    const repair = await call(LEAD, 'POST', routes[1][1]);
    expect([repair.status, repair.body]).toEqual([200, { consistent: false, repaired: true, membersOff: 1, bucketsOff: 1 }]);
    expect(await t.app.store.stats.get(TENANT, BOARD, BEN)).toMatchObject({ receivedCount: 1, receivedByKind: { prevented: 1 } });
    expect((await call(LEAD, 'GET', routes[0][1])).body).toEqual({ consistent: true, repaired: false, membersOff: 0, bucketsOff: 0 });
    expect((await call(LEAD, 'POST', routes[1][1])).body).toEqual({ consistent: true, repaired: true, membersOff: 0, bucketsOff: 0 });
  });

  test('what the lead is told of a damaged private credit holds only counts: no person, hour, kind, id or words of it', async () => {
    damage();
    for (const [method, route] of routes) {
      const res = await call(LEAD, method, route);
      const text = JSON.stringify(res.body);
      for (const leak of [BEN, names[BEN], 'Ben', ANA, 'Ana', privateId, PRIVATE_MESSAGE, ...KIND_IDS, 'private', '2026', 'T0', 'T1', 'T2']) expect(text).not.toContain(leak);
      expect(Object.keys(res.body).sort()).toEqual(['bucketsOff', 'consistent', 'membersOff', 'repaired']);
    }
  });
});
