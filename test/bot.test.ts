import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { PasswordServiceClientCredentialFactory } from 'botframework-connector';
import { botInstalledInTeam, cardAction, cardsOf, cardTexts, channelMessage, type ConnectorCall, fetchTask, groupChatMessage, membersChanged, messagePayload, personalMessage, startTeamsConnector, submitAction, teamRenamed, type TeamsConnector, type TeamsMember, type Where } from '../bot/dev';
import { BOT, BOT_APP_ID, GROUP_CHAT_ID, PEOPLE, TEAM_ID, sourceMessage, whereFor } from './fixtures/teams-activities';
import { type BotTokenServer, startBotTokenServer } from './support/bot-token-server';
import { TENANT, type TestApp, startTestApp } from './support/test-app';
import type { TurnDeadlines } from '../bot';

const { ana, ben, cy, dee, lee } = PEOPLE;
let connector: TeamsConnector;
let t: TestApp;
let where: Where;
/** The app's turn and connector deadlines: Teams' own unless a describe shortens them. */
let deadlines: TurnDeadlines | undefined;
/**
 * Teams' deadlines at about a sixth, in the same order (a call < an invoke < two calls; two calls < a
 * message < three calls), so the deadline rules hold in a second instead of in Teams' seconds.
 */
const SHORT_DEADLINES: TurnDeadlines = { invokeMs: 750, messageMs: 1250, connectorCallMs: 500 };
/** Run a describe's tests under SHORT_DEADLINES. */
function withShortDeadlines(): void {
  beforeAll(() => (deadlines = SHORT_DEADLINES));
  afterAll(() => (deadlines = undefined));
}

beforeAll(async () => {
  connector = await startTeamsConnector();
});
afterAll(() => connector.close());

beforeEach(async () => {
  connector.calls.length = 0;
  connector.pageSize = 100;
  connector.fault = undefined;
  connector.roster(TEAM_ID, Object.values(PEOPLE));
  t = await startTestApp({}, { deadlines });
  where = whereFor(TENANT, connector.url);
});
// Closing waits for turns still running past their deadline.
afterEach(() => t.close());

