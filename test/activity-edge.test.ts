import { DEFAULT_BOARD_SETTINGS } from '../core';
import { botInstalledInTeam, cardAction, channelMessage, fetchTask, membersChanged, messagePayload, startTeamsConnector, submitAction, teamRenamed, type TeamsConnector, type TeamsMember, type Where } from '../bot/dev';
import { BOT, PEOPLE, TEAM_ID, sourceMessage, whereFor } from './fixtures/teams-activities';
import { type ChildApp, startChildApp } from './support/child-app';

/**
 * The edge of /api/messages, against the server in its own process: an activity that blocked
 * the event loop would time out here and fail the test instead of stopping the run.
 */
const TENANT = '11111111-1111-4111-8111-111111111111';
const NOT_ALLOWED = '33333333-3333-4333-8333-333333333333';
const { ana, ben, cy, lee } = PEOPLE;

let connector: TeamsConnector;
let app: ChildApp;
let where: Where;

beforeAll(async () => {
  connector = await startTeamsConnector();
  connector.roster(TEAM_ID, Object.values(PEOPLE));
  app = await startChildApp({ AUTH_ALLOWED_TENANTS: TENANT });
  where = whereFor(TENANT, connector.url);
  expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

async function post(activity: unknown, path = '/api/messages', headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    // A turn that never ends fails the test; Teams itself gives up after 15 s.
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Sends the activity and returns its answer, with how many store writes and connector calls it caused. */
async function effects(activity: unknown) {
  const [writes, calls] = [await app.writes(), connector.calls.length];
  const res = await post(activity);
  return { ...res, writes: (await app.writes()) - writes, connectorCalls: connector.calls.slice(calls) };
}

/** A copy of the activity with the value at the dotted path replaced (or removed, for undefined). */
function withField(activity: object, path: string, value: unknown): object {
  const copy = structuredClone(activity) as Record<string, any>;
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce((o, k) => o[k], copy);
  if (value === undefined) delete parent[keys.at(-1) as string];
  else parent[keys.at(-1) as string] = value;
  return copy;
}

const credit = () => channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook']);
// The parser looks for each mention's text in the message: these words are what a mention of the wrong type turns into.
const creditWithNumbers = () => channelMessage(where, ana, [BOT, ' credit ', ben, ' for the 5 runbooks, true story, not [object Object]']);
const endorse = () => cardAction(where, ben, 'endorse', { boardId: TEAM_ID, creditId: 'r-unknown' });
const giveCreditForm = () => fetchTask(where, lee, sourceMessage(where, ana));
const added = () => membersChanged(where, lee, 'added', [cy]);

describe('an activity with a field Noticed reads in the wrong shape is refused with 400, and nothing happens', () => {
  const cases: Array<[string, () => object, string, unknown, string]> = [
    ['a mention whose text is a number', creditWithNumbers, 'entities.1.text', 5, 'entities.1.text'],
    ['a mention whose text is true', creditWithNumbers, 'entities.1.text', true, 'entities.1.text'],
    ['a mention whose text is an object', creditWithNumbers, 'entities.1.text', {}, 'entities.1.text'],
    ['a mention whose text is an array', creditWithNumbers, 'entities.1.text', ['<at>Ben</at>'], 'entities.1.text'],
    ['a mentioned id that is a number', credit, 'entities.1.mentioned.id', 42, 'entities.1.mentioned.id'],
    ['entities that are not a list', credit, 'entities', { type: 'mention' }, 'entities'],
    ['aadObjectId as an array', credit, 'from.aadObjectId', [ana.aadObjectId], 'from.aadObjectId'],
    ['no sender', credit, 'from', undefined, 'from'],
    ['a serviceUrl that is a number', credit, 'serviceUrl', 12345, 'serviceUrl'],
    ['a serviceUrl that is not a web address', credit, 'serviceUrl', 'smba.trafficmanager.net', 'serviceUrl'],
    ['text that is an object', credit, 'text', { content: 'credit' }, 'text'],
    ['a conversation id that is an object', credit, 'conversation.id', { id: TEAM_ID }, 'conversation.id'],
    ['a team id that is a number', credit, 'channelData.team.id', 19, 'channelData.team.id'],
    ['a tenant id that is not a GUID', credit, 'channelData.tenant.id', 'contoso.onmicrosoft.com', 'channelData.tenant.id'],
    ['two different tenants in one activity', credit, 'conversation.tenantId', NOT_ALLOWED, 'conversation.tenantId'],
    ['members added as a string', added, 'membersAdded', 'everyone', 'membersAdded'],
    ['a member added whose id is a number', added, 'membersAdded.0.id', 7, 'membersAdded.0.id'],
    ['card data whose message is an object', endorse, 'value.action.data.message', { text: 'hi' }, 'value.action.data.message'],
    ['card data whose credit id is a number', endorse, 'value.action.data.creditId', 17, 'value.action.data.creditId'],
    ['a shared message whose body is a number', giveCreditForm, 'value.messagePayload.body.content', 7, 'value.messagePayload.body.content'],
  ];

  test.each(cases)('%s', async (_name, make, path, value, field) => {
    const res = await effects(withField(make(), path, value));
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid', field, message: expect.stringMatching(/^The activity is not one Noticed can read: /), correlationId: expect.any(String) });
    expect(res.body.error.message).not.toMatch(/Zod|\bat \w+ \(|node_modules/);
    expect([res.writes, res.connectorCalls]).toEqual([0, []]);
  });

  test('the server keeps answering after them', async () => {
    const res = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(2000) });
    expect(res.status).toBe(200);
  });
});

describe('only Microsoft Teams is served', () => {
  test.each(['webchat', 'directline', 'emulator', 'slack', 'MSTEAMS'])('an activity from %s is refused and nothing happens', async (channelId) => {
    const res = await effects({ ...credit(), channelId });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unsupported_channel', field: 'channelId', message: 'Noticed serves Microsoft Teams only.' });
    expect([res.writes, res.connectorCalls]).toEqual([0, []]);
  });

  test('an invoke Noticed does not know keeps botbuilder’s 501 and changes nothing', async () => {
    const res = await effects({ ...endorse(), name: 'noticed/unknown', value: { anything: [1, 2] } });
    expect(res.status).toBe(501);
    expect([res.writes, res.connectorCalls]).toEqual([0, []]);
  });
});

describe('/api/messages takes Teams-sized activities; the REST API keeps 16 KB', () => {
  test('the message extension opens its form on a 20 KB message', async () => {
    const long = `<p>${'The rollout checklist, step by step, with every caveat we found. '.repeat(320)}</p>`;
    expect(long.length).toBeGreaterThan(20_000);
    const res = await post(fetchTask(where, lee, messagePayload(where, ana, long)));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.task.value.card.content)).toContain('The rollout checklist, step by step');
  });

  test('150 people added at once all join the roster', async () => {
    // Teams user ids are about a hundred characters long; 150 of them are over 16 KB.
    const newcomers: TeamsMember[] = Array.from({ length: 150 }, (_, i) => ({
      id: `29:1${'Xq7vB2nK9pL4sT0wYd3F'.repeat(5)}${i}`,
      aadObjectId: `0000a000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `Newcomer ${i}`,
    }));
    connector.roster(TEAM_ID, [...Object.values(PEOPLE), ...newcomers]);
    const before = (await app.store<unknown[]>('members', 'list', TENANT, TEAM_ID)).length;
    const activity = membersChanged(where, lee, 'added', newcomers);
    expect(JSON.stringify(activity).length).toBeGreaterThan(20_000);
    const res = await post(activity);
    expect(res.status).toBe(200);
    expect((await app.store<unknown[]>('members', 'list', TENANT, TEAM_ID)).length).toBe(before + 150);
  }, 30_000);

  const padded = (bytes: number) => ({ ...personalHelp(), channelData: { ...personalHelp().channelData, padding: 'x'.repeat(bytes) } });
  const personalHelp = () => ({ ...credit(), text: '<at>Noticed</at> help', entities: [{ type: 'mention', text: '<at>Noticed</at>', mentioned: BOT }] });
  const limits: Array<[string, 'the bot' | 'the REST API', number, () => unknown]> = [
    ['an activity of 300 KB', 'the bot', 200, () => padded(300 * 1024)],
    ['an activity over 512 KB', 'the bot', 413, () => padded(520 * 1024)],
    ['a credit of 15 KB', 'the REST API', 201, () => ({ recipients: [{ userId: ben.aadObjectId }], message: 'Wrote the runbook', note: 'y'.repeat(15 * 1024) })],
    ['a credit over 16 KB', 'the REST API', 413, () => ({ recipients: [{ userId: ben.aadObjectId }], message: 'Wrote the runbook', note: 'y'.repeat(17 * 1024) })],
  ];
  test.each(limits)('%s to %s answers %d', async (_name, to, status, body) => {
    const token = await fetch(`${app.url}/api/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: TENANT, userId: ana.aadObjectId, name: ana.name }),
    }).then(async (r) => ((await r.json()) as { accessToken: string }).accessToken);
    const path = to === 'the bot' ? '/api/messages' : `/api/v1/boards/${encodeURIComponent(TEAM_ID)}/recognitions`;
    const res = await post(body(), path, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(status);
    if (status === 413) expect(res.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(path === '/api/messages' ? /over 512 KB/ : /over 16 KB/) });
  });
});

