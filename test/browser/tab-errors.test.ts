import type { Page, Route } from 'playwright-core';
import { axeViolations, startTabSession, type TabSession } from '../support/browser';
import type { TestApp } from '../support/test-app';

// When the network fails mid-use, the board says so, shows nothing stale, and recovers.
let t: TestApp;
let session: TabSession;
let page: Page;
const consoleErrors: string[] = [];
const refuse = (route: Route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'Noticed is busy right now.', correlationId: 'corr-503' } }) });

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && consoleErrors.push(m.text()));
  await page.goto(`${t.url}/tab/`);
  await page.getByRole('button', { name: /^Sign in as Maya Chen/ }).click();
  await page.getByRole('heading', { level: 2, name: 'Caught it early' }).waitFor();
}, 60_000);

afterAll(() => session?.close());

test('a failed filter change clears the old cards and offers a Retry that loads the filtered ones', async () => {
  await page.route('**/api/v1/boards/*/recognitions?*', (route) => (route.request().url().includes('kind=prevented') ? refuse(route) : route.fallback()));
  await page.getByRole('combobox', { name: 'Kind of work' }).click();
  await page.getByRole('listbox', { name: 'Kind of work' }).getByRole('option', { name: 'Caught it early' }).click();
  await page.getByText('Noticed is busy right now. (Reference: corr-503)').waitFor();
  expect(await page.locator('[role="article"]').count()).toBe(0);
  expect(await page.locator('section[data-kind]').count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);

  await page.unroute('**/api/v1/boards/*/recognitions?*');
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.locator('section[data-kind="prevented"] [role="article"]').first().waitFor();
  expect(await page.locator('section[data-kind]').evaluateAll((s) => s.map((e) => e.getAttribute('data-kind')))).toEqual(['prevented']);
  expect(await page.getByText('Noticed is busy right now.').count()).toBe(0);
  expect(consoleErrors).toEqual([]);
});

test('after a failed submit, focus stays in the dialog and Esc still closes it', async () => {
  await page.getByRole('button', { name: 'Give credit' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Give credit' });
  const picker = dialog.getByRole('combobox', { name: 'Search people on this board' });
  await picker.click();
  await picker.pressSequentially('Ana');
  await page.getByRole('option', { name: 'Ana López' }).click();
  await dialog.getByRole('textbox', { name: /What did they do/ }).fill('Kept the release notes honest');
  await page.route('**/api/v1/boards/*/recognitions', (route) => (route.request().method() === 'POST' ? refuse(route) : route.fallback()));
  await dialog.getByRole('button', { name: 'Give credit' }).click();
  await dialog.getByText('Noticed is busy right now. (Reference: corr-503)').waitFor();
  await page.unroute('**/api/v1/boards/*/recognitions');

  expect(await page.evaluate(`!!document.activeElement?.closest('[role="dialog"]')`)).toBe(true);
  await page.keyboard.press('Escape');
  await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
  expect(await page.locator('[role="article"]').filter({ hasText: 'Kept the release notes honest' }).count()).toBe(0);
  expect(consoleErrors).toEqual([]);
});