async function post(activity: unknown, authorization?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function install(): Promise<void> {
  expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
  await rosterSynced();
  connector.calls.length = 0;
}

/** Waits until the board's roster sync, which runs after the install is answered, is done as the store records it. */
async function rosterSynced(boardId = TEAM_ID, deadlineMs = 30_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await t.app.store.boards.get(TENANT, boardId))?.rosterSync?.done) {
    if (Date.now() > until) throw new Error(`the roster of ${boardId} was not synced within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function credits() {
  return (await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: lee.aadObjectId, limit: 100 })).items;
}

/** Every piece of text a card shows, with the element type that shows it. */
const texts = (card: any): Array<[string, string]> => cardTexts(card).map(({ element, text }) => [element, text]);
const cardText = (card: any) => texts(card).map(([, s]) => s).join('\n');
/** What people in the conversation read: the texts and card texts the bot posted there. */
const readIn = (calls: ConnectorCall[]) => calls.flatMap((c) => [c.body?.text ?? '', ...cardsOf(c.body).map(cardText)]).join('\n');
const NO_LEAD = 'This board has no lead yet: whoever adds Noticed to the team, or a Teams admin re-adding it, becomes its lead.';

describe('install and roster', () => {
  test('adding Noticed to a team creates the board, syncs every roster page, makes the installer lead and welcomes', async () => {
    connector.pageSize = 2;
    expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
    await rosterSynced();
    const board = await t.app.store.boards.get(TENANT, TEAM_ID);
    expect(board?.name).toBe('Launch Crew');
    // Kept so Noticed can post to the team later without being spoken to.
    expect(board?.conversationReference).toMatchObject({ serviceUrl: connector.url, conversation: { id: expect.stringContaining(TEAM_ID) }, bot: { id: BOT.id } });
    const members = await t.app.store.members.list(TENANT, TEAM_ID);
    expect(members.map((m) => m.name).sort()).toEqual(['Ana López', "Ben O'Neil", 'Cy Park', 'Lee Lead', 'Đức Nguyễn']);
    expect(members.filter((m) => m.role === 'lead').map((m) => m.name)).toEqual(['Lee Lead']);
    // Roster calls go to the team, not to the channel conversation.
    expect(connector.calls.filter((c) => c.path.endsWith('/pagedmembers')).every((c) => c.path.startsWith(`/v3/conversations/${TEAM_ID}/`))).toBe(true);
    expect(connector.calls.filter((c) => c.path.endsWith('/pagedmembers'))).toHaveLength(3);
    expect(cardText(connector.cards()[0])).toContain('Noticed is here for Launch Crew');
  });

  test('the welcome card names the installer from the roster: the install event carries no name', async () => {
    const nameless = { id: lee.id, aadObjectId: lee.aadObjectId } as typeof lee;
    await post(botInstalledInTeam(where, nameless));
    expect(cardText(connector.cards()[0])).toContain('Lee Lead added Noticed and leads this board');
    expect((await t.app.store.members.get(TENANT, TEAM_ID, lee.aadObjectId))?.role).toBe('lead');
  });

  // What reaches Noticed first in a team or chat whose install event was missed.
  const firstWords: Array<[string, () => unknown, string]> = [
    ['a credit in a channel', () => channelMessage(where, ana, [BOT, ' credit ', ben, ' for covering my shift']), TEAM_ID],
    ['board in a channel', () => channelMessage(where, ana, [BOT, ' board']), TEAM_ID],
    ['the message extension opened', () => fetchTask(where, ana, sourceMessage(where, ben)), TEAM_ID],
    ['a credit in a group chat', () => groupChatMessage(where, GROUP_CHAT_ID, ana, [BOT, ' credit ', ben, ' for the notes']), GROUP_CHAT_ID],
  ];
  test.each(firstWords)('speaking first grants no lead rights: %s', async (_name, first, boardId) => {
    connector.roster(GROUP_CHAT_ID, [ana, ben, cy]);
    expect((await post(first())).status).toBe(200);
    expect((await t.app.store.members.list(TENANT, boardId)).map((m) => [m.name, m.role])).toContainEqual(['Ana López', 'member']);
    expect((await t.app.store.members.list(TENANT, boardId)).filter((m) => m.role === 'lead')).toEqual([]);
    connector.calls.length = 0;
    await post(boardId === TEAM_ID ? channelMessage(where, ana, [BOT, ' missed']) : groupChatMessage(where, GROUP_CHAT_ID, ana, [BOT, ' missed']));
    expect(connector.texts()).toEqual([NO_LEAD]);
    expect(connector.cards()).toEqual([]);
    expect(connector.calls.filter((c) => c.path === '/v3/conversations')).toHaveLength(0);
  });

  // More board credits this week than a feed page holds, some private ones, and one older than the week.
  const boardCounts: Array<[string, number, number, string[]]> = [
    ['a busy week', 130, 3, ['Launch Crew: 130 credits in the last 7 days', '104 of 130 for behind-the-scenes work']],
    ['a quiet week', 2, 1, ['Launch Crew: 2 credits in the last 7 days', '1 of 2 for behind-the-scenes work']],
  ];
  test.each(boardCounts)('the board card counts every board credit of the week and never a private one: %s', async (_name, boardCredits, privateCredits, lines) => {
    await install();
    const DAY = 86_400_000;
    const given = (n: number, visibility: 'board' | 'private', at: number) =>
      t.app.store.recognitions.create({
        id: `seed-${visibility}-${n}`, tenantId: TENANT, boardId: TEAM_ID, giver: { userId: ana.aadObjectId, name: ana.name },
        recipients: [{ userId: ben.aadObjectId, name: ben.name }], kind: n % 5 === 0 ? 'delivered' : 'enabled',
        message: visibility === 'private' ? `secret thanks ${n}` : `covered the release ${n}`, source: 'api', visibility, createdAt: new Date(at).toISOString(), endorsements: [],
      });
    // Spread over the week, the oldest a minute inside it, so the week's first, partial day is counted too.
    for (let n = 0; n < boardCredits; n++) await given(n, 'board', Date.now() - 7 * DAY + 60_000 + Math.floor((n * (7 * DAY - 120_000)) / boardCredits));
    for (let n = 0; n < privateCredits; n++) await given(n, 'private', Date.now() - n * DAY - 1000);
    await given(999, 'board', Date.now() - 8 * DAY);
    await post(channelMessage(where, ana, [BOT, ' board']));
    const text = cardText(connector.cards()[0]);
    for (const line of lines) expect(text).toContain(line);
    expect(text).not.toMatch(/secret thanks/);
    expect(text).not.toContain(`${boardCredits + privateCredits} credits`);
  });

  test('a board without a lead says so on its board card', async () => {
    await post(channelMessage(where, ana, [BOT, ' board']));
    expect(cardText(connector.cards()[0])).toContain(NO_LEAD);
  });

  test('an install event that arrives after the first message makes its installer lead, and welcomes', async () => {
    await post(channelMessage(where, ana, [BOT, ' credit ', ben, ' for covering my shift']));
    connector.calls.length = 0;
    await post(botInstalledInTeam(where, { id: lee.id, aadObjectId: lee.aadObjectId } as typeof lee));
    expect((await t.app.store.members.list(TENANT, TEAM_ID)).filter((m) => m.role === 'lead').map((m) => m.name)).toEqual(['Lee Lead']);
    expect(cardText(connector.cards()[0])).toContain('Lee Lead added Noticed and leads this board');
    connector.calls.length = 0;
    await post(channelMessage(where, lee, [BOT, ' missed']));
    expect(connector.texts()).toEqual(["I've sent you the list in our private chat."]);
  });

  test('installing twice welcomes once and keeps the lead', async () => {
    await install();
    await post(botInstalledInTeam(where, ana));
    expect(connector.cards()).toHaveLength(0);
    expect((await t.app.store.members.get(TENANT, TEAM_ID, lee.aadObjectId))?.role).toBe('lead');
    expect((await t.app.store.members.get(TENANT, TEAM_ID, ana.aadObjectId))?.role).toBe('member');
  });

  test('members added and removed, and a team rename, keep the board current', async () => {
    const newcomer = { id: '29:1NewHire', aadObjectId: 'f6f6f6f6-0000-4000-8000-000000000006', name: 'Noor Haddad' };
    connector.roster(TEAM_ID, [...Object.values(PEOPLE), newcomer]);
    await install();
    await post(membersChanged(where, lee, 'added', [newcomer]));
    expect((await t.app.store.members.get(TENANT, TEAM_ID, newcomer.aadObjectId))?.name).toBe('Noor Haddad');
    await post(membersChanged(where, lee, 'removed', [cy]));
    expect((await t.app.store.members.list(TENANT, TEAM_ID)).map((m) => m.name)).not.toContain('Cy Park');
    await post(teamRenamed(where, lee, 'Launch Crew 2027'));
    expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.name).toBe('Launch Crew 2027');
  });

  test('a group chat is its own board, with its members as roster', async () => {
    connector.roster(GROUP_CHAT_ID, [ana, ben, cy]);
    const res = await post(groupChatMessage(where, GROUP_CHAT_ID, ana, [BOT, ' credit ', ben, ' for the release notes #docs']));
    expect(res.status).toBe(200);
    const page = await t.app.store.recognitions.page({ tenantId: TENANT, boardId: GROUP_CHAT_ID, viewerId: ana.aadObjectId, limit: 10 });
    expect(page.items.map((r) => [r.kind, r.recipients[0].name])).toEqual([['improved', "Ben O'Neil"]]);
  });
});

describe('installing into a team of 5,000', () => {
  /** The team's people as Teams lists them: the fixtures' five, then generated colleagues. */
  const crowd = (size: number): TeamsMember[] => [
    ...Object.values(PEOPLE),
    ...Array.from({ length: size - Object.keys(PEOPLE).length }, (_, i) => {
      const n = String(i).padStart(6, '0');
      return { id: `29:1Crowd${n}`, aadObjectId: `f0${n}-0000-4000-8000-000000000000`, name: `Colleague ${n}`, email: `colleague.${n}@contoso.com` };
    }),
  ];
  const pageCalls = () => connector.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/pagedmembers'));
  const roster = () => t.app.store.members.list(TENANT, TEAM_ID, { includeLeft: true });

  /** Polls the store until the board has this many members on its roster, or the deadline passes. */
  async function membersReach(count: number, deadlineMs = 30_000): Promise<void> {
    const until = Date.now() + deadlineMs;
    while ((await t.app.store.members.list(TENANT, TEAM_ID)).length < count) {
      if (Date.now() > until) throw new Error(`fewer than ${count} members after ${deadlineMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeEach(() => {
    connector.pageSize = 500;
    connector.roster(TEAM_ID, crowd(5000));
  });

  test('the install answers before the roster is complete, a redelivery neither welcomes nor syncs again, and every page lands in bulk', async () => {
    const writesOne = jest.spyOn(t.app.store.members, 'put');
    const started = performance.now();
    expect((await post(botInstalledInTeam(where, { id: lee.id, aadObjectId: lee.aadObjectId } as typeof lee))).status).toBe(200);
    const answeredMs = performance.now() - started;
    const atAnswer = { members: (await roster()).length, pages: pageCalls().length };
    // Teams redelivers the install (with a new activity id) while the first sync still runs.
    expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);

    await membersReach(5000);
    await rosterSynced();
    const syncedMs = performance.now() - started;
    expect(atAnswer.members).toBeLessThan(5000);
    expect(atAnswer.pages).toBeLessThan(10);
    expect(pageCalls()).toHaveLength(10);
    expect(pageCalls().every((c) => c.path === `/v3/conversations/${TEAM_ID}/pagedmembers`)).toBe(true);
    expect(connector.cards().map((card) => cardText(card)).filter((text) => text.includes('Noticed is here for Launch Crew'))).toHaveLength(1);
    expect(cardText(connector.cards()[0])).toContain('Lee Lead added Noticed and leads this board');
    const members = await roster();
    expect([members.length, members.filter((m) => m.leftAt).length]).toEqual([5000, 0]);
    expect(members.filter((m) => m.role === 'lead').map((m) => m.name)).toEqual(['Lee Lead']);
    // Written one by one: the installer at each delivery, and their lead rights; never the roster.
    expect(writesOne.mock.calls.length).toBeLessThanOrEqual(3);
    process.stdout.write(`install of 5,000 on SQLite: answered in ${answeredMs.toFixed(0)} ms, roster complete in ${syncedMs.toFixed(0)} ms\n`);
  }, 60_000);

  describe('when Teams fails a page', () => {
    // A page Teams fails or holds costs a connector call's deadline: botbuilder retries it until then.
    withShortDeadlines();

    test('a message before the install waits for the first page only; the rest follows in the background and the install finishes it', async () => {
      let pages = 0;
      // Teams holds every page after the first: a turn that read the whole roster would not answer with the credit.
      connector.fault = (call) => (call.path.endsWith('/pagedmembers') && ++pages > 1 ? 'stall' : undefined);
      expect((await post(channelMessage(where, ana, [BOT, ' credit ', ben, ' for covering my shift']))).status).toBe(200);
      expect(connector.cards().map((card) => cardText(card)).filter((text) => text.includes('covering my shift'))).toHaveLength(1);
      expect((await credits()).map((r) => r.recipients.map((p) => p.name))).toEqual([["Ben O'Neil"]]);
      await t.app.rosters.idle();
      const cut = await roster();
      expect([cut.length, cut.filter((m) => m.role === 'lead').length]).toEqual([500, 0]);
      expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.rosterSync).toMatchObject({ done: false, continuationToken: '500' });

      connector.fault = undefined;
      expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
      await rosterSynced();
      const after = await roster();
      expect([after.length, after.filter((m) => m.leftAt).length, after.filter((m) => m.role === 'lead').map((m) => m.name)]).toEqual([5000, 0, ['Lee Lead']]);
    });

    test('a sync Teams cuts after page 3 marks no one as left, and the next install finishes it from page 4', async () => {
      await install();
      let pages = 0;
      // Teams fails every page after the third, its retries included.
      connector.fault = (call) => (call.path.endsWith('/pagedmembers') && ++pages > 3 ? 503 : undefined);
      expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
      await t.app.rosters.idle();
      const cut = await roster();
      expect([cut.length, cut.filter((m) => m.leftAt).map((m) => m.name)]).toEqual([5000, []]);
      expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.rosterSync).toMatchObject({ done: false, continuationToken: '1500' });

      // Teams is back, and the last colleague has left the team meanwhile.
      connector.fault = undefined;
      connector.roster(TEAM_ID, crowd(5000).slice(0, -1));
      connector.calls.length = 0;
      expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
      await rosterSynced();
      expect(pageCalls()).toHaveLength(7);
      const after = await roster();
      expect([after.length, after.filter((m) => m.leftAt).map((m) => m.name)]).toEqual([5000, ['Colleague 004994']]);
      expect(after.filter((m) => m.role === 'lead').map((m) => m.name)).toEqual(['Lee Lead']);
      expect(connector.cards()).toEqual([]);
    });
  });
});

