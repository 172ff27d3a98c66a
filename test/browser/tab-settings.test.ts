import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { DEMO_BOARD_ID, demoUserId } from '../../core';
import { axeViolations, screenshotPath, startTabSession, type TabSession, watchPageErrors } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { ANA, BEN, GRACE, MAYA } from '../support/demo-people';

// Settings (leads) and You (everyone) in a plain browser, signed in through the local issuer as `npm start` does.
const MADE_PRIVATE = 'Someone you credited prefers private credit, so this credit is private: only you and the people you credited see it.';

let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];

async function openView(name: 'Settings' | 'You'): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.getByTestId(name === 'Settings' ? 'settings' : 'you').waitFor();
}

const status = () => page.getByRole('status').filter({ hasText: /\S/ });

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  watchPageErrors(page, errors);
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

const views: Array<[string, string, string[]]> = [
  ['a lead', MAYA.name, ['Board', 'My credits', 'Insights', 'Settings', 'You']],
  ['a member', ANA.name, ['Board', 'My credits', 'You']],
];
test.each(views)('%s sees these views: Insights and Settings only for leads', async (_who, name, tabs) => {
  await session.signInAs(name);
  const list = page.getByRole('tablist', { name: 'Views' });
  await list.getByRole('tab', { name: 'You' }).waitFor();
  const shown = [];
  for (const view of ['Board', 'My credits', 'Insights', 'Settings', 'You']) if (await list.getByRole('tab', { name: view, exact: true }).count()) shown.push(view);
  expect(shown).toEqual(tabs);
});

test('a lead changes the digest day, the time zone and the nudge window, and grants a lead', async () => {
  await session.signInAs(MAYA.name);
  await openView('Settings');
  await page.getByRole('combobox', { name: 'Digest day' }).click();
  await page.getByRole('option', { name: 'Monday' }).click();
  await page.getByRole('combobox', { name: 'Time zone' }).click();
  await page.getByRole('option', { name: 'Europe/Berlin' }).click();
  await page.getByRole('combobox', { name: 'Nudge window' }).click();
  await page.getByRole('option', { name: '14 days' }).click();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath('tab-settings'), fullPage: true });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await status().getByText('Settings saved.').waitFor();

  const lead = await session.token(MAYA);
  const saved = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/settings`, { token: lead });
  expect(saved.body).toMatchObject({ digestDay: 1, timeZone: 'Europe/Berlin', nudgeAfterDays: 14, digestHour: 9, digestEnabled: true });

  await page.getByRole('combobox', { name: 'Make a lead' }).click();
  await page.getByRole('option', { name: GRACE.name }).click();
  await page.getByRole('button', { name: 'Grant lead' }).click();
  await status().getByText(`${GRACE.name} now leads this board.`).waitFor();
  expect(await page.getByRole('list', { name: 'Leads' }).getByRole('listitem').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(GRACE.name)]));
  const leads = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/leads`, { token: lead });
  expect(leads.body.leads.map((l: { userId: string }) => l.userId)).toContain(GRACE.userId);

  // The view reads what was saved when it opens again.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
  await openView('Settings');
  expect(await page.getByRole('combobox', { name: 'Digest day' }).textContent()).toContain('Monday');
  expect(await page.getByRole('combobox', { name: 'Nudge window' }).textContent()).toContain('14 days');
});

