import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID } from '../../core';
import { type TabSession, axeViolations, screenshotPath, startTabSession } from '../support/browser';
import { openInMockTeams } from '../support/mock-teams-host';
import { MAYA } from '../support/demo-people';

// Issue #17: a lazily loaded piece whose code does not arrive shows a message with a Retry that
// works, and the rest of the page stays; never the blank page React leaves without a boundary.
const BUILD = join(__dirname, '..', '..', 'tab', 'build');

/** The entry and the chunks index.html preloads with it: what the board needs at once. */
function initialFiles(): Set<string> {
  const page = readFileSync(join(BUILD, 'index.html'), 'utf8');
  const files = new Set([...page.matchAll(/(?:src|href)="\.\/([\w-]+\.js)"/g)].map((m) => m[1]));
  if (!files.size) throw new Error('tab/build/index.html names no script');
  return files;
}

/** The entry and the chunks it imports statically: what runs before the board's own code. */
function entryFiles(): Set<string> {
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    // Static imports only (`from"./x.js"`, `import"./x.js"`), not `import("./x.js")`.
    for (const m of readFileSync(join(BUILD, file), 'utf8').matchAll(/(?:from|import)\s*"\.\/([\w-]+\.js)"/g)) visit(m[1]);
  };
  visit(/src="\.\/([\w-]+\.js)"/.exec(readFileSync(join(BUILD, 'index.html'), 'utf8'))?.[1] ?? 'no entry');
  return files;
}

let session: TabSession;
let page: Page;
/** The files the page still gets while the network is down; everything else fails. */
let reachable: Set<string>;
/** While true the server is out of reach for every file not in `reachable`, as in a network blip. */
let offline = false;

beforeAll(async () => {
  session = await startTabSession();
  page = session.page;
  await page.route(/\/tab\/[\w-]+\.js$/, (route: Route) => {
    const file = new URL(route.request().url()).pathname.split('/').pop() ?? '';
    return offline && !reachable.has(file) ? route.abort('internetdisconnected') : route.continue();
  });
}, 60_000);

afterAll(async () => {
  await session?.close();
});

const board = () => page.getByRole('heading', { level: 1, name: 'Northwind launch team' });

test.each([
  { piece: 'The filters', open: async () => undefined, loaded: () => page.getByRole('combobox', { name: 'Period' }) },
  { piece: 'Give credit', open: () => page.getByRole('button', { name: 'Give credit' }).first().click(), loaded: () => page.getByRole('dialog', { name: 'Give credit' }) },
  { piece: 'Insights', open: () => page.getByRole('tab', { name: 'Insights' }).click(), loaded: () => page.getByTestId('coverage') },
  { piece: 'Stand-up mode', open: () => page.getByRole('button', { name: 'Stand-up mode' }).click(), loaded: () => page.getByTestId('standup') },
  { piece: 'Settings', open: () => page.getByRole('tab', { name: 'Settings' }).click(), loaded: () => page.getByTestId('settings') },
  { piece: 'Your preferences', open: () => page.getByRole('tab', { name: 'You' }).click(), loaded: () => page.getByTestId('you') },
])('$piece: a failed load says so with Retry, the board stays, and Retry loads it', async ({ piece, open, loaded }) => {
  // A fresh page load: once a chunk has arrived the browser keeps it, so nothing would fail.
  reachable = initialFiles();
  offline = true;
  await page.goto(`${session.t.url}/tab/`);
  const pick = page.getByRole('button', { name: /^Sign in as Maya Chen/ });
  await pick.or(board()).waitFor();
  if (await pick.isVisible()) await pick.click();
  await page.getByRole('article').first().waitFor();

  await open();
  const failed = page.getByRole('alert').filter({ hasText: `${piece} could not load` });
  await failed.waitFor();
  expect(await failed.textContent()).toContain('Check your connection, then retry.');
  // The rest of the page is still there and still answers.
  expect(await board().isVisible()).toBe(true);
  expect(await page.getByRole('tab', { name: 'Board' }).isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: 'Give credit' }).first().isEnabled()).toBe(true);
  await page.screenshot({ path: screenshotPath(`tab-load-failed-${piece}`) });

  offline = false;
  await failed.getByRole('button', { name: 'Retry' }).click();
  await loaded().waitFor();
  expect(await failed.count()).toBe(0);
  await page.keyboard.press('Escape');
});

