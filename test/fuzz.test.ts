import fc from 'fast-check';
import { botInstalledInTeam, cardAction, channelMessage, fetchTask, groupChatMessage, membersChanged, messagePayload, personalMessage, startTeamsConnector, submitAction, teamRenamed, type TeamsConnector, type TeamsMember, type Where } from '../bot/dev';
import { BOT, GROUP_CHAT_ID, PEOPLE, TEAM_ID, whereFor } from './fixtures/teams-activities';
import { type ChildApp, startChildApp } from './support/child-app';

/**
 * Property: nothing Teams or the tab can send makes the server fail (5xx), hang (over 5 s),
 * or write when it refuses (4xx). Realistic activities and REST bodies, with fields replaced
 * by values of the wrong type or odd content. The server runs in its own process, so a
 * request that blocks its event loop times out here instead of stopping the run.
 */
const TENANT = '11111111-1111-4111-8111-111111111111';
const ACTIVITY_RUNS = 250;
const REST_RUNS = 60;
const BATCH = 40;
const CONCURRENCY = 8;
const DEADLINE_MS = 5000;
/** The invokes Noticed answers; any other name keeps botbuilder's 501. */
const ANSWERED_INVOKES = new Set(['adaptiveCard/action', 'composeExtension/fetchTask', 'composeExtension/submitAction']);

const people = Object.values(PEOPLE);
let connector: TeamsConnector;
let app: ChildApp;
let where: Where;
const tokens = new Map<string, string>();
let teamsCalls = 0;

