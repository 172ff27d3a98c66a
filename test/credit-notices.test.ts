import { MADE_PRIVATE, sendKey } from '../core';
import { botInstalledInTeam, cardAction, personalCardAction, cardsOf, cardTexts, channelMessage, type ConnectorFault, fetchTask, startTeamsConnector, submitAction, type TeamsConnector, type TeamsMember, type Where } from '../bot/dev';
import { BOT, PEOPLE, TEAM_ID, sourceMessage, whereFor } from './fixtures/teams-activities';
import { TENANT, type TestApp, startTestApp } from './support/test-app';

const { ana, ben, cy, dee, lee } = PEOPLE;
/** Someone on the team whose display name is Markdown and mention markup. */
const mallory: TeamsMember = { id: '29:1Mallory', aadObjectId: 'f7f7f7f7-0000-4000-8000-000000000007', name: '**Mal** [lory](https://evil.example) </at><at>_x_', email: 'mallory@contoso.com' };
const BOARD = encodeURIComponent(TEAM_ID);

let connector: TeamsConnector;
let t: TestApp;
let where: Where;

beforeAll(async () => {
  connector = await startTeamsConnector();
});
afterAll(() => connector.close());

beforeEach(async () => {
  connector.calls.length = 0;
  connector.fault = undefined;
  connector.roster(TEAM_ID, [...Object.values(PEOPLE), mallory]);
  t = await startTestApp();
  where = whereFor(TENANT, connector.url);
});
afterEach(() => t.close());

async function post(activity: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Noticed added to the team by Lee, its roster synced. */
async function install(): Promise<void> {
  expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
  const until = Date.now() + 30_000;
  while (!(await t.app.store.boards.get(TENANT, TEAM_ID))?.rosterSync?.done) {
    if (Date.now() > until) throw new Error('the roster was not synced');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  connector.calls.length = 0;
}

const tokenOf = (person: TeamsMember) => t.token({ oid: person.aadObjectId, name: person.name });

/** A credit given in the tab (or the add-in: the same route). */
async function giveInTab(from: TeamsMember, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: await tokenOf(from), body, headers });
}

/** A member's own preferences, changed as they do in the tab's You view. */
async function prefer(person: TeamsMember, prefs: Record<string, unknown>): Promise<void> {
  expect((await t.call('PATCH', `/api/v1/me/preferences?boardId=${BOARD}`, { token: await tokenOf(person), body: prefs })).status).toBe(200);
}

/** The notices the last requests and turns started, which run after their answers. */
const noticesSettled = () => t.app.creditNotices.settled();
const cardText = (card: unknown) => cardTexts(card).map((x) => x.text).join('\n');
/** Posts the bot made to the team's conversation, answered or not. */
const channelCalls = () => connector.calls.filter((c) => c.method !== 'GET' && c.path.startsWith(`/v3/conversations/${TEAM_ID}`));
const channelCards = () => channelCalls().flatMap((c) => cardsOf(c.body));
/** Personal chats the bot opened, by the person's channel id. */
const personalChats = () => connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations' && c.status === 201).map((c) => c.body.members[0].id as string);
/** Cards that reached personal chats, in order. */
const personalCards = () => connector.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/v3/conversations/a:personal-') && (c.status ?? 500) < 400).flatMap((c) => cardsOf(c.body));
const sendOf = (key: string) => t.app.store.sends.get(TENANT, TEAM_ID, key);
const mentionsOf = (card: any) => ((card?.msteams?.entities ?? []) as any[]).filter((e) => e.type === 'mention');

