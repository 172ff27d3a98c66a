import type { Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID, demoUserId } from '../../core';
import { axeViolations, startTabSession, type TabSession } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { MAYA } from '../support/demo-people';

// Stand-up mode as a lead runs it on a big screen: a real modal whose keys always work, and slides that fit.
const LONG = `Rebuilt the release pipeline ${'step by careful step, writing down every manual fix so nobody has to remember it again, '.repeat(10)}`.slice(0, 1000);

let t: TestApp;
let session: TabSession;
let page: Page;
const consoleErrors: string[] = [];
const position = () => page.getByTestId('standup-position').textContent();
const total = async () => Number((await position())?.split(' of ')[1]);
const insideOverlay = () => page.evaluate(`!!document.activeElement?.closest('[data-testid="standup"]')`);

async function tokenOf(person: { userId: string; name: string }): Promise<string> {
  return (await t.call('POST', '/api/v1/dev/token', { body: { tenantId: LOCAL_TENANT_ID, ...person } })).body.accessToken;
}

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && consoleErrors.push(m.text()));
  const token = await tokenOf(MAYA);
  const given = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, { token, body: { recipients: [{ userId: demoUserId(3) }], message: LONG, kind: 'improved' } });
  expect(given.status).toBe(201);
  await page.setViewportSize({ width: 1024, height: 600 });
  await page.goto(`${t.url}/tab/`);
  await page.getByRole('button', { name: /^Sign in as Maya Chen/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
  await page.getByRole('button', { name: 'Stand-up mode' }).click();
  await page.waitForSelector('[data-slide="intro"]');
}, 60_000);

afterAll(() => session?.close());

test('a 1000-character message keeps its kind and names on screen, and the rest scrolls into view', async () => {
  for (let i = 0; i < (await total()) && !(await page.locator('[data-slide="credit"]').filter({ hasText: LONG.slice(0, 60) }).count()); i++) await page.keyboard.press('ArrowRight');
  const stage = page.locator('[data-slide]');
  const stageBox = await stage.boundingBox();
  for (const part of [stage.getByText('Improved how we work', { exact: true }), stage.getByRole('heading', { level: 2 })]) {
    const box = await part.boundingBox();
    expect(box && stageBox && box.y >= stageBox.y).toBe(true);
  }
  // What does not fit is reachable by scrolling the stage, down to the giver's line.
  await stage.evaluate('(s) => { s.scrollTop = s.scrollHeight; }');
  const from = stage.getByText(/^from Maya Chen/);
  const fromBox = await from.boundingBox();
  expect(fromBox && stageBox && fromBox.y + fromBox.height <= stageBox.y + stageBox.height + 1).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
});

test('Tab and Shift+Tab stay inside the stand-up overlay', async () => {
  for (const key of [...Array(8).fill('Tab'), ...Array(8).fill('Shift+Tab')]) {
    await page.keyboard.press(key);
    expect([key, await insideOverlay()]).toEqual([key, true]);
  }
});

test('after the on-screen Next reaches the last slide, the arrow keys and Esc still work', async () => {
  const last = await total();
  const next = page.getByRole('button', { name: 'Next' });
  while ((await position()) !== `${last} of ${last}`) await next.click();
  expect(await insideOverlay()).toBe(true);
  await page.keyboard.press('ArrowLeft');
  expect(await position()).toBe(`${last - 1} of ${last}`);
  await page.keyboard.press('ArrowRight');
  expect(await position()).toBe(`${last} of ${last}`);
  await page.keyboard.press('Escape');
  await page.getByTestId('standup').waitFor({ state: 'detached' });
  expect(consoleErrors).toEqual([]);
});

test('after a rehearsal held the stand-up, the presenter replays the last 7 days, and the replay holds nothing', async () => {
  const heldAt = async () => (await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/standup`, { token: await tokenOf(MAYA) })).body.lastHeldAt as string | null;
  for (let i = 0; i < 50 && !(await heldAt()); i++) await page.waitForTimeout(100);
  const held = await heldAt();
  expect(held).not.toBeNull();
  await page.getByRole('button', { name: 'Stand-up mode' }).click();
  await page.getByRole('heading', { name: /^No new credits since last time/ }).waitFor();
  const choices = page.getByRole('group', { name: 'Show credits' });
  expect(await choices.getByRole('button', { name: 'Since the last stand-up' }).getAttribute('aria-pressed')).toBe('true');

  await choices.getByRole('button', { name: 'Last 7 days' }).click();
  await page.getByRole('heading', { name: /credits? to share$/ }).waitFor();
  expect(await choices.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed')).toBe('true');
  expect(await page.locator('[data-slide]').textContent()).toContain('Last 7 days');
  await page.keyboard.press('End');
  await page.getByRole('heading', { name: 'Who made your week easier?' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('standup').waitFor({ state: 'detached' });
  expect(await heldAt()).toBe(held);
  expect(await axeViolations(page)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
