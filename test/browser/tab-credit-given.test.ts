import type { Page } from 'playwright-core';
import { axeViolations, screenshotPath, startTabSession, type TabSession } from '../support/browser';
import type { TestApp } from '../support/test-app';

// After Give credit or sign-in: focus back where the person was, the new credit scrolled to
// and marked, and the kind's "suggested" hint only once there is a message to suggest from.
let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];

const dialog = () => page.getByRole('dialog', { name: 'Give credit' });
const headerGive = () => page.locator('header').getByRole('button', { name: 'Give credit' });

async function fillAndGive(message: string): Promise<void> {
  const picker = dialog().getByRole('combobox', { name: 'Search people on this board' });
  await picker.click();
  await picker.pressSequentially('Gr');
  await page.getByRole('option', { name: 'Grace Kim' }).click();
  await dialog().getByRole('textbox', { name: /What did they do/ }).fill(message);
  await dialog().getByRole('button', { name: 'Give credit' }).click();
}

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  // A short window, so the new credit's group is below the fold and has to be scrolled to.
  await page.setViewportSize({ width: 1024, height: 600 });
  await page.goto(`${t.url}/tab/`);
  await page.getByRole('button', { name: /^Sign in as Maya Chen/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

const closeWays: Array<[string, () => Promise<void>]> = [
  ['Cancel', () => dialog().getByRole('button', { name: 'Cancel' }).click()],
  ['Esc', () => page.keyboard.press('Escape')],
  ['Give credit', () => fillAndGive('Walked the new starter through the on-call runbook')],
];
test.each(closeWays)('after the dialog closes with %s, focus is back on the Give credit button that opened it', async (_how, close) => {
  await headerGive().focus();
  await page.keyboard.press('Enter');
  await dialog().waitFor();
  await close();
  await dialog().waitFor({ state: 'detached' });
  await page.waitForFunction(`document.activeElement !== document.body`);
  expect(await page.evaluate(`document.activeElement.closest('header') !== null && document.activeElement.textContent`)).toBe('Give credit');
});

test('after signing in, focus is on the board heading, not the page', async () => {
  await page.getByRole('button', { name: 'Switch person' }).click();
  await page.getByRole('button', { name: /^Sign in as Maya Chen/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
  await page.waitForFunction(`document.activeElement !== document.body`);
  expect(await page.evaluate(`document.activeElement.tagName + ' ' + document.activeElement.textContent`)).toBe('H1 Northwind launch team');
});

test('a new credit is scrolled to and marked "Just given"; the others are not', async () => {
  await page.evaluate('window.scrollTo(0, 0)');
  await headerGive().click();
  await dialog().waitFor();
  // "sustained": its group sits below the visible win and the caught-early ones.
  await fillAndGive('Kept the team wiki tidy every week of the quarter, quietly, so onboarding just worked');
  const fresh = page.getByRole('article', { name: 'Just given: credit to Grace Kim' });
  await fresh.waitFor();
  expect(await fresh.textContent()).toContain('Kept the team wiki tidy');
  expect(await fresh.getByText('Just given', { exact: true }).isVisible()).toBe(true);
  await page.waitForFunction(`(() => {
    const r = [...document.querySelectorAll('[role="article"]')].find((el) => el.textContent.includes('Kept the team wiki tidy')).getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  })()`);
  expect(await page.getByText('Just given', { exact: true }).count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath('tab-credit-just-given') });
});

test('"Suggested from your message" shows only once there is a message', async () => {
  await headerGive().click();
  await dialog().waitFor();
  const hint = dialog().getByText(/^Suggested from your message/);
  const message = dialog().getByRole('textbox', { name: /What did they do/ });
  const cases: Array<[string, boolean]> = [
    ['', false],
    ['Caught the expired certificate a week before launch', true],
    ['   ', false],
  ];
  for (const [text, shown] of cases) {
    await message.fill(text);
    expect([text, await hint.count()]).toEqual([text, shown ? 1 : 0]);
  }
  await page.keyboard.press('Escape');
  await dialog().waitFor({ state: 'detached' });
});
