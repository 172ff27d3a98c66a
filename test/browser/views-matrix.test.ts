import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID, demoUserId } from '../../core';
import { axeViolations, launchBrowser, newTestContext, screenshotPath } from '../support/browser';
import { openInMockTeams } from '../support/mock-teams-host';
import { type TestApp, startTestApp } from '../support/test-app';

// Every view at every size and theme: the tab in the mock Teams host (board, Give credit,
// stand-up, and a lead's insights and settings, You, My credits) and the Outlook pane on its
// preview page, at 320, 768 and 1400 px in light, dark and high contrast. Each must fit without
// sideways scroll, log no console errors and have no serious or critical axe violations.
// Run `npm run build:apps` first.

const MAYA = { tenantId: LOCAL_TENANT_ID, userId: demoUserId(0), name: 'Maya Chen' }; // a lead of the demo board
const WIDTHS = [320, 768, 1400] as const;
const THEMES = ['light', 'dark', 'contrast'] as const;
type Theme = (typeof THEMES)[number];
/** Screenshots are kept of these views at the narrowest and widest size. */
const PICTURED = new Set(['board', 'stand-up', 'insights', 'settings', 'pane']);

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  for (const built of ['tab/build/index.html', 'addin/build/preview.html']) {
    if (!existsSync(join(__dirname, '..', '..', built))) throw new Error('Build the apps first: npm run build:apps');
  }
  [app, browser] = await Promise.all([startTestApp({ SEED_DEMO: 'true', AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, {}, { localIssuer: true }), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** One way a view is opened from the board, and closed again so the next starts from the board. */
interface TabView {
  name: string;
  open(tab: Frame, page: Page): Promise<void>;
  close?(tab: Frame, page: Page): Promise<void>;
}

const viewTab = (label: string, ready: (tab: Frame) => Promise<unknown>) => async (tab: Frame) => {
  await tab.getByRole('tab', { name: label }).click();
  await ready(tab);
};

const TAB_VIEWS: TabView[] = [
  { name: 'board', open: viewTab('Board', (tab) => tab.getByRole('heading', { level: 2, name: 'Caught it early' }).waitFor()) },
  {
    name: 'give-credit',
    open: async (tab) => {
      await tab.locator('header').getByRole('button', { name: 'Give credit' }).click();
      await tab.getByRole('dialog', { name: 'Give credit' }).waitFor();
    },
    close: async (tab, page) => {
      await page.keyboard.press('Escape');
      await tab.getByRole('dialog', { name: 'Give credit' }).waitFor({ state: 'detached' });
    },
  },
  {
    name: 'stand-up',
    open: async (tab) => {
      await tab.getByRole('button', { name: 'Stand-up mode' }).click();
      await tab.getByTestId('standup').waitFor();
    },
    close: async (tab, page) => {
      await page.keyboard.press('Escape');
      await tab.getByTestId('standup').waitFor({ state: 'detached' });
    },
  },
  { name: 'insights', open: viewTab('Insights', (tab) => tab.getByTestId('coverage').waitFor()) },
  { name: 'settings', open: viewTab('Settings', (tab) => tab.getByRole('heading', { level: 2, name: 'Leads' }).waitFor()) },
  { name: 'you', open: viewTab('You', (tab) => tab.getByTestId('you').waitFor()) },
  { name: 'my-credits', open: viewTab('My credits', (tab) => tab.getByTestId('my-credits').waitFor()) },
];

const TEAMS_THEME: Record<Theme, 'default' | 'dark' | 'contrast'> = { light: 'default', dark: 'dark', contrast: 'contrast' };

/** What is wrong with the page or frame as it is now: sideways scroll and axe's serious findings. */
async function problemsIn(target: Page | Frame, where: string): Promise<string[]> {
  const scroll = (await target.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  const found = scroll[0] > scroll[1] ? [`${where}: scrolls sideways (${scroll[0]} px wide in ${scroll[1]} px)`] : [];
  return found.concat((await axeViolations(target)).map((v) => `${where}: ${v}`));
}

const cases = WIDTHS.flatMap((width) => THEMES.map((theme) => [width, theme] as const));

test.each(cases)('at %i px in %s, every view fits, logs no error and passes axe', async (width, theme) => {
  const context = await newTestContext(browser, {
    viewport: { width, height: 900 },
    // bypassCSP only so axe-core can be injected; the pages run under their real CSP otherwise.
    bypassCSP: true,
    colorScheme: theme === 'dark' ? 'dark' : 'light',
    forcedColors: theme === 'contrast' ? 'active' : 'none',
  });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // The tab asks the Office CDN for Teams' host list, which this machine cannot reach; that is not a page error.
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(`console: ${m.text()}`));
  };
  const shot = (page: Page, view: string) =>
    PICTURED.has(view) && width !== 768 ? page.screenshot({ path: screenshotPath(`matrix-${view}-${width}-${theme}`) }) : Promise.resolve();

  try {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    watch(page);
    const tab = await openInMockTeams(page, app.url, { user: MAYA, teamId: DEMO_BOARD_ID, theme: TEAMS_THEME[theme] });
    await tab.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
    await tab.waitForFunction(`document.documentElement.dataset.theme === ${JSON.stringify(theme)}`);
    for (const view of TAB_VIEWS) {
      await view.open(tab, page);
      problems.push(...(await problemsIn(tab, view.name)));
      await shot(page, view.name);
      await view.close?.(tab, page);
    }
    await page.close();

    const pane = await context.newPage();
    pane.setDefaultTimeout(10_000);
    watch(pane);
    await pane.goto(`${app.url}/addin/preview.html${theme === 'dark' ? '?theme=dark' : ''}`);
    await pane.getByRole('button', { name: 'Sign in' }).click();
    await pane.waitForSelector('body[data-ready="true"] main[data-state="ready"]');
    problems.push(...(await problemsIn(pane, 'pane')));
    await shot(pane, 'pane');
  } finally {
    await context.close();
  }
  expect(problems).toEqual([]);
});
