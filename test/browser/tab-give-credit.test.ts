import type { Page } from 'playwright-core';
import { axeViolations, startTabSession, type TabSession } from '../support/browser';
import type { TestApp } from '../support/test-app';

// Give credit, used several times in one visit, as a lead does through a stand-up.
let t: TestApp;
let session: TabSession;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && consoleErrors.push(m.text()));
  await page.goto(`${t.url}/tab/`);
  await page.getByRole('button', { name: /^Sign in as Maya Chen/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
}, 60_000);

afterAll(() => session?.close());

const closeWays: [string, (p: Page) => Promise<void>][] = [
  ['Cancel', (p) => p.getByRole('dialog', { name: 'Give credit' }).getByRole('button', { name: 'Cancel' }).click()],
  ['Esc', (p) => p.keyboard.press('Escape')],
  ['Give credit', async (p) => {
    const dialog = p.getByRole('dialog', { name: 'Give credit' });
    const picker = dialog.getByRole('combobox', { name: 'Search people on this board' });
    await picker.click();
    await picker.pressSequentially('Ana');
    await p.getByRole('option', { name: 'Ana López' }).click();
    await dialog.getByRole('textbox', { name: /What did they do/ }).fill('Paired on the release checklist');
    await dialog.getByRole('button', { name: 'Give credit' }).click();
  }],
];

test.each(closeWays)('after closing the dialog with %s, it opens again focused, with people to pick, and gives credit', async (_how, close) => {
  await page.getByRole('button', { name: 'Give credit' }).first().click();
  await page.getByRole('dialog', { name: 'Give credit' }).waitFor();
  await close(page);
  await page.getByRole('dialog', { name: 'Give credit' }).waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Give credit' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Give credit' });
  await dialog.waitFor();
  expect(await page.evaluate(`!!document.activeElement?.closest('[role="dialog"]')`)).toBe(true);
  const picker = dialog.getByRole('combobox', { name: 'Search people on this board' });
  await picker.click();
  await picker.pressSequentially('Gr');
  await page.getByRole('option', { name: 'Grace Kim' }).click();
  await dialog.getByRole('textbox', { name: /What did they do/ }).fill(`Second credit in one visit, after ${_how}`);
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Give credit' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('[role="article"]').filter({ hasText: `Second credit in one visit, after ${_how}` }).waitFor();
  expect(consoleErrors).toEqual([]);
});