describe('credit in chat', () => {
  test('credit two people with a hashtag: one card, one credit, the kind from the hashtag', async () => {
    await install();
    const res = await post(channelMessage(where, lee, [BOT, ' credit ', ana, ' and ', dee, ' for catching the migration bug before release #caught']));
    expect(res.status).toBe(200);
    const [rec] = await credits();
    expect(rec).toMatchObject({ kind: 'prevented', source: 'bot', message: 'catching the migration bug before release', giver: { userId: lee.aadObjectId, name: 'Lee Lead' } });
    expect(rec.recipients.map((r) => r.name)).toEqual(['Ana López', 'Đức Nguyễn']);
    const cards = connector.cards();
    expect(cards).toHaveLength(1);
    expect(cards[0].version).toBe('1.5');
    expect(cardText(cards[0])).toContain('Lee Lead credited Ana López and Đức Nguyễn');
    expect(cards[0].actions.map((a: any) => [a.type, a.verb])).toEqual([['Action.Execute', 'endorse']]);
  });

  test('without a hashtag the kind is suggested from the text', async () => {
    await install();
    await post(channelMessage(where, ana, [BOT, ' thanks ', ben, ' for automating the weekly report']));
    expect((await credits())[0].kind).toBe('improved');
  });

  // What a person typed, as Teams puts it into activity.text, and the words Noticed keeps.
  const typed: Array<[string, string, string]> = [
    ['Markdown and a script tag', '**this** [link](https://evil.example) <script>x</script>', '**this** [link](https://evil.example) <script>x</script>'],
    ['a placeholder in angle brackets', 'fixing the <data> pipeline', 'fixing the <data> pipeline'],
    ['comparisons', 'proving x<y, z>w', 'proving x<y, z>w'],
    ['a component name', 'the <Select> rewrite', 'the <Select> rewrite'],
    ['entities, decoded once', 'R&amp;D &amp;lt;3', 'R&D &lt;3'],
  ];
  test.each(typed)("people's words are kept and shown as text: %s", async (_name, text, kept) => {
    await install();
    await post(channelMessage(where, ana, [BOT, ' kudos ', ben, ` for ${text}`]));
    expect((await credits()).map((r) => r.message)).toEqual([kept]);
    const shown = texts(connector.cards()[0]);
    expect(shown).toContainEqual(['TextRun', kept]);
    // TextBlocks read Markdown: user text never goes into one.
    expect(shown.filter(([type, s]) => type === 'TextBlock' && s.includes(kept))).toEqual([]);
  });

  const refusals: Array<[string, () => Array<string | typeof ana | typeof BOT>, RegExp]> = [
    ['crediting yourself', () => [BOT, ' credit ', ana, ' for my own work'], /cannot credit yourself/],
    ['crediting the bot', () => [BOT, ' credit ', BOT, ' for being fast'], /^Noticed is a bot\. Credit the people behind it\.$/],
    ['crediting another bot', () => [BOT, ' credit ', { id: '28:other-bot', name: 'Polly', aadObjectId: '' } as typeof ana, ' for polling'], /is a bot/],
    ['no one mentioned', () => [BOT, ' credit for the cake'], /Mention who you want to credit/],
    ['no reason', () => [BOT, ' credit ', ben], /Say what they did/],
    ['text over the limit', () => [BOT, ' credit ', ben, ` for ${'x'.repeat(1001)}`], /under 1000 characters/],
    ['someone outside the team', () => [BOT, ' credit ', { id: '29:1Stranger', aadObjectId: '99999999-0000-4000-8000-000000000009', name: 'Stranger' }, ' for help'], /can't find Stranger/],
  ];
  test.each(refusals)('%s is refused kindly and writes nothing', async (_name, parts, reply) => {
    await install();
    const res = await post(channelMessage(where, ana, parts()));
    expect(res.status).toBe(200);
    expect(connector.texts().join('\n')).toMatch(reply);
    expect(connector.cards()).toHaveLength(0);
    expect(await credits()).toHaveLength(0);
  });

  test('the same activity delivered twice records one credit and posts one card', async () => {
    await install();
    const activity = channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook'], '1732999000111');
    await post(activity);
    await post(activity);
    expect(await credits()).toHaveLength(1);
    expect(connector.cards()).toHaveLength(1);
  });

  test('a message before the install event still finds its board', async () => {
    const res = await post(channelMessage(where, ana, [BOT, ' credit ', ben, ' for covering my shift']));
    expect(res.status).toBe(200);
    expect(await credits()).toHaveLength(1);
    const board = await t.app.store.boards.get(TENANT, TEAM_ID);
    expect(board?.name).toBe('Launch Crew');
    expect(board?.conversationReference).toMatchObject({ serviceUrl: connector.url, conversation: { id: expect.stringContaining(TEAM_ID) } });
  });

  test('unknown commands get a short help card', async () => {
    await install();
    await post(channelMessage(where, ana, [BOT, ' dance']));
    expect(cardText(connector.cards()[0])).toMatch(/didn't catch that[\s\S]*credit @Ana for/);
  });
});

describe('cards keep working', () => {
  async function giveOne(text = ' for closing the Contoso deal #win') {
    await install();
    await post(channelMessage(where, lee, [BOT, ' credit ', ana, text]));
    const [rec] = await credits();
    connector.calls.length = 0;
    return rec;
  }

  test('I saw this too: endorses, refreshes the card with the count, once per person', async () => {
    const rec = await giveOne();
    const click = (who: typeof ben) => post(cardAction(where, who, 'endorse', { boardId: TEAM_ID, creditId: rec.id }));
    const first = await click(ben);
    expect(first.status).toBe(200);
    expect(first.body.type).toBe('application/vnd.microsoft.card.adaptive');
    // The clicker sees their own view; everyone else's copy is updated with the count.
    expect(cardText(first.body.value)).toContain('You saw this too');
    expect(cardText((await click(ben)).body.value)).toContain('You saw this too');
    expect(cardText((await click(cy)).body.value)).toContain('You and 1 other person saw this too');
    expect((await t.app.store.recognitions.get(TENANT, TEAM_ID, rec.id))?.endorsements.map((e) => e.name)).toEqual(["Ben O'Neil", 'Cy Park']);
    const updates = connector.calls.filter((c) => c.method === 'PUT' && c.path.endsWith('/activities/act-card'));
    expect(updates).toHaveLength(3);
    expect(cardText(updates[2].body.attachments[0].content)).toContain('2 people saw this too');
    expect(updates[2].body.attachments[0].content.actions.map((a: any) => a.verb)).toContain('endorse');
  });

  test('the giver cannot endorse their own credit; card data cannot point at another board', async () => {
    const rec = await giveOne();
    const own = await post(cardAction(where, lee, 'endorse', { boardId: TEAM_ID, creditId: rec.id }));
    expect(own.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(/part of this credit/) });
    const forged = await post(cardAction(where, ben, 'endorse', { boardId: 'some-other-board', creditId: rec.id }));
    expect(forged.body.type).toBe('application/vnd.microsoft.activity.message');
    expect((await t.app.store.recognitions.get(TENANT, TEAM_ID, rec.id))?.endorsements).toEqual([]);
  });

  test('Who made this possible? names the helpers and links their credit to the win', async () => {
    const win = await giveOne();
    const card = connector.calls.length === 0 ? undefined : connector.cards()[0];
    expect(card).toBeUndefined();
    const form = await post(cardAction(where, ana, 'inspireForm', { boardId: TEAM_ID, creditId: win.id }));
    const people = form.body.value.body.find((b: any) => b.id === 'people');
    expect(people.choices.map((c: any) => c.title)).toEqual(expect.arrayContaining(["Ben O'Neil", 'Cy Park']));
    expect(people.choices.map((c: any) => c.title)).not.toContain('Ana López');
    const submitData = { ...form.body.value.actions[0].data, people: `${ben.aadObjectId},${cy.aadObjectId}`, message: 'Set up the demo data the night before', kind: 'enabled' };
    await post(cardAction(where, ana, 'inspireSubmit', submitData));
    // Teams retries the invoke with a new activity id: still one linked credit.
    await post(cardAction(where, ana, 'inspireSubmit', submitData));
    const linked = (await credits()).filter((r) => r.inspiredBy === win.id);
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ kind: 'enabled', giver: { name: 'Ana López' } });
    expect(linked[0].recipients.map((r) => r.name)).toEqual(["Ben O'Neil", 'Cy Park']);
    expect(connector.cards()).toHaveLength(1);
  });

  const offered: Array<[string, 'ana' | 'ben' | 'lee', string[]]> = [
    ['the person the win credits: everyone else', 'ana', ["Ben O'Neil", 'Cy Park', 'Lee Lead', 'Đức Nguyễn']],
    ['a teammate: not themselves, not the person the win credits', 'ben', ['Cy Park', 'Lee Lead', 'Đức Nguyễn']],
    ['the giver of the win: not themselves, not the person it credits', 'lee', ["Ben O'Neil", 'Cy Park', 'Đức Nguyễn']],
  ];
  test.each(offered)('Who made this possible? offers %s', async (_name, clicker, names) => {
    const win = await giveOne();
    const form = await post(cardAction(where, PEOPLE[clicker], 'inspireForm', { boardId: TEAM_ID, creditId: win.id }));
    const people = form.body.value.body.find((b: any) => b.id === 'people');
    expect(people.choices.map((c: any) => c.title).sort()).toEqual(names);
  });

  test('only delivered credits ask who made them possible', async () => {
    await giveOne(' for the docs #docs');
    await install();
    const rec = (await credits())[0];
    expect(rec.kind).toBe('improved');
    const { body } = await post(cardAction(where, ben, 'refresh', { boardId: TEAM_ID, creditId: rec.id }));
    expect(body.value.actions.map((a: any) => a.verb)).toEqual(['endorse']);
  });
});