describe('a credit card posted to a conversation @mentions its recipients', () => {
  // How the card came to the channel, and whom it credits.
  const posted: Array<[string, () => Promise<unknown>, TeamsMember[]]> = [
    ['a chat credit to two people', () => post(channelMessage(where, lee, [BOT, ' credit ', ana, ' and ', dee, ' for catching the migration bug #caught'])), [ana, dee]],
    ['a message-extension credit', () => post(submitAction(where, lee, sourceMessage(where, ana), { people: ana.aadObjectId, message: 'Fixed the tax rate', kind: 'prevented', private: 'false', formKey: 'k1' })), [ana]],
    ['a name that is Markdown and mention markup', () => post(channelMessage(where, lee, [BOT, ' credit ', mallory, ' for the release notes #docs'])), [mallory]],
  ];
  test.each(posted)('%s: a mention entity per recipient, its <at> text in a TextBlock, no Markdown from a name', async (_name, give, people) => {
    await install();
    await give();
    const [card] = channelCards();
    const mentions = mentionsOf(card);
    expect(mentions.map((m) => m.mentioned)).toEqual(people.map((p) => ({ id: p.id, name: p.name })));
    const blocks = cardTexts(card).filter((x) => x.element === 'TextBlock').map((x) => x.text);
    for (const m of mentions) {
      expect(m.text).toMatch(/^<at>[^<>]+<\/at>$/);
      expect(blocks.filter((b) => b.includes(m.text))).toHaveLength(1);
    }
    // What a TextBlock shows of names, with the mentions' own markup taken out: no Markdown, no tags.
    const shown = blocks.join('\n').replace(/<\/?at>/g, '');
    expect(shown).not.toMatch(/[*_[\]()<>`#]|https?:/);
    // The names themselves are still shown as written, as text.
    expect(cardTexts(card)).toContainEqual({ element: 'TextRun', text: `Lee Lead credited ${people.length === 2 ? `${people[0].name} and ${people[1].name}` : people[0].name}` });
    await noticesSettled();
    // Teams' own notification is the mention: nobody gets a private copy of a card they can see.
    expect(personalChats()).toEqual([]);
  });

  test('people credited by email alone, or whom the channel does not know, are named as text and never mentioned', async () => {
    await install();
    await t.app.store.members.put({ tenantId: TENANT, boardId: TEAM_ID, userId: 'not-in-teams', name: 'Nadia Notinteams', role: 'member', joinedAt: new Date().toISOString(), prefersPrivate: false, optedOut: false });
    const res = await giveInTab(lee, { recipients: [{ userId: ana.aadObjectId }, { userId: 'not-in-teams' }, { email: 'olu@fabrikam.com', name: 'Olu Outsider' }], message: 'the vendor escalation #helped' });
    expect(res.status).toBe(201);
    const shown = (await post(cardAction(where, ben, 'refresh', { boardId: TEAM_ID, creditId: res.body.id }))).body.value;
    expect(mentionsOf(shown).map((m) => m.mentioned.id)).toEqual([ana.id]);
    expect(cardText(shown)).toContain('Lee Lead credited Ana López, Nadia Notinteams and Olu Outsider');
    expect(JSON.stringify(shown.msteams)).not.toMatch(/Nadia|Olu|fabrikam/);
  });

  test("turning credit notices off leaves the mention: it is Teams' own notification", async () => {
    await install();
    await prefer(ana, { creditNotifications: false });
    connector.calls.length = 0;
    await post(channelMessage(where, lee, [BOT, ' credit ', ana, ' for the capacity plan #process']));
    await noticesSettled();
    expect(mentionsOf(channelCards()[0]).map((m) => m.mentioned.id)).toEqual([ana.id]);
    expect(personalChats()).toEqual([]);
  });

  test('a private credit mentions no one, anywhere', async () => {
    await install();
    await prefer(ben, { prefersPrivate: true });
    await post(channelMessage(where, cy, [BOT, ' thanks ', ben, ' for listening when it was hard']));
    await noticesSettled();
    expect(channelCalls()).toEqual([]);
    expect(personalCards()).toHaveLength(2);
    for (const card of personalCards()) {
      expect(card.msteams).toBeUndefined();
      expect(cardText(card)).not.toContain('<at>');
    }
  });
});

describe('a credit given outside a conversation reaches its recipients 1:1', () => {
  test('with the Teams app id set, "Open the board" is a Teams deep link to the Board tab opened on this board', async () => {
    await t.close();
    const teamsAppId = 'c75f7510-0ba0-44ca-9368-e1a9f66c89d8';
    t = await startTestApp({ TEAMS_APP_ID: teamsAppId });
    await install();
    expect((await giveInTab(lee, { recipients: [{ userId: ana.aadObjectId }], message: 'the release checklist #docs' })).status).toBe(201);
    await noticesSettled();
    const [notice] = personalCards();
    const link = new URL(notice.actions[0].url);
    expect(`${link.origin}${link.pathname}`).toBe(`https://teams.microsoft.com/l/entity/${teamsAppId}/board`);
    expect(JSON.parse(link.searchParams.get('context') ?? '{}')).toEqual({ subEntityId: TEAM_ID });
    expect(link.searchParams.get('webUrl')).toMatch(/^https?:\/\/[^/]+\/tab\/$/);
  });

  test('from the tab: each recipient the channel knows, once, with the card and a link to the board; not the giver, not who turned notices off', async () => {
    await install();
    await prefer(ben, { creditNotifications: false });
    const body = { recipients: [{ userId: ana.aadObjectId }, { userId: ben.aadObjectId }, { email: 'olu@fabrikam.com', name: 'Olu Outsider' }], message: 'covering the release night #support' };
    const first = await giveInTab(lee, body, { 'Idempotency-Key': 'dialog-1' });
    expect(first.status).toBe(201);
    await noticesSettled();
    expect(personalChats()).toEqual([ana.id]);
    const [notice] = personalCards();
    expect(notice.version).toBe('1.5');
    expect(cardTexts(notice).slice(0, 3)).toEqual([
      { element: 'TextRun', text: 'Lee Lead credited you on Launch Crew' },
      { element: 'TextBlock', text: '🤝 Made it possible' },
      { element: 'TextRun', text: "Lee Lead credited Ana López, Ben O'Neil and Olu Outsider" },
    ]);
    expect(cardText(notice)).toContain('covering the release night');
    expect(notice.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the board', url: expect.stringMatching(/^https?:\/\/[^/]+\/tab\//) }]);
    expect(notice.refresh).toBeUndefined();
    expect(channelCalls()).toEqual([]);
    expect(await sendOf(sendKey('credit-notice', first.body.id, ana.aadObjectId))).toMatchObject({ status: 'sent', recipientId: ana.aadObjectId, attempts: 1 });

    // The tab retrying with the same Idempotency-Key, and the same credit given again: the same credit, nothing new sent.
    connector.calls.length = 0;
    expect((await giveInTab(lee, body, { 'Idempotency-Key': 'dialog-1' })).status).toBe(200);
    expect((await giveInTab(lee, body, { 'Idempotency-Key': 'dialog-2' })).status).toBe(200);
    await noticesSettled();
    expect(connector.calls).toEqual([]);
  });

  test('a private credit given in the tab goes only 1:1: nothing of it reaches the channel', async () => {
    await install();
    const secret = 'talking me through the outage at 3am';
    const res = await giveInTab(cy, { recipients: [{ userId: dee.aadObjectId }], message: `${secret} #morale`, visibility: 'private' });
    await noticesSettled();
    expect(channelCalls()).toEqual([]);
    expect(personalChats()).toEqual([dee.id]);
    const [notice] = personalCards();
    expect(cardText(notice)).toContain(secret);
    expect(cardText(notice)).toContain('Private: only the giver and the people credited see this on the board.');
    expect(mentionsOf(notice)).toEqual([]);
    expect(await sendOf(sendKey('credit-notice', res.body.id, dee.aadObjectId))).toMatchObject({ status: 'sent' });
  });

  test('a private credit given from the message extension reaches its recipient once, in their personal chat', async () => {
    await install();
    await post(submitAction(where, lee, sourceMessage(where, ana), { people: ana.aadObjectId, message: 'Talked me through it', kind: 'sustained', private: 'true', formKey: 'k2' }));
    await noticesSettled();
    expect(personalChats()).toEqual([ana.id]);
    expect(channelCalls()).toEqual([]);
  });

  test("a credit given from a reminder's Give credit in a personal chat reaches its recipient 1:1, once", async () => {
    await install();
    const form = (await post(personalCardAction(where, lee, 'giveForm', { boardId: TEAM_ID }))).body.value;
    const submit = { ...form.actions[0].data, people: ben.aadObjectId, message: 'keeping the test lab alive', kind: 'sustained', private: 'false' };
    await post(personalCardAction(where, lee, form.actions[0].verb, submit));
    await post(personalCardAction(where, lee, form.actions[0].verb, submit));
    await noticesSettled();
    expect(personalChats()).toEqual([ben.id]);
    expect(cardTexts(personalCards()[0])[0]).toEqual({ element: 'TextRun', text: 'Lee Lead credited you on Launch Crew' });
    expect(channelCalls()).toEqual([]);
  });

  // Teams refusing the personal chat: the bot blocked (403), the chat gone (404), throttled (429).
  const refusals: Array<[string, ConnectorFault, string]> = [
    ['403', 403, 'unreachable'],
    ['404', 404, 'unreachable'],
    ['429 with Retry-After', { status: 429, retryAfterSeconds: 30 }, 'throttled'],
  ];
  test.each(refusals)('Teams answering %s for the personal chat never fails the credit', async (_name, fault, reason) => {
    await install();
    connector.fault = (call) => (call.method === 'POST' && call.path === '/v3/conversations' ? fault : undefined);
    const res = await giveInTab(lee, { recipients: [{ userId: ana.aadObjectId }], message: 'the on-call handover notes' });
    expect(res.status).toBe(201);
    await noticesSettled();
    expect(await t.app.store.recognitions.get(TENANT, TEAM_ID, res.body.id)).toMatchObject({ message: 'the on-call handover notes' });
    expect(await sendOf(sendKey('credit-notice', res.body.id, ana.aadObjectId))).toMatchObject({ status: 'gave-up', reason });
    expect(personalCards()).toEqual([]);
  });

  test('a board Noticed was never added to (opened through the API) sends nothing and records nothing', async () => {
    await t.board(TENANT, 'api-board', [
      { userId: lee.aadObjectId, name: lee.name, role: 'lead', channelUserId: lee.id },
      { userId: ana.aadObjectId, name: ana.name, channelUserId: ana.id },
    ]);
    const res = await t.call('POST', '/api/v1/boards/api-board/recognitions', { token: await tokenOf(lee), body: { recipients: [{ userId: ana.aadObjectId }], message: 'the runbook' } });
    expect(res.status).toBe(201);
    await noticesSettled();
    expect(connector.calls).toEqual([]);
    expect(await t.app.store.sends.listRecipient(TENANT, 'api-board', ana.aadObjectId)).toEqual([]);
  });
});

describe('the giver of a credit that is passed on hears of it', () => {
  /** Lee credits Ana for a win in the channel; returns the win's id. */
  async function aWin(): Promise<string> {
    await install();
    await post(channelMessage(where, lee, [BOT, ' credit ', ana, ' for closing the Contoso deal #win']));
    const page = await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: lee.aadObjectId, limit: 1 });
    await noticesSettled();
    connector.calls.length = 0;
    return page.items[0].id;
  }
  const passOnInChannel = async (winId: string) => {
    const form = (await post(cardAction(where, ben, 'inspireForm', { boardId: TEAM_ID, creditId: winId }))).body.value;
    const data = { ...form.actions[0].data, people: cy.aadObjectId, message: 'set up the demo data the night before', kind: 'enabled' };
    await post(cardAction(where, ben, 'inspireSubmit', data));
    // Teams retrying the invoke with a new activity id.
    await post(cardAction(where, ben, 'inspireSubmit', data));
  };
  const passOnInTab = async (winId: string, visibility = 'board') => {
    for (let i = 0; i < 2; i++) {
      expect((await giveInTab(ben, { recipients: [{ userId: cy.aadObjectId }], message: 'set up the demo data the night before', inspiredBy: winId, visibility })).status).toBe(i ? 200 : 201);
    }
  };
  // How credit is passed on, whether the win's giver turned notices off, and who hears privately.
  const chains: Array<[string, (winId: string) => Promise<void>, boolean, string[]]> = [
    ['in the channel: the win\'s giver, once', passOnInChannel, true, [lee.id]],
    ['in the tab: the win\'s giver and the person credited, once each', passOnInTab, true, [cy.id, lee.id]],
    ['in the channel, the win\'s giver with notices off: nobody', passOnInChannel, false, []],
    ['privately in the tab: only the person credited, never the win\'s giver', (winId) => passOnInTab(winId, 'private'), true, [cy.id]],
  ];
  test.each(chains)('%s', async (_name, passOn, notices, told) => {
    const winId = await aWin();
    if (!notices) await prefer(lee, { creditNotifications: false });
    await passOn(winId);
    await noticesSettled();
    expect(personalChats().sort()).toEqual(told.sort());
    const toLee = personalCards().filter((c) => cardText(c).includes('passed credit on from your credit'));
    expect(toLee).toHaveLength(told.includes(lee.id) ? 1 : 0);
    if (toLee.length) {
      expect(cardTexts(toLee[0])[0]).toEqual({ element: 'TextRun', text: "Ben O'Neil passed credit on from your credit on Launch Crew: closing the Contoso deal" });
      expect(cardText(toLee[0])).toContain("Ben O'Neil credited Cy Park");
    }
    // A private credit passed on is told to nobody else: not its words, not its names.
    if (!told.includes(lee.id)) expect(JSON.stringify(personalCards().filter((c) => !cardText(c).includes('credited you')))).toBe('[]');
  });
});

describe('the message extension tells the giver when a preference made the credit private', () => {
  test('the dialog closes on why it is private, and the credit is private', async () => {
    await install();
    await prefer(ana, { prefersPrivate: true });
    const form = (await post(fetchTask(where, lee, sourceMessage(where, ana)))).body.task.value.card.content;
    const res = await post(submitAction(where, lee, sourceMessage(where, ana), { ...form.actions[0].data, people: ana.aadObjectId, message: 'Fixed the tax rate', kind: 'prevented', private: 'false' }));
    expect(res.body).toEqual({ task: { type: 'message', value: `Credit sent privately to Ana López. ${MADE_PRIVATE}` } });
    const page = await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: lee.aadObjectId, limit: 5 });
    expect(page.items.map((r) => r.visibility)).toEqual(['private']);
  });
});

describe('my data export', () => {
  test('lists the records of the messages sent to me, and nobody else\'s', async () => {
    await install();
    const res = await giveInTab(lee, { recipients: [{ userId: ana.aadObjectId }, { userId: ben.aadObjectId }], message: 'the launch checklist #process' });
    await noticesSettled();
    const exported = async (person: TeamsMember) => (await t.call('GET', '/api/v1/me/export', { token: await tokenOf(person) })).body.boards[0].messages;
    expect(await exported(ana)).toEqual([
      { key: sendKey('credit-notice', res.body.id, ana.aadObjectId), kind: 'credit-notice', period: res.body.id, recipientId: ana.aadObjectId, status: 'sent', attempts: 1, activityId: expect.any(String), createdAt: expect.any(String), updatedAt: expect.any(String) },
    ]);
    expect(JSON.stringify(await exported(ana))).not.toContain(ben.aadObjectId);
    expect(await exported(lee)).toEqual([]);
  });
});