beforeAll(async () => {
  connector = await startTeamsConnector(() => teamsCalls++);
  connector.roster(TEAM_ID, people);
  connector.roster(GROUP_CHAT_ID, people.slice(0, 3));
  // The connector's log would hold every reply of the run: only their number is kept.
  connector.calls.push = () => 0;
  app = await startChildApp({ AUTH_ALLOWED_TENANTS: TENANT, LOG_LEVEL: process.env.FUZZ_LOG ?? 'silent' });
  where = whereFor(TENANT, connector.url);
  expect((await send({ method: 'POST', path: '/api/messages', body: botInstalledInTeam(where, PEOPLE.lee) })).status).toBe(200);
  for (const p of people) {
    const res = await send({ method: 'POST', path: '/api/v1/dev/token', body: { tenantId: TENANT, userId: p.aadObjectId, name: p.name } });
    tokens.set(p.aadObjectId, JSON.parse(res.text).accessToken);
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

interface Call {
  method: string;
  path: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** What the answer may be besides 2xx and 4xx. */
  allow501?: boolean;
  /** An activity exactly as Teams would send it: it must be served, not refused. */
  mustServe?: boolean;
}

interface Outcome {
  call: Call;
  status: number;
  text: string;
  ms: number;
}

async function send(call: Call): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${app.url}${call.path}`, {
      method: call.method,
      headers: { ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(call.token ? { authorization: `Bearer ${call.token}` } : {}), ...call.headers },
      body: call.body === undefined ? undefined : typeof call.body === 'string' ? call.body : JSON.stringify(call.body),
      signal: AbortSignal.timeout(DEADLINE_MS),
    });
    return { call, status: res.status, text: await res.text(), ms: performance.now() - started };
  } catch (error) {
    // A timeout is the finding (the server hung); the status 0 fails the property below.
    return { call, status: 0, text: error instanceof Error ? error.name : String(error), ms: performance.now() - started };
  }
}

async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

const describeCall = (o: Outcome) => `${o.call.method} ${o.call.path} → ${o.status} in ${Math.round(o.ms)} ms: ${o.text.slice(0, 200)}\n${JSON.stringify(o.call.body)?.slice(0, 600)}`;

/**
 * Sends a batch with bounded concurrency; then sends the refused ones again, alone on the
 * server, and checks they are still refused and that the store and Teams saw nothing.
 */
async function batchHolds(calls: Call[]): Promise<void> {
  const outcomes = await pool(calls, CONCURRENCY, send);
  for (const o of outcomes) {
    const ok = o.status >= 200 && o.status < 500 ? !o.call.mustServe || o.status < 300 : o.status === 501 && o.call.allow501;
    if (!ok || o.ms > DEADLINE_MS) throw new Error(`the server failed: ${describeCall(o)}`);
  }
  // A 429 is decided before any work, but its replay could be served once the limit refills.
  const refused = outcomes.filter((o) => o.status >= 400 && o.status < 500 && o.status !== 429);
  if (!refused.length) return;
  const [writes, calls0] = [await app.writes(), teamsCalls];
  const again = await pool(
    refused.map((o) => o.call),
    CONCURRENCY,
    send,
  );
  const [writesAfter, callsAfter] = [await app.writes(), teamsCalls];
  const served = again.filter((o) => o.status < 400 || o.status >= 500);
  if (served.length || writesAfter !== writes || callsAfter !== calls0) {
    throw new Error(`refused requests changed something: ${writesAfter - writes} store writes, ${callsAfter - calls0} calls to Teams\n${again.map(describeCall).join('\n')}`);
  }
}

/** Values of the wrong type, or of the right type with content nobody expects. */
const odd: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.integer({ min: 0, max: 9 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.constant([]),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxKeys: 3 }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    'true',
    '[object Object]',
    '__proto__',
    'constructor',
    '<at>Ben O\'Neil</at>',
    '<at></at>',
    '<at>',
    '</at><at>',
    '&amp;lt;at&amp;gt;',
    'Ünïcödé 💥 \u202e\u0000 ‮',
    '19:Qx3kZ9pT1uV2wX3yZ4aB5cD6eF7gH8iJ@thread.tacv2',
    '29:1AnaLopez',
    PEOPLE.ben.aadObjectId,
    TENANT,
    'ftp://files.example/',
    'x'.repeat(50_000),
    // Tag-shaped runs with no end: the markup stripper's worst case, at a size Teams allows.
    '<a'.repeat(12_000),
  ),
);

/** Every path into a value, for choosing which field to replace. */
function pathsOf(value: unknown, prefix: string[] = [], depth = 0): string[][] {
  if (depth > 6 || value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => [[...prefix, key], ...pathsOf(inner, [...prefix, key], depth + 1)]);
}

function replaced<T>(value: T, changes: Array<[string[], unknown]>): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const [path, v] of changes) {
    let parent: unknown = copy;
    for (const key of path.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
    // A copy: fast-check hands out the same {} each time, and it must not end up inside itself.
    if (parent && typeof parent === 'object') (parent as Record<string, unknown>)[path[path.length - 1]] = structuredClone(v);
  }
  return copy as T;
}

/** A value with zero to three of its fields replaced by odd ones. */
const mutated = <T>(base: fc.Arbitrary<T>): fc.Arbitrary<{ value: T; changed: boolean }> =>
  base.chain((value) => {
    const paths = pathsOf(value);
    return fc.array(fc.tuple(fc.constantFrom(...paths), odd), { maxLength: 3 }).map((changes) => ({ value: replaced(value, changes), changed: changes.length > 0 }));
  });

const person = fc.constantFrom(...people);
const words = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(' for ', ' credit ', ' thanks ', ' #caught', ' #win ', ' fixing 2 flaky tests', ' true grit', ' the [object Object] bug', ' <data> pipeline', ' x<y, z>w ', ' &amp; ', ' board', ' mine', ' help', ' missed', '<at>'),
);
const parts = fc.array(fc.oneof(words, person, fc.constant(BOT)), { maxLength: 8 });
const subset = fc.subarray(people, { minLength: 1, maxLength: 3 });
const creditIds = fc.constantFrom('r-unknown', 'r-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '');
const formData = fc.record({ people: subset.map((ps) => ps.map((p) => p.aadObjectId).join(',')), message: fc.string({ unit: 'grapheme', maxLength: 120 }), kind: fc.constantFrom('enabled', 'delivered', 'heroic'), private: fc.constantFrom('true', 'false'), formKey: fc.string({ minLength: 1, maxLength: 20 }) });
const html = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom('<p>I spotted the <b>tax rate</b> bug &amp; fixed it</p>', '<div><at>Ana</at> shipped it</div>'));

/** Activities as Teams sends them to Noticed, one of each kind it handles. */
const teamsActivity: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.tuple(person, parts).map(([from, p]) => channelMessage(where, from, [BOT, ' credit ', ...p])),
  fc.tuple(person, parts).map(([from, p]) => channelMessage(where, from, [BOT, ...p])),
  fc.tuple(fc.constantFrom(...people.slice(0, 3)), parts).map(([from, p]) => groupChatMessage(where, GROUP_CHAT_ID, from, [BOT, ' thanks ', ...p])),
  fc.tuple(person, fc.constantFrom('mine', 'help', 'board', 'missed'), fc.string({ maxLength: 20 })).map(([from, command, rest]) => personalMessage(where, from, `${command}${rest}`)),
  person.map((from) => botInstalledInTeam(where, from)),
  fc.tuple(person, subset).map(([by, ps]) => membersChanged(where, by, 'added', ps)),
  fc.tuple(person, fc.constantFrom(PEOPLE.cy, PEOPLE.dee)).map(([by, p]) => membersChanged(where, by, 'removed', [p])),
  fc.tuple(person, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })).map(([by, name]) => teamRenamed(where, by, name)),
  fc.tuple(person, fc.constantFrom('endorse', 'refresh', 'inspireForm', 'inspireSubmit', 'dance'), creditIds, formData).map(([from, verb, creditId, data]) => cardAction(where, from, verb, { boardId: TEAM_ID, creditId, ...data })),
  fc.tuple(person, person, html).map(([from, author, h]) => fetchTask(where, from, messagePayload(where, author, h))),
  fc.tuple(person, person, html, formData).map(([from, author, h, data]) => submitAction(where, from, messagePayload(where, author, h), data)),
  fc.tuple(person, fc.string({ minLength: 1, maxLength: 30 })).map(([from, name]) => ({ ...cardAction(where, from, 'endorse', {}), name })),
) as fc.Arbitrary<Record<string, unknown>>;

/** The connector is the only Teams there is here: a serviceUrl elsewhere would make the bot call out. */
function keepConnector(activity: Record<string, unknown>): Record<string, unknown> {
  const url = activity.serviceUrl;
  if (typeof url === 'string' && url !== connector.url && /^https?:\/\//i.test(url)) return { ...activity, serviceUrl: 'ftp://elsewhere.example/' };
  return activity;
}

const activityCall: fc.Arbitrary<Call> = mutated(teamsActivity).map(({ value, changed }) => {
  const activity = keepConnector(value);
  const unknownInvoke = activity.type === 'invoke' && !ANSWERED_INVOKES.has(String(activity.name));
  return { method: 'POST', path: '/api/messages', body: activity, allow501: activity.type === 'invoke' && (changed || unknownInvoke), mustServe: !changed && !unknownInvoke };
});

const board = `/api/v1/boards/${encodeURIComponent(TEAM_ID)}`;
const segment = odd.map((v) => encodeURIComponent(String(typeof v === 'object' ? JSON.stringify(v) : v)).slice(0, 600) || 'x');
const query = fc
  .dictionary(fc.constantFrom('kind', 'person', 'giver', 'since', 'until', 'limit', 'cursor', 'q', 'days'), odd, { maxKeys: 4 })
  .map((q) => new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(typeof v === 'object' ? JSON.stringify(v) : v).slice(0, 600)])).toString());
const creditBody = fc.record({
  recipients: subset.map((ps) => ps.map((p) => ({ userId: p.aadObjectId }))),
  message: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
  kind: fc.constantFrom('enabled', 'prevented', 'improved', 'sustained', 'delivered'),
  evidence: fc.constant({ type: 'link', url: 'https://contoso.example/pr/42', title: 'The PR' }),
  visibility: fc.constantFrom('board', 'private'),
  source: fc.constantFrom('tab', 'outlook', 'api'),
});

const restCall: fc.Arbitrary<Call> = fc.tuple(person, fc.oneof(
  mutated(creditBody).map(({ value }) => ({ method: 'POST', path: `${board}/recognitions`, body: value as unknown })),
  fc.jsonValue({ maxDepth: 3 }).map((body) => ({ method: 'POST', path: `${board}/recognitions`, body })),
  fc.tuple(creditBody, fc.string({ maxLength: 30 })).map(([body, key]) => ({ method: 'POST', path: `${board}/recognitions`, body: body as unknown, headers: { 'Idempotency-Key': key.replace(/[^\x21-\x7e]/g, '') || 'k' } })),
  segment.map((id) => ({ method: 'POST', path: `${board}/recognitions/${id}/endorsements` })),
  segment.map((id) => ({ method: 'DELETE', path: `${board}/recognitions/${id}` })),
  segment.map((id) => ({ method: 'GET', path: `/api/v1/boards/${id}` })),
  query.map((q) => ({ method: 'GET', path: `${board}/recognitions?${q}` })),
  query.map((q) => ({ method: 'GET', path: `${board}/members?${q}` })),
  query.map((q) => ({ method: 'GET', path: `${board}/insights?${q}` })),
  mutated(fc.constant({ tenantId: TENANT, userId: PEOPLE.ana.aadObjectId, name: 'Ana' })).map(({ value }) => ({ method: 'POST', path: '/api/v1/dev/token', body: value as unknown })),
)).map(([caller, call]) => ({ ...call, token: tokens.get(caller.aadObjectId) }));

test(`${ACTIVITY_RUNS * BATCH} generated activities to /api/messages: no 5xx, no hang, nothing written when refused`, async () => {
  await fc.assert(fc.asyncProperty(fc.array(activityCall, { minLength: BATCH, maxLength: BATCH }), batchHolds), { numRuns: ACTIVITY_RUNS, endOnFailure: true });
}, 150_000);

test(`${REST_RUNS * BATCH} generated requests to the REST API: no 5xx, no hang, nothing written when refused`, async () => {
  await fc.assert(fc.asyncProperty(fc.array(restCall, { minLength: BATCH, maxLength: BATCH }), batchHolds), { numRuns: REST_RUNS, endOnFailure: true });
}, 90_000);

test('the team is still served afterwards', async () => {
  connector.roster(TEAM_ID, [...people, { id: '29:1Late', aadObjectId: 'abababab-0000-4000-8000-00000000000a', name: 'Late Joiner' } satisfies TeamsMember]);
  const res = await send({ method: 'POST', path: '/api/messages', body: channelMessage(where, PEOPLE.ana, [BOT, ' help']) });
  expect(res.status).toBe(200);
});
