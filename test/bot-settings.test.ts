import { DEFAULT_BOARD_SETTINGS } from '../core';
import { botInstalledInTeam, cardsOf, cardTexts, channelMessage, membersChanged, personalCardAction, personalMessage, startTeamsConnector, type TeamsConnector, type Where } from '../bot/dev';
import { BOT, PEOPLE, TEAM_ID, whereFor } from './fixtures/teams-activities';
import { TENANT, type TestApp, startTestApp } from './support/test-app';

const { ana, ben, cy, lee } = PEOPLE;
const MADE_PRIVATE = 'Someone you credited prefers private credit, so this credit is private: only you and the people you credited see it.';
let connector: TeamsConnector;
let t: TestApp;
let where: Where;

beforeAll(async () => {
  connector = await startTeamsConnector();
});
afterAll(() => connector.close());

beforeEach(async () => {
  connector.calls.length = 0;
  connector.roster(TEAM_ID, Object.values(PEOPLE));
  t = await startTestApp();
  where = whereFor(TENANT, connector.url);
  expect((await post(botInstalledInTeam(where, lee))).status).toBe(200);
  const until = Date.now() + 30_000;
  while (!(await t.app.store.boards.get(TENANT, TEAM_ID))?.rosterSync?.done) {
    if (Date.now() > until) throw new Error('the roster was not synced');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  connector.calls.length = 0;
});
afterEach(() => t.close());

async function post(activity: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const cardText = (card: any) => cardTexts(card).map((c) => c.text).join('\n');
/** The values a form's inputs show, by input id. */
const inputs = (card: any): Record<string, unknown> => Object.fromEntries((card.body as any[]).filter((e) => String(e.type).startsWith('Input.')).map((e) => [e.id, e.value]));
const posts = (prefix: string) => connector.calls.filter((c) => c.method === 'POST' && c.path.startsWith(prefix));
const channelPosts = () => posts(`/v3/conversations/${TEAM_ID}`);
const personalPosts = (person: typeof ana) => posts(`/v3/conversations/a:1personal-${person.aadObjectId}`);
const opened = () => connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations').map((c) => c.body.members[0].id);
/** The cards sent in personal chats the bot opened, each with whom it opened the chat with. */
function privateCards(): Array<{ to: string; text: string }> {
  const out: Array<{ to: string; text: string }> = [];
  let to: string | undefined;
  for (const c of connector.calls) {
    if (c.method === 'POST' && c.path === '/v3/conversations') to = c.body.members[0].id;
    else if (to && c.method === 'POST' && c.path.startsWith('/v3/conversations/a:personal-')) out.push({ to, text: cardsOf(c.body).map(cardText).join('\n') });
  }
  return out;
}
const settings = async () => (await t.app.store.boards.get(TENANT, TEAM_ID))?.settings;
const entry = (person: typeof ana) => t.app.store.members.get(TENANT, TEAM_ID, person.aadObjectId);

describe('settings, for leads', () => {
  test('a lead asking in the personal chat gets the form there, with the board as it is set', async () => {
    await post(personalMessage(where, lee, 'settings'));
    const [card] = cardsOf(personalPosts(lee)[0].body);
    expect(cardText(card)).toMatch(/⚙️ Board settings\nLaunch Crew[\s\S]*Digest day[\s\S]*Time zone[\s\S]*Leads: Lee Lead[\s\S]*Save/);
    expect(inputs(card)).toEqual({ digestEnabled: 'true', digestDay: '5', digestHour: 9, timeZone: 'UTC', weekStartsOn: '1', nudgeAfterDays: 30 });
    expect(card.actions).toEqual([{ type: 'Action.Execute', title: 'Save', verb: 'saveSettings', data: { boardId: TEAM_ID } }]);
  });

  test('a lead asking in the channel gets the form privately, and the channel only a pointer', async () => {
    await post(channelMessage(where, lee, [BOT, ' settings']));
    expect(opened()).toEqual([lee.id]);
    expect(channelPosts().map((c) => c.body.text)).toEqual(["I've sent you the board's settings in our private chat."]);
    expect(channelPosts().flatMap((c) => cardsOf(c.body))).toEqual([]);
  });

  const refused: Array<[string, () => unknown, string]> = [
    ['a member in the channel', () => channelMessage(where, ana, [BOT, ' settings']), 'Only the leads of this board can see that.'],
    ['a member in the personal chat', () => personalMessage(where, ana, 'settings'), 'You do not lead any board yet. The person who adds Noticed to a team leads its board.'],
  ];
  test.each(refused)('%s is told why, and sees no form', async (_name, ask, reply) => {
    await post(ask());
    expect(connector.texts()).toEqual([reply]);
    expect(connector.cards()).toEqual([]);
    expect(opened()).toEqual([]);
  });

  test('Save changes the settings through the same rules as the API, and answers the saved form', async () => {
    const form = { boardId: TEAM_ID, digestEnabled: 'false', digestDay: '1', digestHour: '16', timeZone: ' Europe/Berlin ', weekStartsOn: '0', nudgeAfterDays: '14' };
    const res = await post(personalCardAction(where, lee, 'saveSettings', form));
    expect(res.status).toBe(200);
    const expected = { ...DEFAULT_BOARD_SETTINGS, digestEnabled: false, digestDay: 1, digestHour: 16, timeZone: 'Europe/Berlin', weekStartsOn: 0, nudgeAfterDays: 14 };
    expect(await settings()).toEqual(expected);
    expect(cardText(res.body.value)).toContain('Saved.');
    expect(inputs(res.body.value)).toEqual({ digestEnabled: 'false', digestDay: '1', digestHour: 16, timeZone: 'Europe/Berlin', weekStartsOn: '0', nudgeAfterDays: 14 });
  });

  const bad: Array<[string, typeof ana, Record<string, unknown>, string]> = [
    ['a time zone that does not exist', lee, { timeZone: 'Mars/Olympus_Mons' }, 'timeZone must be an IANA time zone name such as Europe/Berlin.'],
    ['an hour of 25', lee, { digestHour: '25' }, 'digestHour must be an hour from 0 to 23.'],
    ['a nudge window in words', lee, { nudgeAfterDays: 'a month' }, 'nudgeAfterDays must be a number of days from 1 to 365.'],
    ['a toggle that is neither', lee, { digestEnabled: 'maybe' }, 'digestEnabled must be true or false.'],
    ['a member saving the form', ana, { digestDay: '2' }, 'Only the leads of this board can see that.'],
    ['a form pointed at a board the lead is not on', lee, { boardId: '19:someone-elses@thread.tacv2', digestDay: '2' }, 'That board does not exist or you are not on it.'],
    ['a form without a board', lee, { boardId: undefined, digestDay: '2' }, 'This form no longer belongs to a board I can find.'],
  ];
  test.each(bad)('%s is refused in words, and nothing changes', async (_name, who, change, reply) => {
    const res = await post(personalCardAction(where, who, 'saveSettings', { boardId: TEAM_ID, digestDay: '5', ...change }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply });
    expect(await settings()).toEqual(DEFAULT_BOARD_SETTINGS);
  });
});

describe('preferences, for everyone', () => {
  const savePrefs = (who: typeof ana, form: Record<string, unknown>) => post(personalCardAction(where, who, 'savePreferences', { boardId: TEAM_ID, ...form }));

  test('asked in the personal chat: a form per board, with my preferences as they are', async () => {
    await post(personalMessage(where, ana, 'preferences'));
    const [card] = cardsOf(personalPosts(ana)[0].body);
    expect(cardText(card)).toMatch(/🙋 Your preferences\nLaunch Crew[\s\S]*Make new credit to me private[\s\S]*Remind me[\s\S]*Opt out[\s\S]*Export or erase your data/);
    expect(inputs(card)).toEqual({ prefersPrivate: 'false', reminderDay: 'none', creditNotifications: 'true', optedOut: 'false' });
  });

  test('asked in the channel: sent privately, and the channel only hears a pointer', async () => {
    await post(channelMessage(where, ana, [BOT, ' prefs']));
    expect(opened()).toEqual([ana.id]);
    expect(channelPosts().map((c) => c.body.text)).toEqual(["I've sent you your preferences in our private chat."]);
  });

  test('Save keeps what I chose; reminders off clears the weekday', async () => {
    const res = await savePrefs(ana, { prefersPrivate: 'true', reminderDay: '2', creditNotifications: 'false', optedOut: 'false' });
    expect(inputs(res.body.value)).toEqual({ prefersPrivate: 'true', reminderDay: '2', creditNotifications: 'false', optedOut: 'false' });
    expect(await entry(ana)).toMatchObject({ prefersPrivate: true, reminderDay: 2, creditNotifications: false, optedOut: false });
    await savePrefs(ana, { reminderDay: 'none' });
    expect((await entry(ana))?.reminderDay).toBeUndefined();
  });

  test('prefer private: the next chat credit to me is private, never in the channel, and its giver is told why', async () => {
    await savePrefs(ben, { prefersPrivate: 'true' });
    connector.calls.length = 0;
    await post(channelMessage(where, cy, [BOT, ' thanks ', ben, ' for pairing on the flaky test']));
    expect(channelPosts()).toEqual([]);
    const sent = privateCards();
    expect(sent.map((s) => s.to).sort()).toEqual([ben.id, cy.id].sort());
    const benCard = sent.find((s) => s.to === ben.id)?.text;
    const cyCard = sent.find((s) => s.to === cy.id)?.text;
    expect(cyCard).toContain('pairing on the flaky test');
    expect(cyCard).toContain(MADE_PRIVATE);
    expect(benCard).toContain('pairing on the flaky test');
    expect(benCard).not.toContain(MADE_PRIVATE);
  });

  test('opt out: credit to me is refused; I opt back in, and it works', async () => {
    await savePrefs(ben, { optedOut: 'true' });
    connector.calls.length = 0;
    await post(channelMessage(where, cy, [BOT, ' credit ', ben, ' for the runbook']));
    expect(connector.texts()).toEqual(["Ben O'Neil has opted out of Noticed, so credit cannot be recorded for them."]);
    expect(connector.cards()).toEqual([]);
    await savePrefs(ben, { optedOut: 'false' });
    connector.calls.length = 0;
    await post(channelMessage(where, cy, [BOT, ' credit ', ben, ' for the runbook']));
    expect(cardText(connector.cards()[0])).toContain("Cy Park credited Ben O'Neil");
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['a weekday that is not one', { reminderDay: '9' }, 'reminderDay must be a weekday from 0 (Sunday) to 6 (Saturday), or null for no reminders.'],
    ['a toggle that is neither', { prefersPrivate: 'maybe' }, 'prefersPrivate must be true or false.'],
    ['a form pointed at a board I am not on', { boardId: '19:someone-elses@thread.tacv2', prefersPrivate: 'true' }, 'That board does not exist or you are not on it.'],
  ];
  test.each(bad)('%s is refused in words, and nothing changes', async (_name, form, reply) => {
    const res = await savePrefs(ana, form);
    expect(res.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply });
    expect(await entry(ana)).toMatchObject({ prefersPrivate: false, optedOut: false });
    expect((await entry(ana))?.reminderDay).toBeUndefined();
  });

  test('what I chose outlives the roster: Teams re-listing me keeps my preferences', async () => {
    await savePrefs(ana, { reminderDay: '3', creditNotifications: 'false', prefersPrivate: 'true' });
    await post(membersChanged(where, lee, 'added', [ana]));
    expect(await entry(ana)).toMatchObject({ reminderDay: 3, creditNotifications: false, prefersPrivate: true });
  });
});