test('a lead who steps down no longer sees Settings, then or after a reload', async () => {
  await session.signInAs(GRACE.name);
  await openView('Settings');
  await page.getByRole('button', { name: 'Step down as lead' }).click();
  await page.getByText('You no longer lead this board.').waitFor();
  expect(await page.getByRole('tab', { name: 'Settings', exact: true }).count()).toBe(0);
  const leads = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/leads`, { token: await session.token(MAYA) });
  expect(leads.body.leads.map((l: { userId: string }) => l.userId)).not.toContain(GRACE.userId);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
  expect(await page.getByRole('tab', { name: 'Settings', exact: true }).count()).toBe(0);
});

test('a member turns on "prefer private", and the next credit to them is private by default and its giver is told', async () => {
  await session.signInAs(ANA.name);
  await openView('You');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('switch', { name: /Prefer private credit/ }).click();
  await status().getByText('New credit to you will be private; its giver is told why.').waitFor();
  expect(await page.getByRole('switch', { name: /Prefer private credit/ }).isChecked()).toBe(true);
  await page.screenshot({ path: screenshotPath('tab-you'), fullPage: true });

  await session.signInAs(MAYA.name);
  await page.getByRole('button', { name: 'Give credit' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Give credit' });
  const picker = dialog.getByRole('combobox', { name: 'Search people on this board' });
  await picker.click();
  await picker.pressSequentially('Ana');
  await page.getByRole('option', { name: ANA.name }).click();
  const message = 'Stayed late to pair on the flaky payment test';
  await dialog.getByRole('textbox', { name: /What did they do/ }).fill(message);
  expect(await dialog.getByRole('switch', { name: /Private/ }).isChecked()).toBe(false);
  await dialog.getByRole('button', { name: 'Give credit' }).click();
  await page.getByText(`Credit given to ${ANA.name}. ${MADE_PRIVATE}`).waitFor();

  const asGrace = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?limit=100`, { token: await session.token(GRACE) });
  expect(JSON.stringify(asGrace.body)).not.toContain(message);
  const asAna = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?limit=100`, { token: await session.token(ANA) });
  expect(asAna.body.items.find((c: { message: string }) => c.message === message)).toMatchObject({ visibility: 'private' });
});

test('a member opts out, cannot be credited, and opts back in', async () => {
  await session.signInAs(BEN.name);
  await openView('You');
  await page.getByRole('button', { name: 'Opt out of Noticed' }).click();
  await page.getByRole('heading', { level: 2, name: 'You have opted out' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  const credit = { recipients: [{ userId: BEN.userId }], message: 'Reviewed the migration plan' };
  const refused = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, { token: await session.token(MAYA), body: credit });
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toBe("Ben O'Neil has opted out of Noticed, so credit cannot be recorded for them.");

  await page.getByRole('button', { name: 'Opt back in' }).click();
  await status().getByText('Welcome back: you can be credited on this board again.').waitFor();
  await page.getByRole('heading', { level: 2, name: 'Opting out' }).waitFor();
  const given = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, { token: await session.token(MAYA), body: credit });
  expect(given.status).toBe(201);
});

test('the You view is usable by keyboard: reminders on, a weekday chosen', async () => {
  await session.signInAs(ANA.name);
  await openView('You');
  const reminders = page.getByRole('switch', { name: 'Remind me to give credit once a week' });
  await reminders.focus();
  await page.keyboard.press('Space');
  await status().getByText('You will be reminded to give credit every Friday.').waitFor();
  const day = page.getByRole('combobox', { name: 'Reminder day' });
  await day.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('listbox').waitFor();
  // From Friday, the day the reminders started on, up to Tuesday.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await status().getByText('You will be reminded every Tuesday.').waitFor();
  const prefs = await t.call('GET', `/api/v1/me/preferences?boardId=${DEMO_BOARD_ID}`, { token: await session.token(ANA) });
  expect(prefs.body.boards[0]).toMatchObject({ reminderDay: 2 });
});

test('export and erase my data from the You view', async () => {
  const KEMI = { userId: demoUserId(11), name: 'Kemi Adeyemi' };
  await session.signInAs(KEMI.name);
  await openView('You');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export my data' }).click()]);
  expect(download.suggestedFilename()).toBe('noticed-export.json');
  const exported = JSON.parse(await readFile((await download.path()) as string, 'utf8'));
  expect(exported.user).toMatchObject({ userId: KEMI.userId });
  expect(exported.boards.map((b: { board: { id: string } }) => b.board.id)).toEqual([DEMO_BOARD_ID]);

  await page.getByRole('button', { name: 'Erase my data' }).click();
  const confirm = page.getByRole('dialog', { name: 'Erase your data from Noticed?' });
  expect(await axeViolations(page)).toEqual([]);
  await confirm.getByRole('button', { name: 'Keep my data' }).click();
  expect((await t.call('GET', '/api/v1/me', { token: await session.token(KEMI) })).body.boards).toHaveLength(1);
  await page.getByRole('button', { name: 'Erase my data' }).click();
  await confirm.getByRole('button', { name: 'Erase everything' }).click();
  await status().getByText('Your data was erased. Noticed keeps nothing about you now.').waitFor();
  expect((await t.call('GET', '/api/v1/me', { token: await session.token(KEMI) })).body.boards).toEqual([]);
});
