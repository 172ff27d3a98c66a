import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Frame, type Locator, type Page, chromium } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { type TestApp, startTestApp } from './test-app';

/** Where browser tests keep their screenshots (git-ignored, kept as CI artifacts). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-results', 'screenshots');

/**
 * Launches Debian's Chromium headless. The flags keep it off the network: this machine
 * refuses outside connections, and Chromium's background services would try many.
 */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Local Network Access checks treat a page Playwright fulfils (the mock Teams host) as public, having no
    // address, and would refuse its frame on the server's other loopback name; every page here is loopback.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-features=LocalNetworkAccessChecks'],
  });
}

/**
 * A browser context for a test. It asks for reduced motion, as many people do (WCAG 2.3.3):
 * Fluent v9 then runs its transitions in 0.01 ms, so no check measures a button mid-fade. On
 * an idle machine axe ran while the dialog and buttons were still animating and read their
 * half-faded colours as contrast failures; a busy machine hid that by being slow.
 */
export function newTestContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ reducedMotion: 'reduce', ...options });
}

/**
 * Waits until no finite animation or transition is running in the page or frame, so what is
 * measured next is what a person sees once the page is still. Endless ones (a spinner) are
 * left alone: they never finish, and they are not what a check measures.
 */
export async function settled(target: Page | Frame): Promise<void> {
  // A cancelled animation rejects `finished`; it is still no longer moving.
  await target.evaluate(`Promise.all(${RUNNING_FINITE_ANIMATIONS}.map((a) => a.finished.catch(() => undefined)))`);
}

/** How long the longest finite animation running in the page or frame lasts, in ms (0 when none runs). */
export async function longestMotionMs(target: Page | Frame): Promise<number> {
  return (await target.evaluate(`Math.max(0, ...${RUNNING_FINITE_ANIMATIONS}.map((a) => a.effect.getComputedTiming().endTime))`)) as number;
}

/** In the page: its running animations and transitions that end (a spinner's never does). */
const RUNNING_FINITE_ANIMATIONS = `document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity)`;

/** A screenshot file path for a test step. */
export function screenshotPath(name: string): string {
  return join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`);
}

/** Serious and critical axe-core violations on the page or frame, as readable lines. */
export async function axeViolations(target: Page | Frame): Promise<string[]> {
  await settled(target);
  // Once per document: a view switch in the tab keeps the document, and axe.min.js is half a megabyte to parse again.
  if (!(await target.evaluate('typeof axe !== "undefined"'))) await target.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  // Tabster's focus sentinels are aria-hidden on purpose and pass focus straight on.
  return (await target.evaluate(`axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`)) as string[];
}

/**
 * Collects the page's errors and console errors into `errors`, for a test to assert none.
 * The tab asks the Office CDN for Teams' host list, which this machine cannot reach; a failed
 * resource load is therefore not counted.
 */
export function watchPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
}

/** The real server on a fresh demo board, signed in to as `npm start` does, and a page in Chromium. */
export interface TabSession {
  t: TestApp;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** A local-mode token for a person on the demo board, as the tab's sign-in gets one. */
  token(person: { userId: string; name: string }): Promise<string>;
  /** Opens the tab and signs in as the person (the tab remembers the last one, so switches if needed). */
  signInAs(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a tab session for one browser test file; the tab must be built first. */
/**
 * Opens the tab at `query` in local mode as `name`: picks them on the local sign-in unless the
 * tab remembers them from an earlier visit, then waits for the board's heading.
 */
export async function openTabAs(page: Page, baseUrl: string, query: string, name: string, heading: Locator): Promise<void> {
  await page.goto(`${baseUrl}/tab/${query}`);
  const pick = page.getByRole('button', { name: new RegExp(`^Sign in as ${name}`) });
  await pick.or(heading).waitFor();
  if (await pick.isVisible()) await pick.click();
  await heading.waitFor();
}

export async function startTabSession(): Promise<TabSession> {
  if (!existsSync(join(__dirname, '..', '..', 'tab', 'build', 'index.html'))) throw new Error('Build the tab first: node tab/build.mjs');
  const [t, browser] = await Promise.all([startTestApp({ SEED_DEMO: 'true', AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, {}, { localIssuer: true }), launchBrowser()]);
  // bypassCSP only so the tests can inject axe-core; the tab itself runs under the real CSP.
  const context = await newTestContext(browser, { viewport: { width: 1366, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return {
    t,
    browser,
    context,
    page,
    token: async (person) => (await t.call('POST', '/api/v1/dev/token', { body: { tenantId: LOCAL_TENANT_ID, ...person } })).body.accessToken,
    signInAs: async (name) => {
      await page.goto(`${t.url}/tab/`);
      const picker = page.getByRole('heading', { name: 'Sign in to the demo board' });
      const board = page.getByRole('heading', { level: 1, name: 'Northwind launch team' });
      await picker.or(board).waitFor();
      if (await board.isVisible()) {
        if (await page.getByText(`signed in as ${name}`).isVisible()) return;
        await page.getByRole('button', { name: 'Switch person' }).click();
      }
      await page.getByRole('button', { name: new RegExp(`^Sign in as ${name}`) }).click();
      await board.waitFor();
    },
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}
