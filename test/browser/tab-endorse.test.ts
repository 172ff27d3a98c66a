import type { Page } from 'playwright-core';
import { DEMO_BOARD_ID } from '../../core';
import { axeViolations, startTabSession, type TabSession } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { ANA, FARID, GRACE, MAYA } from '../support/demo-people';

// "I saw this too" as a toggle that shows who else saw it.
const MESSAGE = 'Noticed the backup job had silently stopped and restarted it';

let t: TestApp;
let session: TabSession;
let page: Page;
const consoleErrors: string[] = [];

const endorsersStored = async () => {
  const feed = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?kind=prevented&limit=50`, { token: await session.token(MAYA) });
  return feed.body.items.find((c: any) => c.message === MESSAGE).endorsedBy.map((p: any) => p.name);
};

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && consoleErrors.push(m.text()));
  const given = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, { token: await session.token(MAYA), body: { recipients: [{ userId: ANA.userId }], message: MESSAGE, kind: 'prevented' } });
  expect(given.status).toBe(201);
  expect((await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions/${given.body.id}/endorsements`, { token: await session.token(GRACE) })).status).toBe(200);
  await page.goto(`${t.url}/tab/`);
  await page.getByRole('button', { name: /^Sign in as Farid Haddad/ }).click();
  await page.getByRole('heading', { level: 2, name: 'Caught it early' }).waitFor();
}, 60_000);

afterAll(() => session?.close());

const description = async (p: Page) => {
  const id = await p.locator('[role="article"]').filter({ hasText: MESSAGE }).getByRole('button', { name: /^I saw this too/ }).getAttribute('aria-describedby');
  return id ? p.locator(`[id="${id}"]`).textContent() : null;
};

// Each step is one click (or none) and what the card then shows and the server holds.
const steps: Array<[string, boolean, boolean, string, string, string[]]> = [
  ['before any click: Grace is named, not pressed', false, false, 'I saw this too · 1', 'Grace Kim saw this too', [GRACE.name]],
  ['after "I saw this too": pressed, and you are named first', true, true, 'I saw this too · 2', 'You and Grace Kim saw this too', [GRACE.name, FARID.name]],
  ['after pressing again: taken back', true, false, 'I saw this too · 1', 'Grace Kim saw this too', [GRACE.name]],
];

test.each(steps)('%s', async (_step, click, pressed, label, seenBy, stored) => {
  const card = page.locator('[role="article"]').filter({ hasText: MESSAGE });
  const button = card.getByRole('button', { name: /^I saw this too/ });
  if (click) {
    await button.click();
    await card.getByRole('button', { name: label }).waitFor();
  }
  expect(await button.getAttribute('aria-pressed')).toBe(String(pressed));
  expect(await button.isEnabled()).toBe(true);
  expect(await button.textContent()).toBe(label);
  expect(await description(page)).toBe(seenBy);
  // On hover or focus the names are on screen too.
  await button.hover();
  expect(await card.getByText(seenBy, { exact: true }).isVisible()).toBe(true);
  expect(await endorsersStored()).toEqual(stored);
  expect(await axeViolations(page)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