test('the board’s own code failing to arrive says so with Retry instead of a blank page, and Retry loads the board', async () => {
  reachable = entryFiles();
  offline = true;
  await page.goto(`${session.t.url}/tab/`);
  const failed = page.getByRole('alert').filter({ hasText: 'Noticed could not load. Check your connection, then retry.' });
  await failed.waitFor();
  await page.screenshot({ path: screenshotPath('tab-load-failed-board') });

  offline = false;
  await failed.getByRole('button', { name: 'Retry' }).click();
  const pick = page.getByRole('button', { name: /^Sign in as Maya Chen/ });
  await pick.or(board()).waitFor();
  expect(await failed.count()).toBe(0);
});

test.each([
  {
    where: 'in a browser (local mode)',
    open: async () => {
      await page.goto(`${session.t.url}/tab/`);
      const pick = page.getByRole('button', { name: /^Sign in as Maya Chen/ });
      await pick.or(page.getByText('Loading the board…')).waitFor();
      if (await pick.isVisible()) await pick.click();
      return page.mainFrame();
    },
  },
  { where: 'inside Teams', open: () => openInMockTeams(page, session.t.url, { user: { tenantId: LOCAL_TENANT_ID, ...MAYA }, teamId: DEMO_BOARD_ID }) },
])('$where, the board, its roster and its first page are asked for while /me is still unanswered', async ({ open }) => {
  reachable = initialFiles();
  offline = false;
  let answerMe = () => {};
  const meHeld = new Promise<void>((resolve) => (answerMe = resolve));
  // Routes see the Teams frame's requests too.
  await page.route('**/api/v1/me', async (route) => {
    await meHeld;
    await route.continue();
  });
  const asked = (part: RegExp) => page.waitForRequest((r) => part.test(new URL(r.url()).pathname), { timeout: 10_000 });
  const early = Promise.all([asked(/^\/api\/v1\/boards\/[^/]+$/), asked(/^\/api\/v1\/boards\/[^/]+\/members$/), asked(/^\/api\/v1\/boards\/[^/]+\/recognitions$/)]);
  let frame;
  try {
    frame = await open();
    // One round trip before the first cards, not three: none of these waits for /me.
    await early;
  } finally {
    answerMe();
    await page.unroute('**/api/v1/me');
  }
  await frame.getByRole('article').first().waitFor();
  expect(await frame.getByRole('alert').count()).toBe(0);
});

// Issue #15: the first files carry what the first cards need, and other engineers' features
// need room under the 200 KB budget. Each marker is a Fluent class name its component's code holds.
test.each([
  { what: "Fluent's TabList (the view tabs work plainly until it arrives)", marker: 'fui-TabList' },
  { what: "Fluent's Select (Change kind, on the viewer's own credits only)", marker: 'fui-Select' },
  { what: "Fluent's Dropdown (the filters)", marker: 'fui-Dropdown' },
  { what: "Fluent's Dialog (Give credit, Remove)", marker: 'fui-Dialog' },
])('the board’s first files leave out $what', ({ marker }) => {
  const holding = [...initialFiles()].filter((file) => readFileSync(join(BUILD, file), 'utf8').includes(marker));
  expect(holding).toEqual([]);
});

test('until Fluent’s tab list arrives, the views are plain tabs that work: arrow keys, Home, End and a click', async () => {
  reachable = initialFiles();
  offline = true;
  await page.goto(`${session.t.url}/tab/`);
  const pick = page.getByRole('button', { name: /^Sign in as Maya Chen/ });
  await pick.or(board()).waitFor();
  if (await pick.isVisible()) await pick.click();
  await page.getByRole('article').first().waitFor();
  const views = page.getByRole('tablist', { name: 'Views' });
  const tab = (name: string) => views.getByRole('tab', { name, exact: true });
  expect(await tab('Board').getAttribute('aria-selected')).toBe('true');
  // Fluent's tab list never came: these are the plain ones.
  expect(await views.evaluate((list) => list.classList.contains('fui-TabList'))).toBe(false);

  await tab('Board').focus();
  const focused = () => page.evaluate('document.activeElement?.textContent');
  const steps: Array<[string, string]> = [
    ['ArrowRight', 'My credits'],
    ['ArrowLeft', 'Board'],
    ['ArrowLeft', 'You'],
    ['Home', 'Board'],
    ['End', 'You'],
  ];
  for (const [key, expected] of steps) {
    await page.keyboard.press(key);
    expect([key, await focused()]).toEqual([key, expected]);
  }
  expect(await axeViolations(page)).toEqual([]);

  offline = false;
  await tab('My credits').click();
  expect(await tab('My credits').getAttribute('aria-selected')).toBe('true');
  await page.getByTestId('my-credits').waitFor();
});