describe('a tenant that is not allowed: nothing is written, whatever the activity', () => {
  // A board kept from when the tenant was allowed: the events below would change it.
  const away: Where = { ...whereFor(NOT_ALLOWED, ''), team: { id: TEAM_ID, name: 'Launch Crew' } };
  beforeEach(async () => {
    away.serviceUrl = connector.url;
    const at = new Date().toISOString();
    await app.store('boards', 'put', { tenantId: NOT_ALLOWED, id: TEAM_ID, name: 'Launch Crew', settings: DEFAULT_BOARD_SETTINGS, createdAt: at, updatedAt: at });
    for (const p of [ana, ben, cy, lee]) {
      await app.store('members', 'put', { tenantId: NOT_ALLOWED, boardId: TEAM_ID, userId: p.aadObjectId, channelUserId: p.id, name: p.name, role: 'member', joinedAt: at, prefersPrivate: false, optedOut: false });
    }
  });

  const cases: Array<[string, () => object, RegExp | undefined]> = [
    ['a member removed', () => membersChanged(away, lee, 'removed', [cy]), undefined],
    ['the team renamed', () => teamRenamed(away, lee, 'Renamed by another tenant'), undefined],
    ['a member added', () => membersChanged(away, lee, 'added', [cy]), undefined],
    ['Noticed installed', () => botInstalledInTeam(away, lee), undefined],
    ['a credit', () => channelMessage(away, ana, [BOT, ' credit ', ben, ' for the runbook']), /not enabled for your organization/],
    ['an endorse click', () => cardAction(away, ben, 'endorse', { boardId: TEAM_ID, creditId: 'r-1' }), /not enabled for your organization/],
    ['the message extension form', () => fetchTask(away, lee, sourceMessage(away, ana)), /not enabled for your organization/],
    ['the message extension submitted', () => submitAction(away, lee, sourceMessage(away, ana), { people: ana.aadObjectId, message: 'Fixed it', formKey: 'k' }), /not enabled for your organization/],
  ];

  test.each(cases)('%s', async (_name, make, answer) => {
    const res = await effects(make());
    expect(res.status).toBe(200);
    expect(res.writes).toBe(0);
    const said = [...res.connectorCalls.filter((c) => c.method === 'POST').map((c) => c.body?.text), res.body?.value, res.body?.task?.value].filter(Boolean);
    if (answer) expect(said).toEqual([expect.stringMatching(answer)]);
    else expect(said).toEqual([]);
    expect(res.connectorCalls.filter((c) => c.method !== 'POST' || !c.body?.text)).toEqual([]);
    expect(await app.store('boards', 'get', NOT_ALLOWED, TEAM_ID)).toMatchObject({ name: 'Launch Crew' });
    expect(await app.store('members', 'get', NOT_ALLOWED, TEAM_ID, cy.aadObjectId)).not.toHaveProperty('leftAt');
  });
});
