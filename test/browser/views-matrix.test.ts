import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID, demoUserId } from '../../core';
import { axeViolations, launchBrowser, newTestContext, screenshotPath, watchPageErrors } from '../support/browser';
import { openInMockTeams } from '../support/mock-teams-host';
import { type TestApp, startTestApp } from '../support/test-app';

// Every view at every size and theme: the tab in the mock Teams host (board, Give credit,
// stand-up, and a lead's insights and settings, You, My credits) and the Outlook pane on its
// preview page, at 320, 768 and 1400 px in light, dark and high contrast. Each must fit without
// sideways scroll, log no console errors and have no serious or critical axe violations.
// One page per theme is resized through the widths: starting the tab afresh for each width
// cost the most and showed nothing a resize does not.
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

/**
 * What axe reads of a page or frame, to run it again only where that changed: the body's
 * markup, without React's generated ids and other numbers (a dialog opened again numbers its
 * ids afresh) and without Tabster's focus sentinels (axe skips them). The head holds only the
 * styles the components insert as they first render. A resize changes layout through CSS,
 * which axe's rules (names, roles, the contrast of computed colours) read from the same
 * markup; a view whose markup changes with the width (the insights chart) is checked again.
 */
const markupOf = async (target: Page | Frame) =>
  ((await target.evaluate('document.body.outerHTML')) as string)
    .replace(/<i [^>]*data-tabster-dummy[^>]*><\/i>/g, '')
    .replace(/_r_[0-9a-z]*_/g, '_r_')
    .replace(/\d+/g, '');

/**
 * Checks one theme: one page of the tab and one of the pane, each resized through the widths
 * as a person turning a tablet or widening a window does. At every width every view must fit
 * without sideways scroll; axe runs on each view at every width where its markup differs from
 * what it already passed (or failed) in this theme.
 */
test.each(THEMES)('in %s, at every width every view fits, logs no error and passes axe', async (theme) => {
  const context = await newTestContext(browser, {
    viewport: { width: WIDTHS[0], height: 900 },
    // bypassCSP only so axe-core can be injected; the pages run under their real CSP otherwise.
    bypassCSP: true,
    colorScheme: theme === 'dark' ? 'dark' : 'light',
    forcedColors: theme === 'contrast' ? 'active' : 'none',
  });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const problems: string[] = [];
  const checked = new Map<string, Set<string>>();
  /** Sideways scroll at this width, and axe's serious findings unless this markup was checked already. */
  const check = async (page: Page, target: Page | Frame, view: string, width: number) => {
    const where = `${view} at ${width} px`;
    const scroll = (await target.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
    if (scroll[0] > scroll[1]) problems.push(`${where}: scrolls sideways (${scroll[0]} px wide in ${scroll[1]} px)`);
    const seen = checked.get(view) ?? checked.set(view, new Set()).get(view)!;
    const markup = await markupOf(target);
    if (!seen.has(markup)) {
      seen.add(markup);
      problems.push(...(await axeViolations(target)).map((v) => `${where}: ${v}`));
    }
    if (PICTURED.has(view) && width !== 768) await page.screenshot({ path: screenshotPath(`matrix-${view}-${width}-${theme}`) });
  };
  /** Resizes the page, then lets the resize's media-query and resize handlers run and React render their result. */
  const resize = async (page: Page, target: Page | Frame, width: number) => {
    await page.setViewportSize({ width, height: 900 });
    await target.waitForFunction(`window.innerWidth === ${width}`);
    await target.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done))))');
  };
  const errors: string[] = [];

  try {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    watchPageErrors(page, errors);
    const tab = await openInMockTeams(page, app.url, { user: MAYA, teamId: DEMO_BOARD_ID, theme: TEAMS_THEME[theme] });
    await tab.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
    await tab.waitForFunction(`document.documentElement.dataset.theme === ${JSON.stringify(theme)}`);
    for (const width of WIDTHS) {
      await resize(page, tab, width);
      for (const view of TAB_VIEWS) {
        await view.open(tab, page);
        await check(page, tab, view.name, width);
        await view.close?.(tab, page);
      }
    }

    const pane = await context.newPage();
    pane.setDefaultTimeout(10_000);
    watchPageErrors(pane, errors);
    await pane.goto(`${app.url}/addin/preview.html${theme === 'dark' ? '?theme=dark' : ''}`);
    await pane.getByRole('button', { name: 'Sign in' }).click();
    await pane.waitForSelector('body[data-ready="true"] main[data-state="ready"]');
    for (const width of WIDTHS) {
      await resize(pane, pane, width);
      await check(pane, pane, 'pane', width);
    }
  } finally {
    await context.close();
  }
  expect([...problems, ...errors.map((e) => `page or console error: ${e}`)]).toEqual([]);
}, 120_000);
