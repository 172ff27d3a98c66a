import type { Page } from 'playwright-core';
import { DEMO_BOARD_ID } from '../../core';
import { axeViolations, screenshotPath, startTabSession, type TabSession, watchPageErrors } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { ANA, BEN, GRACE, MAYA } from '../support/demo-people';

// Changing the kind of your own credit: offered to its giver only, and the board regroups it.
type Person = typeof MAYA;

let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];

/** Gives a board credit of the kind through the API, as the tab would, and answers its id. */
async function give(giver: Person, to: Person, message: string, kind: string): Promise<string> {
  const res = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, { token: await session.token(giver), body: { recipients: [{ userId: to.userId }], message, kind } });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** The group of one kind on the board, found by its heading. */
const group = (label: string) => page.getByRole('region', { name: label });
const card = (message: string) => page.getByRole('article').filter({ hasText: message });
/** How many credits a group's heading says it holds. */
async function groupCount(label: string): Promise<number> {
  if (!(await group(label).count())) return 0;
  const text = await group(label).getByText(/^\(\d+\)$/).first().textContent();
  return Number(text?.slice(1, -1));
}

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  watchPageErrors(page, errors);
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

const offered: Array<[string, Person, boolean]> = [
  ['its giver', ANA, true],
  ['a lead who did not give it', MAYA, false],
  ['its recipient', BEN, false],
  ['another member', GRACE, false],
];
test.each(offered)('%s: offered Change kind on a credit only when they gave it', async (_who, viewer, shown) => {
  const message = `Wrote the rollback notes before anyone asked (${viewer.name} looks)`;
  await give(ANA, BEN, message, 'enabled');
  await session.signInAs(viewer.name);
  await card(message).waitFor();
  expect(await card(message).getByRole('combobox', { name: 'Change kind' }).count()).toBe(shown ? 1 : 0);
  expect(await axeViolations(page)).toEqual([]);
});

test('at 320 px the kind control fits on the card without sideways scrolling', async () => {
  const message = 'Kept the on-call notes current through the holidays';
  await give(ANA, BEN, message, 'sustained');
  await page.setViewportSize({ width: 320, height: 720 });
  try {
    await session.signInAs(ANA.name);
    await card(message).getByRole('combobox', { name: 'Change kind' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('tab-edit-kind-320') });
  } finally {
    await page.setViewportSize({ width: 1366, height: 900 });
  }
});

test('the giver changes the kind: the card moves to its new group, the counts follow, and it stays after a reload', async () => {
  const message = 'Moved the flaky suite off the shared runner for everyone';
  const id = await give(ANA, BEN, message, 'enabled');
  await session.signInAs(ANA.name);
  await group('Made it possible').getByRole('article').filter({ hasText: message }).waitFor();
  const before = { enabled: await groupCount('Made it possible'), improved: await groupCount('Improved how we work') };

  await card(message).getByRole('combobox', { name: 'Change kind' }).selectOption({ label: 'Improved how we work' });

  await group('Improved how we work').getByRole('article').filter({ hasText: message }).waitFor();
  expect(await group('Made it possible').getByRole('article').filter({ hasText: message }).count()).toBe(0);
  expect({ enabled: await groupCount('Made it possible'), improved: await groupCount('Improved how we work') }).toEqual({ enabled: before.enabled - 1, improved: before.improved + 1 });
  expect(await card(message).getByRole('combobox', { name: 'Change kind' }).inputValue()).toBe('improved');
  // The card moved to another group; focus went with it rather than to the page.
  await page.waitForFunction(`document.activeElement?.tagName === 'SELECT' && document.activeElement.closest('[role=article]')?.textContent.includes(${JSON.stringify(message)})`);
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath('tab-edit-kind') });
  const feed = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?limit=100`, { token: await session.token(ANA) });
  expect(feed.body.items.find((c: { id: string }) => c.id === id)?.kind).toBe('improved');

  await page.reload();
  await group('Improved how we work').getByRole('article').filter({ hasText: message }).waitFor();
  expect(await group('Made it possible').getByRole('article').filter({ hasText: message }).count()).toBe(0);
});
