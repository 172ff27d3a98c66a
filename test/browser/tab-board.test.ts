import type { Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID, demoUserId } from '../../core';
import { axeViolations, longestMotionMs, screenshotPath, startTabSession, type TabSession } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { ANA, FARID, MAYA } from '../support/demo-people';

// The board in a plain browser, signed in through the local issuer as `npm start` does.

let t: TestApp;
let session: TabSession;
let page: Page;

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
}, 60_000);

afterAll(() => session?.close());

test('outside Teams, local mode offers the demo people and signs in through the local issuer', async () => {
  await page.goto(`${t.url}/tab/`);
  await page.getByRole('heading', { name: 'Sign in to the demo board' }).waitFor();
  expect(await page.getByRole('list', { name: 'Demo people' }).getByRole('button').count()).toBe(12);
  await page.screenshot({ path: screenshotPath('tab-local-sign-in') });
  await page.getByRole('button', { name: /^Sign in as Maya Chen, lead/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
  expect(await page.getByText('signed in as Maya Chen').count()).toBe(1);
});

test('the board groups credits by kind, in the taxonomy order, and teaches when a filter leaves nothing', async () => {
  await session.signInAs('Maya Chen');
  await page.getByRole('heading', { level: 2, name: 'Caught it early' }).waitFor();
  const headings = await page.locator('section[data-kind] h2').allTextContents();
  expect(headings).toEqual(['Made it possible', 'Caught it early', 'Improved how we work', 'Kept us going', 'Delivered the win']);
  expect(await page.getByTestId('board-summary').textContent()).toMatch(/^\d+ credits, \d+ of them behind the scenes$/);
  await page.screenshot({ path: screenshotPath('tab-board-light'), fullPage: true });

  // Kind filter: one group left.
  await page.getByRole('combobox', { name: 'Kind of work' }).click();
  await page.getByRole('listbox', { name: 'Kind of work' }).getByRole('option', { name: 'Caught it early' }).click();
  await page.waitForFunction(`document.querySelectorAll('section[data-kind]').length === 1`);
  expect(await page.locator('section[data-kind]').getAttribute('data-kind')).toBe('prevented');

  // Person filter on someone never credited: the empty state teaches the chat command.
  await page.getByRole('combobox', { name: 'Person credited' }).click();
  await page.getByRole('option', { name: FARID.name }).click();
  const empty = page.getByTestId('empty-board');
  await empty.waitFor();
  expect(await empty.textContent()).toContain('@Noticed credit @Ana for catching the migration bug before release #caught');
  await page.screenshot({ path: screenshotPath('tab-board-empty-state') });
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByRole('heading', { level: 2, name: 'Delivered the win' }).waitFor();
});

test('give credit through the dialog: picker, suggested kind, counter, private switch; it appears and is stored', async () => {
  await session.signInAs('Maya Chen');
  await page.getByRole('button', { name: 'Give credit' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Give credit' });
  await dialog.waitFor();

  const picker = dialog.getByRole('combobox', { name: 'Search people on this board' });
  await picker.click();
  await picker.pressSequentially('an');
  // The giver is never offered: you cannot credit yourself.
  expect(await page.getByRole('option', { name: MAYA.name }).count()).toBe(0);
  await page.getByRole('option', { name: ANA.name }).click();

  const message = 'Spotted the flaky payment test and fixed it before release';
  await dialog.getByRole('textbox', { name: /What did they do/ }).fill(message);
  expect(await dialog.getByText(`${message.length} / 1000 characters`).count()).toBe(1);
  // suggestKind reads "spotted" and "before release" as caught early.
  expect(await dialog.getByRole('radio', { name: /Caught it early/ }).isChecked()).toBe(true);
  // The giver can change it, and the suggestion then stops following the text.
  await dialog.getByRole('radio', { name: /Made it possible/ }).check();
  await dialog.getByRole('textbox', { name: /What did they do/ }).fill(`${message}!`);
  expect(await dialog.getByRole('radio', { name: /Made it possible/ }).isChecked()).toBe(true);
  await dialog.getByRole('radio', { name: /Caught it early/ }).check();
  await page.screenshot({ path: screenshotPath('tab-give-credit-dialog') });
  await dialog.getByRole('button', { name: 'Give credit' }).click();

  await page.getByText(`Credit given to ${ANA.name}.`).waitFor();
  await dialog.waitFor({ state: 'detached' });
  const card = page.locator('section[data-kind="prevented"] [role="article"]').filter({ hasText: `${message}!` });
  await card.waitFor();
  expect(await card.textContent()).toContain('from Maya Chen');

  const stored = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?kind=prevented&limit=5`, { token: await session.token(MAYA) });
  const credit = stored.body.items.find((c: any) => c.message === `${message}!`);
  expect(credit).toMatchObject({ kind: 'prevented', visibility: 'board', source: 'tab', giver: { userId: MAYA.userId }, recipients: [{ userId: ANA.userId, name: ANA.name }] });
});

test('a private credit is marked private; a refused credit shows the server’s message and correlation id', async () => {
  await session.signInAs('Maya Chen');
  await page.getByRole('button', { name: 'Give credit' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Give credit' });
  await dialog.getByRole('button', { name: 'Give credit' }).click();
  // Nothing filled in: the form says what is missing and sends nothing.
  await dialog.getByText('Choose at least one person.').waitFor();
  await dialog.getByRole('combobox', { name: 'Search people on this board' }).click();
  await dialog.getByRole('combobox', { name: 'Search people on this board' }).pressSequentially('Grace');
  await page.getByRole('option', { name: 'Grace Kim' }).click();
  await dialog.getByRole('textbox', { name: /What did they do/ }).fill('Listened, patiently, all week');
  await dialog.getByRole('switch', { name: /Private/ }).check();

  // Make the server refuse once, to see how the page reports it.
  await page.route('**/api/v1/boards/*/recognitions', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 429, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down a little and try again in a minute.', correlationId: 'corr-1234' } }) })
      : route.fallback(),
  );
  await dialog.getByRole('button', { name: 'Give credit' }).click();
  await dialog.getByText('Slow down a little and try again in a minute. (Reference: corr-1234)').waitFor();
  await page.unroute('**/api/v1/boards/*/recognitions');

  await dialog.getByRole('button', { name: 'Give credit' }).click();
  await dialog.waitFor({ state: 'detached' });
  const card = page.locator('[role="article"]').filter({ hasText: 'Listened, patiently, all week' });
  await card.waitFor();
  expect(await card.textContent()).toContain('Private');
  const stored = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?person=${demoUserId(7)}&limit=5`, { token: await session.token(MAYA) });
  expect(stored.body.items[0]).toMatchObject({ message: 'Listened, patiently, all week', visibility: 'private' });
});

test('user text is rendered as text only, and "I saw this too" endorses with a count', async () => {
  const hostile = '<img src=x onerror="window.__pwned=1"> <b>bold</b> & friends';
  const given = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, {
    token: await session.token(ANA),
    body: { recipients: [{ userId: demoUserId(3) }], message: hostile, kind: 'enabled' },
  });
  expect(given.status).toBe(201);

  await session.signInAs('Maya Chen');
  const card = page.locator('[role="article"]').filter({ hasText: '<b>bold</b>' });
  await card.waitFor();
  expect(await card.locator('img, b').count()).toBe(0);
  expect(await page.evaluate('window.__pwned')).toBeUndefined();

  const endorse = card.getByRole('button', { name: /I saw this too/ });
  await endorse.click();
  await card.getByRole('button', { name: 'I saw this too · 1' }).waitFor();
  expect(await endorse.getAttribute('aria-pressed')).toBe('true');
  const stored = await t.app.store.recognitions.get(LOCAL_TENANT_ID, DEMO_BOARD_ID, given.body.id);
  expect(stored?.endorsements.map((e) => e.userId)).toEqual([MAYA.userId]);
});

test('stand-up mode: one credit at a time by keyboard, a spotlight that does not repeat, one closing prompt', async () => {
  const secret = 'A private thank-you that must stay off the stand-up screen';
  const given = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, {
    token: await session.token(MAYA),
    body: { recipients: [{ userId: demoUserId(8) }], message: secret, kind: 'sustained', visibility: 'private' },
  });
  expect(given.status).toBe(201);
  await session.signInAs('Maya Chen');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByRole('button', { name: 'Stand-up mode' }).click();
  const standup = page.getByTestId('standup');
  await standup.waitFor();
  await page.waitForSelector('[data-slide="intro"]');
  const position = page.getByTestId('standup-position');
  const total = Number((await position.textContent())?.split(' of ')[1]);
  expect(total).toBeGreaterThanOrEqual(4); // intro, at least one credit, spotlight, closing

  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-slide="credit"]');
  expect(await position.textContent()).toBe(`2 of ${total}`);
  await page.screenshot({ path: screenshotPath('tab-standup-credit') });
  await page.keyboard.press('PageDown');
  expect(await position.textContent()).toBe(`3 of ${total}`);
  await page.keyboard.press('PageUp');
  expect(await position.textContent()).toBe(`2 of ${total}`);
  await page.keyboard.press(' ');
  expect(await position.textContent()).toBe(`3 of ${total}`);
  await page.keyboard.press('ArrowLeft');
  expect(await position.textContent()).toBe(`2 of ${total}`);

  // Walk every slide: private credits never reach the shared screen.
  const seen: string[] = [];
  await page.keyboard.press('Home');
  for (let i = 0; i < total; i++) {
    seen.push((await page.locator('[data-slide]').textContent()) ?? '');
    await page.keyboard.press('ArrowRight');
  }
  expect(seen.join('\n')).toContain('Rolled back the bad deploy');
  expect(seen.join('\n')).not.toContain(secret);

  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('[data-slide="spotlight"]');
  const firstSpotlight = await page.locator('[data-slide="spotlight"] h2').textContent();
  await page.screenshot({ path: screenshotPath('tab-standup-spotlight') });
  await page.keyboard.press('ArrowRight');
  await page.getByRole('heading', { name: 'Who made your week easier?' }).waitFor();
  await page.screenshot({ path: screenshotPath('tab-standup-closing') });
  // Pressing on at the end stays on the closing prompt.
  await page.keyboard.press('ArrowRight');
  expect(await position.textContent()).toBe(`${total} of ${total}`);
  // The server holds that it was held, for every screen that runs the board's next stand-up.
  const ana = await session.token(ANA);
  const heldAt = async () => (await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/standup`, { token: ana })).body.lastHeldAt as string | null;
  for (let i = 0; i < 50 && !(await heldAt()); i++) await page.waitForTimeout(100);
  expect(Date.parse((await heldAt()) ?? '')).toBeGreaterThan(Date.now() - 60_000);

  await page.keyboard.press('Escape');
  await standup.waitFor({ state: 'detached' });
  await page.waitForFunction(`document.activeElement?.textContent === 'Stand-up mode'`);

  // The next stand-up starts where this one ended, and spotlights someone else.
  await page.getByRole('button', { name: 'Stand-up mode' }).click();
  await page.waitForSelector('[data-slide="intro"]');
  await page.getByRole('heading', { name: 'No new credits since last time' }).waitFor();
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-slide="spotlight"]');
  const secondSpotlight = await page.locator('[data-slide="spotlight"] h2').textContent();
  expect(secondSpotlight).not.toBe(firstSpotlight);
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1366, height: 900 });
});

test('insights for a lead: coverage, kind mix chart, the unnoticed with a give-credit shortcut, concentration', async () => {
  await session.signInAs('Maya Chen');
  await page.getByRole('tab', { name: 'Insights' }).click();
  await page.getByTestId('coverage').waitFor();
  expect(await page.getByTestId('coverage').textContent()).toMatch(/^\d+ of 12$/);
  expect(await page.getByRole('img', { name: /Credits per week by kind/ }).count()).toBe(1);
  expect(await page.getByText(/of the credit went to the most-credited fifth of the team/).count()).toBe(1);
  expect(await page.getByText(/Gini coefficient \d\.\d\d: 0 means everyone is credited equally/).count()).toBe(1);
  // Never a ranking of people by count: the only list of people is the unnoticed one.
  expect(await page.getByTestId('unnoticed').textContent()).toContain(FARID.name);
  await page.screenshot({ path: screenshotPath('tab-insights-lead'), fullPage: true });

  await page.getByRole('button', { name: `Give credit to ${FARID.name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Give credit' });
  await dialog.waitFor();
  expect(await dialog.getByRole('listbox', { name: 'People to credit' }).textContent().catch(() => null) ?? (await dialog.textContent())).toContain(FARID.name);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('axe finds no serious or critical violations on the board, the dialog and insights (light)', async () => {
  await session.signInAs('Maya Chen');
  await page.getByRole('heading', { level: 2, name: 'Caught it early' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Give credit' }).first().click();
  await page.getByRole('dialog', { name: 'Give credit' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: 'Insights' }).click();
  await page.getByTestId('coverage').waitFor();
  expect(await axeViolations(page)).toEqual([]);
});

test('the board honours reduced motion: the dialog opens without animating, and animates for people who did not ask', async () => {
  await session.signInAs('Maya Chen');
  const cases = [
    { reducedMotion: 'reduce' as const, motion: (ms: number) => expect(ms).toBeLessThanOrEqual(1) },
    { reducedMotion: 'no-preference' as const, motion: (ms: number) => expect(ms).toBeGreaterThan(50) },
  ];
  for (const { reducedMotion, motion } of cases) {
    await page.emulateMedia({ reducedMotion });
    await page.getByRole('button', { name: 'Give credit' }).first().click();
    await page.getByRole('dialog', { name: 'Give credit' }).waitFor();
    motion(await longestMotionMs(page));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Give credit' }).waitFor({ state: 'detached' });
  }
  await page.emulateMedia({ reducedMotion: 'reduce' });
});