describe('message extension', () => {
  test('Give credit on a message: a form prefilled with the author, then one credit with the message as evidence', async () => {
    await install();
    const fetched = await post(fetchTask(where, lee, sourceMessage(where, ana)));
    expect(fetched.status).toBe(200);
    const form = fetched.body.task.value.card.content;
    const people = form.body.find((b: any) => b.id === 'people');
    expect(people.value).toBe(ana.aadObjectId);
    expect(form.body.find((b: any) => b.id === 'kind').value).toBe('prevented');
    expect(cardText(form)).toContain("I spotted that the invoice template was using last year's tax rate");
    const data = { ...form.actions[0].data, people: ana.aadObjectId, message: 'Fixed the tax rate before the invoice run', kind: 'prevented', private: 'false' };
    const submitted = await post(submitAction(where, lee, sourceMessage(where, ana), data, 'inv-1'));
    expect(submitted.status).toBe(200);
    // A body Teams accepts for submitAction: the dialog closes on a confirmation, not on an empty object.
    expect(submitted.body).toEqual({ task: { type: 'message', value: 'Credit posted for Ana López.' } });
    expect((await post(submitAction(where, lee, sourceMessage(where, ana), data, 'inv-2-redelivered'))).body).toEqual(submitted.body);
    const all = await credits();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ source: 'message-extension', kind: 'prevented', evidence: { type: 'teams-message', url: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/message\//) } });
    expect(connector.cards()).toHaveLength(1);
  });

  test('a private credit reaches its recipient in a personal chat and the giver in the dialog, never the channel', async () => {
    await install();
    const secret = 'Talked me through the outage at 3am';
    const form = (await post(fetchTask(where, lee, sourceMessage(where, ana)))).body.task.value.card.content;
    connector.calls.length = 0;
    const data = { ...form.actions[0].data, people: ana.aadObjectId, message: secret, kind: 'sustained', private: 'true' };
    const submitted = await post(submitAction(where, lee, sourceMessage(where, ana), data));
    expect(submitted.body).toEqual({ task: { type: 'message', value: 'Credit sent privately to Ana López: only you and them can see it.' } });
    expect((await credits()).map((r) => [r.message, r.visibility])).toEqual([[secret, 'private']]);
    expect(connector.calls.filter((c) => c.method !== 'GET' && c.path.startsWith(`/v3/conversations/${TEAM_ID}`))).toEqual([]);
    expect(connector.calls.filter((c) => c.path === '/v3/conversations').map((c) => c.body.members.map((m: { id: string }) => m.id))).toEqual([[ana.id]]);
    const personal = connector.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/v3/conversations/a:personal'));
    expect(personal.map((c) => cardText(cardsOf(c.body)[0]))).toEqual([expect.stringContaining(secret)]);
  });

  test('kind choices are the short labels Teams shows in full', async () => {
    await install();
    const form = (await post(fetchTask(where, lee, sourceMessage(where, ana)))).body.task.value.card.content;
    await post(channelMessage(where, lee, [BOT, ' credit ', ana, ' for closing the Contoso deal #win']));
    const [win] = await credits();
    const inspire = (await post(cardAction(where, ben, 'inspireForm', { boardId: TEAM_ID, creditId: win.id }))).body.value;
    const labels = ['🤝 Made it possible', '🛡️ Caught it early', '🛠️ Improved how we work', '🌱 Kept us going', '🏆 Delivered the win'];
    for (const card of [form, inspire]) expect(card.body.find((b: any) => b.id === 'kind').choices.map((c: any) => c.title)).toEqual(labels);
  });

  const excerpts: Array<[string, string, string]> = [
    ['a short message whole', 'Fixed the build before the demo', 'Fixed the build before the demo'],
    ['a long message cut at 280 characters with an ellipsis', 'a'.repeat(300), `${'a'.repeat(279)}…`],
    ['an emoji at the cut kept whole, never half a character', `${'a'.repeat(276)}${'🎉'.repeat(10)}`, `${'a'.repeat(276)}🎉🎉🎉…`],
  ];
  test.each(excerpts)('the form quotes %s', async (_name, message, excerpt) => {
    await install();
    const form = (await post(fetchTask(where, lee, messagePayload(where, ana, `<p>${message}</p>`)))).body.task.value.card.content;
    expect(texts(form)).toContainEqual(['TextRun', excerpt]);
  });

  test('someone Teams does not list in the conversation gets no form, and no name from the roster', async () => {
    await install();
    const stranger = { id: '29:1SamStranger', aadObjectId: 'f6f6f6f6-0000-4000-8000-000000000006', name: 'Sam Stranger' };
    const res = await post(fetchTask(where, stranger, sourceMessage(where, ana)));
    expect(res.body).toEqual({ task: { type: 'message', value: 'That board does not exist or you are not on it.' } });
    for (const person of Object.values(PEOPLE)) expect(JSON.stringify(res.body)).not.toContain(person.name);
  });

  test('a refused submission explains why and writes nothing', async () => {
    await install();
    const res = await post(submitAction(where, ana, sourceMessage(where, ana), { people: ana.aadObjectId, message: 'me again', formKey: 'k1' }));
    expect(res.body.task).toEqual({ type: 'message', value: expect.stringMatching(/cannot credit yourself/) });
    expect(await credits()).toHaveLength(0);
  });
});

describe('board, mine, missed, help', () => {
  beforeEach(async () => {
    await install();
    await post(channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook #docs']));
    await post(channelMessage(where, ben, [BOT, ' thanks ', ana, ' for staying late #helped']));
    connector.calls.length = 0;
  });

  test('board shows the last 7 days by kind', async () => {
    await post(channelMessage(where, cy, [BOT, ' board']));
    const text = cardText(connector.cards()[0]);
    expect(text).toContain('Launch Crew: 2 credits in the last 7 days');
    expect(text).toContain('2 of 2 for behind-the-scenes work');
  });

  test('mine shows what I received and gave', async () => {
    await post(personalMessage(where, ana, 'mine'));
    const text = cardText(connector.cards()[0]);
    expect(text).toContain('You received 1 credit');
    expect(text).toContain("to Ben O'Neil: the runbook");
  });

  test('missed: a lead gets the unnoticed list privately, never in the channel', async () => {
    await post(channelMessage(where, lee, [BOT, ' missed']));
    const created = connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(created).toHaveLength(1);
    expect(created[0].body.members[0].id).toBe(lee.id);
    const personal = connector.calls.filter((c) => c.path.startsWith('/v3/conversations/a:personal'));
    expect(cardText(personal[0].body.attachments[0].content)).toMatch(/2 of 5 people credited[\s\S]*Cy Park[\s\S]*Đức Nguyễn/);
    const inChannel = connector.calls.filter((c) => c.path.startsWith(`/v3/conversations/${TEAM_ID}`) && c.method === 'POST');
    expect(inChannel.map((c) => c.body.text)).toEqual(["I've sent you the list in our private chat."]);
  });

  test('missed is refused to members', async () => {
    await post(channelMessage(where, cy, [BOT, ' missed']));
    expect(connector.texts()).toEqual(['Only the leads of this board can ask who has gone unnoticed.']);
    expect(connector.calls.filter((c) => c.path === '/v3/conversations')).toHaveLength(0);
  });

  test('help', async () => {
    await post(personalMessage(where, cy, 'help'));
    expect(cardText(connector.cards()[0])).toContain('Noticed makes behind-the-scenes work visible');
  });
});

describe('private credits never reach a shared conversation', () => {
  const SECRET = 'Covered for me during the hospital visit';
  const privateIds: Record<string, string> = {};
  const giveAsApi = async (boardId: string, from: typeof ana, body: Record<string, unknown>) => {
    const res = await t.call('POST', `/api/v1/boards/${boardId}/recognitions`, { token: await t.token({ oid: from.aadObjectId, name: from.name }), body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const sharedCalls = (conversationId: string) => connector.calls.filter((c) => c.method !== 'GET' && c.path.startsWith(`/v3/conversations/${conversationId}`));

  beforeEach(async () => {
    connector.roster(GROUP_CHAT_ID, [ana, ben, cy]);
    await install();
    // A board credit in each conversation, so the answers there are not simply empty.
    await post(channelMessage(where, cy, [BOT, ' credit ', dee, ' for the release checklist #docs']));
    await post(groupChatMessage(where, GROUP_CHAT_ID, cy, [BOT, ' credit ', ana, ' for the release checklist #docs']));
    for (const boardId of [TEAM_ID, GROUP_CHAT_ID]) {
      privateIds[boardId] = await giveAsApi(boardId, ana, { recipients: [{ userId: ben.aadObjectId }], message: SECRET, kind: 'sustained', visibility: 'private' });
    }
    // Ben is told of the API's private credits in his personal chat, after the answers: that is done before the asks.
    await t.app.creditNotices.settled();
    connector.calls.length = 0;
  });

  // Asked in a team channel or group chat by the private credit's giver (Ana) or recipient (Ben).
  const asks: Array<[string, () => unknown, string, RegExp]> = [
    ['board in the channel, asked by the giver', () => channelMessage(where, ana, [BOT, ' board']), TEAM_ID, /Launch Crew: 1 credit in the last 7 days\n1 of 1 for behind-the-scenes work\n🛠️ Improved how we work: 1\n/],
    ['board in the channel, asked by the recipient', () => channelMessage(where, ben, [BOT, ' board']), TEAM_ID, /Launch Crew: 1 credit in the last 7 days/],
    ['mine in the channel, asked by the giver', () => channelMessage(where, ana, [BOT, ' mine']), TEAM_ID, /You received 0 credits[\s\S]*You gave 0[\s\S]*message me mine in our personal chat/],
    ['mine in the channel, asked by the recipient', () => channelMessage(where, ben, [BOT, ' mine']), TEAM_ID, /You received 0 credits[\s\S]*You gave 0/],
    ['board in the group chat, asked by the giver', () => groupChatMessage(where, GROUP_CHAT_ID, ana, [BOT, ' board']), GROUP_CHAT_ID, /: 1 credit in the last 7 days/],
    ['mine in the group chat, asked by the giver', () => groupChatMessage(where, GROUP_CHAT_ID, ana, [BOT, ' mine']), GROUP_CHAT_ID, /You received 1 credit\n[\s\S]*You gave 0/],
    ['mine in the group chat, asked by the recipient', () => groupChatMessage(where, GROUP_CHAT_ID, ben, [BOT, ' mine']), GROUP_CHAT_ID, /You received 0 credits[\s\S]*You gave 0/],
  ];
  test.each(asks)('%s: no text, name, kind, count or id of a private credit', async (_name, ask, conversationId, shows) => {
    await post(ask());
    const shared = sharedCalls(conversationId);
    expect(readIn(shared)).toMatch(shows);
    // The reply activities name the asker as their recipient, so names are looked for only in what people read.
    expect(readIn(shared)).not.toMatch(/Ben O'Neil|Kept us going|🌱|hospital/);
    const raw = JSON.stringify(shared.map((c) => c.body));
    for (const leak of [SECRET, privateIds[TEAM_ID], privateIds[GROUP_CHAT_ID]]) expect(raw).not.toContain(leak);
    expect(connector.calls.filter((c) => c.path === '/v3/conversations')).toHaveLength(0);
  });

  test('mine in the personal chat lists the private credits too', async () => {
    await post(personalMessage(where, ben, 'mine'));
    const text = cardText(connector.cards()[0]);
    expect(text).toMatch(/You received 2 credits/);
    expect(text).toContain(`from Ana López: ${SECRET}`);
    expect(text).not.toContain('message me mine');
  });

  // Card buttons pointed at the private credit by someone it does not name, from the channel.
  const clicks: Array<[string, Record<string, unknown>]> = [
    ['endorse', {}],
    ['refresh', {}],
    ['inspireForm', {}],
    ['inspireSubmit', { people: dee.aadObjectId, message: 'Set up the demo data', kind: 'enabled', formKey: 'form-1' }],
  ];
  test.each(clicks)('%s on a private credit answers exactly like an unknown id and changes nothing', async (verb, extra) => {
    const click = (creditId: string) => post(cardAction(where, cy, verb, { boardId: TEAM_ID, creditId, ...extra }));
    const unknown = await click('no-such-credit');
    const hidden = await click(privateIds[TEAM_ID]);
    expect(hidden).toEqual(unknown);
    expect(hidden.status).toBe(200);
    expect(sharedCalls(TEAM_ID)).toEqual([]);
    expect((await t.app.store.recognitions.get(TENANT, TEAM_ID, privateIds[TEAM_ID]))?.endorsements).toEqual([]);
    expect((await credits()).map((r) => r.message)).toEqual(['the release checklist']);
  });

  test('a lead sees private credits only inside counts, never listed', async () => {
    await post(channelMessage(where, lee, [BOT, ' missed']));
    const personal = connector.calls.filter((c) => c.path.startsWith('/v3/conversations/a:personal'));
    const text = readIn(personal);
    // Ben, credited privately, counts as credited; nothing of the credit itself is shown.
    expect(text).toMatch(/2 of 5 people credited[\s\S]*Ana López[\s\S]*Lee Lead/);
    expect(text).not.toMatch(/Ben O'Neil|hospital/);
    expect(JSON.stringify(personal.map((c) => c.body))).not.toContain(privateIds[TEAM_ID]);
  });

  test('a chat credit to someone who prefers private credit reaches only them and the giver, in personal chats', async () => {
    const benOnBoard = await t.app.store.members.get(TENANT, TEAM_ID, ben.aadObjectId);
    await t.app.store.members.put({ ...benOnBoard!, prefersPrivate: true });
    await post(channelMessage(where, cy, [BOT, ' thanks ', ben, ' for listening when it was hard']));
    const [rec] = (await t.app.store.recognitions.page({ tenantId: TENANT, boardId: TEAM_ID, viewerId: ben.aadObjectId, giverId: cy.aadObjectId, limit: 10 })).items.filter((r) => r.visibility === 'private');
    expect(rec?.message).toBe('listening when it was hard');
    expect(sharedCalls(TEAM_ID)).toEqual([]);
    const opened = connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(opened.map((c) => c.body.members[0].id).sort()).toEqual([ben.id, cy.id].sort());
    const personal = connector.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/v3/conversations/a:personal'));
    expect(personal.map((c) => cardText(cardsOf(c.body)[0]))).toEqual([expect.stringContaining('listening when it was hard'), expect.stringContaining('listening when it was hard')]);
    // Only its giver and recipient see it and neither may endorse it: no buttons that could only refuse, no refresh.
    for (const c of personal) {
      const card = cardsOf(c.body)[0];
      expect(card.actions.filter((a: any) => a.type === 'Action.Execute')).toEqual([]);
      expect(card.refresh).toBeUndefined();
      expect(cardText(card)).not.toMatch(/saw this/);
    }
  });
});

describe('a stand-up ended while the board changes keeps both changes', () => {
  const standup = async (who: TeamsMember, method: 'GET' | 'POST', since?: string) =>
    t.call(method, `/api/v1/boards/${TEAM_ID}/standup`, { token: await t.token({ oid: who.aadObjectId, name: who.name }), body: since && { since } });
  const board = async () => (await t.app.store.boards.get(TENANT, TEAM_ID))!;
  afterEach(() => jest.restoreAllMocks());

  /** Ends the stand-up as Ana's screen does, with `meanwhile` run after the stand-up has read the board and before it writes. */
  async function endWhile(meanwhile: () => Promise<unknown>): Promise<{ since: string; answer: any }> {
    const { since } = (await standup(ana, 'GET')).body;
    const list = t.app.store.members.list.bind(t.app.store.members);
    // The stand-up reads the roster for its spotlight after reading the board: the other change lands there.
    jest.spyOn(t.app.store.members, 'list').mockImplementationOnce(async (...args) => {
      await meanwhile();
      return list(...args);
    });
    return { since, answer: (await standup(ana, 'POST', since)).body };
  }

  const meanwhile: Array<[string, () => Promise<unknown>, () => Promise<unknown>, unknown]> = [
    ['Teams renames the team', () => post(teamRenamed(where, lee, 'Launch Crew Europe')), async () => (await board()).name, 'Launch Crew Europe'],
    [
      'Noticed is added again and syncs the roster',
      async () => {
        await post(botInstalledInTeam(where, lee));
        await t.app.rosters.idle();
      },
      async () => {
        const sync = (await board()).rosterSync;
        return { done: sync?.done, startedByTheSecondInstall: sync?.startedAt !== firstSyncStartedAt };
      },
      { done: true, startedByTheSecondInstall: true },
    ],
  ];
  let firstSyncStartedAt: string | undefined;
  test.each(meanwhile)('%s', async (_name, change, read, expected) => {
    await install();
    firstSyncStartedAt = (await board()).rosterSync?.startedAt;
    const { answer } = await endWhile(change);
    expect(answer).toEqual({ recorded: true, lastHeldAt: expect.any(String) });
    expect((await board()).standup?.lastAt).toBe(answer.lastHeldAt);
    expect(await read()).toEqual(expected);
  });

  test('the same stand-up ended on two screens at once is recorded once', async () => {
    await install();
    let other: any;
    const { since, answer } = await endWhile(async () => (other = (await standup(ben, 'POST', (await standup(ben, 'GET')).body.since)).body));
    expect([answer.recorded, other.recorded].sort()).toEqual([false, true]);
    expect(answer.lastHeldAt).toBe(other.lastHeldAt);
    expect((await board()).standup?.lastAt).toBe(other.lastHeldAt);
    expect((await standup(ana, 'GET')).body.since).not.toBe(since);
  });
});

test('a failing turn apologises with a correlation id and never shows the error', async () => {
  await install();
  jest.spyOn(t.app.store.recognitions, 'create').mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked at /srv/data'));
  await post(channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook']));
  const [reply] = connector.texts();
  expect(reply).toMatch(/^Sorry, something went wrong on my side\. .*[0-9a-f-]{36}$/);
  expect(reply).not.toMatch(/SQLITE|srv/);
});

test.each([
  ['a member added', () => membersChanged(where, lee, 'added', [PEOPLE.cy])],
  ['a member removed', () => membersChanged(where, lee, 'removed', [PEOPLE.cy])],
  ['the team renamed', () => teamRenamed(where, lee, 'Launch Crew 2027')],
])('%s when the store fails: logged, and no apology posted to a channel where no one typed anything', async (_name, event) => {
  await install();
  jest.spyOn(t.app.store.members, 'put').mockRejectedValue(new Error('SQLITE_IOERR'));
  jest.spyOn(t.app.store.boards, 'put').mockRejectedValue(new Error('SQLITE_IOERR'));
  const res = await post(event());
  jest.restoreAllMocks();
  expect(res.status).toBeLessThan(500);
  expect(connector.sent()).toEqual([]);
});

test('a rename event without its team changes nothing and posts nothing', async () => {
  await install();
  const event: any = teamRenamed(where, lee, 'Launch Crew 2027');
  delete event.channelData.team;
  expect((await post(event)).status).toBe(200);
  expect((await t.app.store.boards.get(TENANT, TEAM_ID))?.name).toBe('Launch Crew');
  expect(connector.sent()).toEqual([]);
});

test('activities from a tenant that is not allowed write nothing', async () => {
  const res = await post(channelMessage({ ...where, tenantId: '33333333-3333-4333-8333-333333333333' }, ana, [BOT, ' credit ', ben, ' for help']));
  expect(res.status).toBe(200);
  expect(connector.texts()[0]).toMatch(/not enabled for your organization/);
  expect(await t.app.store.boards.get('33333333-3333-4333-8333-333333333333', TEAM_ID)).toBeUndefined();
});

describe('Bot Framework authentication, offline against a local key server', () => {
  let keys: BotTokenServer;
  let secured: TestApp;
  beforeAll(async () => {
    keys = await startBotTokenServer();
  });
  afterAll(() => keys.close());
  beforeEach(async () => {
    // botframework-connector prints every token it rejects with console.error; the tests assert the 401s.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    // Outbound tokens come from Entra, which is not reachable here: a fixed bearer stands in.
    class OfflineCredentials extends PasswordServiceClientCredentialFactory {
      override async createCredentials() {
        return { signRequest: async (request: any) => (request.headers.set('authorization', 'Bearer outbound-test'), request) };
      }
    }
    const auth = new ConfigurationBotFrameworkAuthentication(
      { MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: 'unused', MicrosoftAppTenantId: TENANT, MicrosoftAppType: 'SingleTenant', ToBotFromChannelOpenIdMetadataUrl: keys.openIdUrl, ToBotFromChannelTokenIssuer: keys.issuer },
      new OfflineCredentials(BOT_APP_ID, 'unused', TENANT),
    );
    secured = await startTestApp({ BOT_ID: BOT_APP_ID, BOT_PASSWORD: 'unused', BOT_TENANT_ID: TENANT, BOT_TYPE: 'SingleTenant' }, { botAuthentication: auth });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await secured.close();
  });

  const send = async (authorization?: string) => {
    const res = await fetch(`${secured.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(personalMessage(where, ana, 'help')),
    });
    return res.status;
  };

  test('a valid token is accepted and the reply carries the bot token', async () => {
    expect(await send(`Bearer ${await keys.token({ aud: BOT_APP_ID, serviceurl: connector.url })}`)).toBe(200);
    expect(connector.calls.at(-1)?.authorization).toBe('Bearer outbound-test');
  });

  test.each([
    ['no token', async () => undefined],
    ['wrong audience', async () => `Bearer ${await keys.token({ aud: 'another-bot', serviceurl: connector.url })}`],
    ['wrong issuer', async () => `Bearer ${await keys.token({ aud: BOT_APP_ID, serviceurl: connector.url, iss: 'https://evil.example' })}`],
    ['serviceUrl that is not the activity’s', async () => `Bearer ${await keys.token({ aud: BOT_APP_ID, serviceurl: 'https://smba.evil.example/' })}`],
    ['expired', async () => `Bearer ${await keys.token({ aud: BOT_APP_ID, serviceurl: connector.url, exp: Math.floor(Date.now() / 1000) - 900, iat: Math.floor(Date.now() / 1000) - 4000, nbf: Math.floor(Date.now() / 1000) - 4000 })}`],
    ['signed by a foreign key', async () => `Bearer ${await keys.token({ aud: BOT_APP_ID, serviceurl: connector.url }, { foreignKey: true })}`],
  ])('%s → 401 and nothing sent', async (_name, make) => {
    const before = connector.calls.length;
    expect(await send(await make())).toBe(401);
    expect(connector.calls.length).toBe(before);
  });
});

describe('the same credit twice is one credit', () => {
  const min = 60_000;
  // The windows are 10 minutes from the epoch: 10:00 UTC starts one.
  const at = (hhmm: string, seconds = 0) => Date.parse(`2026-03-02T${hhmm}:00Z`) + seconds * 1000;
  type Send = { from: typeof ana; parts: () => Array<string | typeof ana | typeof BOT>; at: number };
  const send = (from: typeof ana, parts: () => Array<string | typeof ana | typeof BOT>, time: number): Send => ({ from, parts, at: time });
  const runbook = () => [BOT, ' credit ', ben, ' and ', dee, ' for the new runbook'];

  beforeEach(() => {
    // Only the clock moves; timers, sockets and the event loop stay real.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  });
  afterEach(() => jest.useRealTimers());

  const cases: Array<[string, Send, Send, number]> = [
    ['a resend with a new activity id', send(ana, runbook, at('09:31')), send(ana, runbook, at('09:31', 20)), 1],
    ['retyped with other spacing and case', send(ana, runbook, at('09:31')), send(ana, () => [BOT, ' credit ', ben, ' and ', dee, ' for  the New  RUNBOOK '], at('09:32')), 1],
    ['the same people in another order', send(ana, runbook, at('09:31')), send(ana, () => [BOT, ' thanks ', dee, ' ', ben, ' for the new runbook'], at('09:33')), 1],
    ['nine minutes later, across the end of a 10-minute window', send(ana, runbook, at('09:55')), send(ana, runbook, at('10:04')), 1],
    ['eleven minutes later', send(ana, runbook, at('09:55')), send(ana, runbook, at('10:06')), 2],
    ['another reason', send(ana, runbook, at('09:31')), send(ana, () => [BOT, ' credit ', ben, ' and ', dee, ' for the old runbook'], at('09:32')), 2],
    ['one person fewer', send(ana, runbook, at('09:31')), send(ana, () => [BOT, ' credit ', ben, ' for the new runbook'], at('09:32')), 2],
    ['another giver', send(ana, runbook, at('09:31')), send(cy, runbook, at('09:32')), 2],
  ];
  test.each(cases)('%s', async (_name, first, second, count) => {
    jest.setSystemTime(first.at - min);
    await install();
    jest.setSystemTime(first.at);
    await post(channelMessage(where, first.from, first.parts()));
    jest.setSystemTime(second.at);
    await post(channelMessage(where, second.from, second.parts()));
    expect(await credits()).toHaveLength(count);
    expect(connector.cards()).toHaveLength(count);
    expect(connector.texts()).toEqual(count === 1 ? ['Already credited — see the card above.'] : []);
  });
});

describe('a card that never reached the chat is posted on the retry', () => {
  const cardPosts = (call: { method: string; path: string; body: any }) => call.method === 'POST' && /\/activities(\/[^/]+)?$/.test(call.path) && Boolean(call.body?.attachments?.length);
  const retries: Array<[string, (first: ReturnType<typeof channelMessage>) => ReturnType<typeof channelMessage>]> = [
    ['Teams redelivers the same activity', (first) => first],
    ['the person sends it again', () => channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook'])],
  ];
  test.each(retries)('%s', async (_name, retry) => {
    await install();
    const first = channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook']);
    // The first turn writes the credit, then Teams refuses the card; the apology gets through.
    connector.fault = (call) => (cardPosts(call) ? 403 : undefined);
    await post(first);
    connector.fault = undefined;
    expect(await credits()).toHaveLength(1);
    expect(connector.cards()).toHaveLength(0);
    expect(connector.texts()[0]).toMatch(/^Sorry, something went wrong/);

    await post(retry(first));
    expect(await credits()).toHaveLength(1);
    expect(connector.cards()).toHaveLength(1);
    expect(cardText(connector.cards()[0])).toContain("Ana López credited Ben O'Neil");
    const [stored] = await credits();
    expect(stored.postedCard?.activityId).toMatch(/^act-/);

    // Once the card is there, a further resend points at it and posts nothing new.
    await post(channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook']));
    expect(connector.cards()).toHaveLength(1);
    expect(connector.texts().at(-1)).toBe('Already credited — see the card above.');
  });

  test('Teams redelivering an activity that was answered gets no second answer', async () => {
    await install();
    const activity = channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook']);
    await post(activity);
    await post(activity);
    expect(connector.cards()).toHaveLength(1);
    expect(connector.texts()).toEqual([]);
  });
});

describe('Teams gets its answer once the card is posted', () => {
  afterEach(() => jest.restoreAllMocks());
  const asks: Array<[string, () => unknown, (status: number, body: any) => void, string]> = [
    ['a credit in a channel', () => channelMessage(where, ana, [BOT, ' credit ', ben, ' for the runbook']), (status) => expect(status).toBe(200), 'the runbook'],
    [
      'a credit from the message extension',
      () => submitAction(where, lee, sourceMessage(where, ana), { people: ana.aadObjectId, message: 'Fixed the tax rate before the invoice run', kind: 'prevented', private: 'false' }, 'inv-1'),
      (_status, body) => expect(body).toEqual({ task: { type: 'message', value: 'Credit posted for Ana López.' } }),
      'Fixed the tax rate before the invoice run',
    ],
  ];
  test.each(asks)('%s: the answer does not wait for the store to note where the card went, and closing waits for that note', async (_name, ask, answered, message) => {
    await install();
    // The store notes the card only when the test lets it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const recognitions = t.app.store.recognitions;
    const recordCard = recognitions.recordCard.bind(recognitions);
    jest.spyOn(recognitions, 'recordCard').mockImplementation(async (...args) => {
      await held;
      return recordCard(...args);
    });
    try {
      const activity = ask() as { id: string };
      // A bound on the old behaviour (the answer held until the note), not a speed target.
      let timer: NodeJS.Timeout | undefined;
      const first = await Promise.race([post(activity), new Promise<'no answer'>((resolve) => (timer = setTimeout(() => resolve('no answer'), 3000)))]).finally(() => clearTimeout(timer));
      expect(first).not.toBe('no answer');
      const { status, body } = first as { status: number; body: any };
      answered(status, body);
      expect(connector.cards()).toHaveLength(1);
      const [rec] = (await credits()).filter((r) => r.message === message);
      expect(rec.postedCard).toBeUndefined();

      let drained = false;
      const draining = t.app.adapter.drain().then(() => (drained = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(drained).toBe(false);
      release();
      await draining;
      expect((await t.app.store.recognitions.get(TENANT, TEAM_ID, rec.id))?.postedCard).toEqual({ activityId: expect.stringMatching(/^act-/), inReplyTo: activity.id });
    } finally {
      release();
    }
  });
});

describe('cards refresh for each viewer', () => {
  async function credit() {
    await install();
    await post(channelMessage(where, lee, [BOT, ' credit ', ana, ' for closing the Contoso deal #win']));
    const [rec] = await credits();
    return rec;
  }
  const refresh = async (who: typeof ana, creditId: string) => (await post(cardAction(where, who, 'refresh', { boardId: TEAM_ID, creditId }))).body;
  const verbs = (card: any) => card.actions.map((a: any) => a.verb ?? a.type);

  test('the posted card declares a refresh for the people it concerns', async () => {
    const rec = await credit();
    const [card] = connector.cards();
    expect(card.refresh).toEqual({ action: { type: 'Action.Execute', verb: 'refresh', data: { boardId: TEAM_ID, creditId: rec.id } }, userIds: [lee.id, ana.id] });
    await post(cardAction(where, ben, 'endorse', { boardId: TEAM_ID, creditId: rec.id }));
    const update = connector.calls.filter((c) => c.method === 'PUT').at(-1);
    // Whoever endorsed is refreshed too, so they keep seeing that they did.
    expect(update?.body.attachments[0].content.refresh.userIds).toEqual([lee.id, ana.id, ben.id]);
  });

  type Viewer = 'lee' | 'ana' | 'ben' | 'cy' | 'dee';
  const views: Array<[string, Viewer, string, string[]]> = [
    ['the giver', 'lee', '2 people saw this too', ['inspireForm']],
    ['the person credited', 'ana', '2 people saw this too', ['inspireForm']],
    ['someone who endorsed first', 'ben', 'You and 1 other person saw this too', ['inspireForm']],
    ['someone who endorsed second', 'cy', 'You and 1 other person saw this too', ['inspireForm']],
    ['someone who has not endorsed', 'dee', '2 people saw this too', ['endorse', 'inspireForm']],
  ];
  test.each(views)('%s sees their own view, with the current count', async (_name, viewer, line, actions) => {
    const rec = await credit();
    for (const who of [ben, cy]) await post(cardAction(where, who, 'endorse', { boardId: TEAM_ID, creditId: rec.id }));
    const answer = await refresh(PEOPLE[viewer], rec.id);
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.value)).toContain(line);
    expect(verbs(answer.value)).toEqual(actions);
    expect(answer.value.refresh.userIds).toEqual([lee.id, ana.id, ben.id, cy.id]);
  });

  const kindViewers: Array<[string, Viewer]> = [
    ['the giver', 'lee'],
    ['the person credited', 'ana'],
    ['someone else on the team', 'dee'],
  ];
  test.each(kindViewers)('after the giver changes the kind in the tab, %s sees the new kind on the refreshed card', async (_name, viewer) => {
    const rec = await credit();
    const before = cardText((await refresh(PEOPLE[viewer], rec.id)).value);
    expect(before).toContain('Delivered the win');
    const changed = await t.call('PATCH', `/api/v1/boards/${TEAM_ID}/recognitions/${rec.id}`, { token: await t.token({ oid: lee.aadObjectId, name: lee.name }), body: { kind: 'sustained' } });
    expect(changed.status).toBe(200);
    const after = cardText((await refresh(PEOPLE[viewer], rec.id)).value);
    expect(after).toContain('Kept us going');
    expect(after).not.toContain('Delivered the win');
  });

  test('before anyone endorses, the giver is not invited to endorse their own credit', async () => {
    const rec = await credit();
    const own = await refresh(lee, rec.id);
    expect(cardText(own.value)).toContain('No one has said they saw this yet.');
    expect(verbs(own.value)).toEqual(['inspireForm']);
    expect(verbs((await refresh(dee, rec.id)).value)).toEqual(['endorse', 'inspireForm']);
  });
});

describe('a roster lookup that cannot reach Teams says so', () => {
  withShortDeadlines();
  const newcomer = { id: '29:1NewHire', aadObjectId: 'f6f6f6f6-0000-4000-8000-000000000006', name: 'Noor Haddad' };
  const memberLookups = (call: { method: string; path: string }) => call.method === 'GET' && /\/members\/[^/]+$/.test(call.path);
  const failures: Array<[string, () => void]> = [
    ['Teams answers 503', () => (connector.fault = (call) => (memberLookups(call) ? 503 : undefined))],
    ['Teams never answers', () => (connector.fault = (call) => (memberLookups(call) ? 'stall' : undefined))],
    ['the store is down', () => jest.spyOn(t.app.store, 'readCreditContext').mockRejectedValueOnce(new Error('SQLITE_IOERR: disk I/O error'))],
  ];
  afterEach(() => {
    connector.fault = undefined;
    jest.restoreAllMocks();
  });
  test.each(failures)('%s', async (_name, fail) => {
    await install();
    connector.roster(TEAM_ID, [...Object.values(PEOPLE), newcomer]);
    fail();
    await post(channelMessage(where, ana, [BOT, ' credit ', newcomer, ' for the onboarding notes']));
    expect(connector.texts()).toEqual(['I could not reach Teams to check the roster, try again.']);
    expect(connector.cards()).toHaveLength(0);
    expect(await credits()).toHaveLength(0);
  });

  test('Teams saying the person is not in the team still says so', async () => {
    await install();
    await post(channelMessage(where, ana, [BOT, ' credit ', newcomer, ' for the onboarding notes']));
    expect(connector.texts()).toEqual(["I can't find Noor Haddad in this team, so I can't credit them here."]);
  });
});

describe('a dead connector does not stall turns', () => {
  withShortDeadlines();
  /** The most a late answer may take past its deadline: the HTTP round trip. A stalled turn never answers by itself. */
  const SLACK_MS = 1000;
  let deadUrl: string;
  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    const probe = await startTeamsConnector();
    deadUrl = probe.url;
    await probe.close();
  });
  afterEach(() => {
    connector.fault = undefined;
  });

  async function timed(activity: unknown): Promise<{ status: number; body: any; ms: number }> {
    const started = performance.now();
    const res = await post(activity);
    return { ...res, ms: performance.now() - started };
  }

  type Dead = 'nothing listens at the serviceUrl' | 'the connector holds every call';
  const deadly: Dead[] = ['nothing listens at the serviceUrl', 'the connector holds every call'];
  const breakIt = (how: Dead): Where => {
    if (how === 'the connector holds every call') {
      connector.fault = () => 'stall';
      return where;
    }
    return { ...where, serviceUrl: deadUrl };
  };

  test.each(deadly)('a credit message is answered by the message deadline and the credit stays (%s)', async (how) => {
    await install();
    const res = await timed(channelMessage(breakIt(how), ana, [BOT, ' credit ', ben, ' for the runbook']));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(SHORT_DEADLINES.messageMs + SLACK_MS);
    expect((await credits()).map((r) => r.message)).toEqual(['the runbook']);
  });

  test.each(deadly)('a message that needs Teams for the roster too is answered by the message deadline (%s)', async (how) => {
    await install();
    const newcomer = { id: '29:1NewHire', aadObjectId: 'f6f6f6f6-0000-4000-8000-000000000006', name: 'Noor Haddad' };
    const res = await timed(channelMessage(breakIt(how), ana, [BOT, ' credit ', newcomer, ' for the onboarding notes']));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(SHORT_DEADLINES.messageMs + SLACK_MS);
    expect(await credits()).toHaveLength(0);
  });

  test('a card form whose turn outlasts the invoke deadline is answered in time, in the invoke\'s own shape, and its credit stays', async () => {
    await install();
    await post(channelMessage(where, lee, [BOT, ' credit ', ana, ' for closing the Contoso deal #win']));
    const [win] = await credits();
    // The card post and then the apology each wait out their bounded call: past the invoke deadline.
    connector.fault = () => 'stall';
    const submit = { boardId: TEAM_ID, creditId: win.id, formKey: 'f-1', people: ben.aadObjectId, message: 'Set up the demo data the night before', kind: 'enabled' };
    const res = await timed(cardAction(where, ana, 'inspireSubmit', submit));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(SHORT_DEADLINES.invokeMs + SLACK_MS);
    expect(res.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(/taking longer than it should/) });
    expect((await credits()).filter((r) => r.inspiredBy === win.id).map((r) => r.message)).toEqual(['Set up the demo data the night before']);
  });

  test.each(deadly)('an endorse click is answered by the invoke deadline and the endorsement stays (%s)', async (how) => {
    await install();
    await post(channelMessage(where, lee, [BOT, ' credit ', ana, ' for closing the Contoso deal #win']));
    const [rec] = await credits();
    const res = await timed(cardAction(breakIt(how), ben, 'endorse', { boardId: TEAM_ID, creditId: rec.id }));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(SHORT_DEADLINES.invokeMs + SLACK_MS);
    expect(res.body.type).toMatch(/^application\/vnd\.microsoft\.(card\.adaptive|activity\.message)$/);
    expect((await t.app.store.recognitions.get(TENANT, TEAM_ID, rec.id))?.endorsements.map((e) => e.name)).toEqual(["Ben O'Neil"]);
  });
});

test('the app answers Teams by its own limits: invokes within 4 s, messages within 8 s, each connector call bounded at 3 s', () => {
  expect(t.app.adapter.deadlines).toEqual({ invokeMs: 4000, messageMs: 8000, connectorCallMs: 3000 });
});
