import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID, demoUserId } from '../../core';
import { launchBrowser, newTestContext, screenshotPath } from '../support/browser';
import { type TestApp, startTestApp } from '../support/test-app';
import { MAYA } from '../support/demo-people';

// The Outlook task pane on its preview page (a simulated message from Ana López to Maya Chen
// and Ben O'Neil, cc Chidi Okafor and Priya Raman of Fabrikam), against the real server in
// local mode. Run `node addin/build.mjs` first.

const BEN = demoUserId(2);
const PRIYA = 'priya.raman@fabrikam.example';
const READY = 'body[data-ready="true"] main[data-state="ready"]';

let app: TestApp;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(join(__dirname, '..', '..', 'addin', 'build', 'preview.html'))) throw new Error('Build the add-in first: node addin/build.mjs');
  app = await startTestApp({ SEED_DEMO: 'true', AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, {}, { localIssuer: true });
  browser = await launchBrowser();
  context = await newTestContext(browser, { viewport: { width: 900, height: 820 } });
  // The pane must work without the network: anything but our server is refused.
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function devToken(): Promise<string> {
  const res = await app.call('POST', '/api/v1/dev/token', { body: { tenantId: LOCAL_TENANT_ID, ...MAYA } });
  return res.body.accessToken;
}

/** A browser context whose pane has signed in once: every later page in it opens as a remembered user. */
async function signedInOnce(): Promise<BrowserContext> {
  const context = await newTestContext(browser, { viewport: { width: 900, height: 820 } });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const first = await context.newPage();
  await first.goto(`${app.url}/addin/preview.html`);
  await first.getByRole('button', { name: 'Sign in' }).click();
  await first.waitForSelector(READY);
  await first.close();
  return context;
}

async function openPane(query = ''): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  (page as any).errors = errors;
  await page.goto(`${app.url}/addin/preview.html${query}`);
  return page;
}

/** Milliseconds from navigation to the pane's "ready to credit" mark. */
const readyMark = (page: Page) => page.evaluate(() => performance.getEntriesByName('noticed-ready-to-credit')[0]?.startTime ?? -1);

describe('Outlook add-in preview', () => {
  it('signs in, credits a board member and an outside helper from the thread, once, with the email as evidence', async () => {
    const page = await openPane();
    await page.waitForSelector('main[data-state="sign-in"]');
    // Local sign-in offers the mailbox user first.
    expect(await page.getByLabel('Signed in as').inputValue()).toBe(MAYA.userId);
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector(READY);
    const afterSignIn = Date.now() - clicked;

    // Everyone on the thread once, without Maya (the mailbox user), each after their initials; outsiders show their email.
    const people = page.getByRole('group', { name: 'Who on this thread made it possible?' });
    expect(await people.locator(':scope > div > div').allTextContents()).toEqual([
      'ALAna Lópezon the board',
      "BOBen O'Neilon the board",
      'COChidi Okaforon the board',
      `PRPriya Raman${PRIYA}`,
    ]);
    expect(await page.getByLabel('Kind of work').inputValue()).toBe('prevented');
    expect(await page.getByLabel('What did they do?').inputValue()).toBe('Thank you for your part in “Fabrikam renewal — pricing sheet ready for Thursday”.');
    expect(await page.getByLabel('Board').locator('option:checked').textContent()).toBe('Northwind launch team');
    await page.screenshot({ path: screenshotPath('addin-preview-ready') });

    await page.getByRole('checkbox', { name: "Ben O'Neil" }).check();
    await page.getByRole('checkbox', { name: 'Priya Raman' }).check();
    await page.getByLabel('What did they do?').fill('Caught the wrong discount tier before the Fabrikam pricing sheet went out, with Priya’s help on their side.');
    // A double click must not give the credit twice.
    await page.getByRole('button', { name: 'Give credit' }).dblclick();
    await page.waitForSelector('main[data-state="done"]');
    expect(await page.getByRole('link', { name: 'See it on the board' }).getAttribute('href')).toBe(`/tab/?board=${DEMO_BOARD_ID}`);
    await page.screenshot({ path: screenshotPath('addin-preview-done') });
    expect((page as any).errors).toEqual([]);

    const token = await devToken();
    const feed = await app.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?person=${encodeURIComponent(PRIYA)}`, { token });
    expect(feed.status).toBe(200);
    expect(feed.body.items).toHaveLength(1);
    const credit = feed.body.items[0];
    expect(credit.giver.userId).toBe(MAYA.userId);
    expect(credit.kind).toBe('prevented');
    expect(credit.recipients.map((r: any) => r.userId ?? r.email).sort()).toEqual([BEN, PRIYA].sort());
    expect(credit.recipients.find((r: any) => r.email === PRIYA)?.name).toBe('Priya Raman');
    expect(credit.source).toBe('outlook');
    expect(credit.evidence).toMatchObject({ type: 'email', title: 'Re: Fabrikam renewal — pricing sheet ready for Thursday' });
    expect(credit.evidence.ref).toMatch(/^AAQk/);
    // The message's Outlook item id, and the link core builds from it that opens the message in Outlook on the web.
    expect(credit.evidence.itemId).toMatch(/^AAMk/);
    expect(credit.evidence.url).toBe(`https://outlook.office.com/mail/deeplink/read/${encodeURIComponent(credit.evidence.itemId)}`);
    const bens = await app.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?person=${BEN}&giver=${MAYA.userId}&limit=100`, { token });
    expect(bens.body.items.filter((c: any) => c.message.startsWith('Caught the wrong discount tier'))).toHaveLength(1);

    // Opened again (the sign-in remembered, as Outlook's single sign-on would be): ready to credit from navigation.
    const again = await openPane();
    await again.waitForSelector(READY);
    const coldOpen = await readyMark(again);
    console.log(`addin: ready to credit ${Math.round(coldOpen)} ms after opening (target ≤ 300 ms, measured by npm run bench); ${afterSignIn} ms after the local sign-in click`);
    // The mark is set once the pane is ready; how soon is a benchmark's question.
    expect(coldOpen).toBeGreaterThan(0);
    await again.close();
    await page.close();
  });

  it('opened again by a remembered user, starts from the browser’s cache: none of the pane’s code or style is asked for again', async () => {
    // No routes in this context: Playwright's request interception turns the browser's cache off.
    const own = await newTestContext(browser, { viewport: { width: 900, height: 820 } });
    try {
      const first = await own.newPage();
      await first.goto(`${app.url}/addin/preview.html`);
      await first.getByRole('button', { name: 'Sign in' }).click();
      await first.waitForSelector(READY);
      await first.close();

      const again = await own.newPage();
      await again.goto(`${app.url}/addin/preview.html`);
      await again.waitForSelector(READY);
      // Its scripts and its style sheet, the preview's stand-in for Office.js among them (Outlook serves the real one from its CDN, cached too).
      const scripts = (await again.evaluate(`performance
        .getEntriesByType('resource')
        .filter((r) => r.name.endsWith('.js') || r.name.endsWith('.css'))
        .map((r) => ({ path: new URL(r.name).pathname, downloaded: r.transferSize > 0 }))`)) as Array<{ path: string; downloaded: boolean }>;
      expect(scripts.map((s) => s.path)).toEqual(expect.arrayContaining([expect.stringMatching(/\/pane-\w+\.css$/), expect.stringMatching(/\/simulated-office-\w+\.js$/)]));
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((s) => s.downloaded)).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('opened again by a remembered user, draws ready at once: its first render already has /me and the roster, no loading step', async () => {
    const again = await signedInOnce();
    try {
      // Every state the pane's main element ever shows, from before the pane's own code runs.
      await again.addInitScript(`(() => {
        window.paneStates = [];
        new MutationObserver(() => {
          const state = document.querySelector('main[data-state]')?.dataset.state;
          if (state && window.paneStates[window.paneStates.length - 1] !== state) window.paneStates.push(state);
        }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
      })()`);
      const page = await again.newPage();
      await page.goto(`${app.url}/addin/preview.html`);
      await page.waitForSelector(READY);
      expect(await page.evaluate('window.paneStates')).toEqual(['ready']);
      expect(await page.getByRole('checkbox').count()).toBeGreaterThan(0);
    } finally {
      await again.close();
    }
  });

  it('opened again by a remembered user, asks for the board’s roster without waiting for /me', async () => {
    // A person who signed in once and gave no credit yet: the pane remembers the board /me named.
    const fresh = await signedInOnce();

    const again = await fresh.newPage();
    let answerMe = () => {};
    const meHeld = new Promise<void>((resolve) => (answerMe = resolve));
    await again.route('**/api/v1/me', async (route) => {
      await meHeld;
      await route.continue();
    });
    const roster = again.waitForRequest((r) => r.url().includes(`/api/v1/boards/${DEMO_BOARD_ID}/members`), { timeout: 10_000 });
    await again.goto(`${app.url}/addin/preview.html`);
    // While /me is unanswered the roster is already on its way: one round trip, not two.
    await roster;
    answerMe();
    await again.waitForSelector(READY);
    await fresh.close();
  });

  it('opened again by a remembered user, asks for /me and the board’s roster before Outlook is ready', async () => {
    const fresh = await signedInOnce();

    const again = await fresh.newPage();
    // Office.onReady held until the test lets it go, as a slow Outlook would: the simulated Office.js, wrapped.
    await again.route(/\/simulated-office-\w+\.js$/, async (route) => {
      const original = await route.fetch();
      const hold = `;(() => { const ready = Office.onReady; const held = new Promise((go) => (window.releaseOffice = go)); Office.onReady = (cb) => held.then(() => ready(cb)); })();`;
      await route.fulfill({ response: original, body: (await original.text()) + hold });
    });
    const asked = ['/api/v1/me', `/api/v1/boards/${DEMO_BOARD_ID}/members`].map((path) => again.waitForRequest((r) => new URL(r.url()).pathname === path, { timeout: 10_000 }));
    await again.goto(`${app.url}/addin/preview.html`);
    await Promise.all(asked);
    expect(await again.locator('main').count()).toBe(0);
    await again.evaluate('window.releaseOffice()');
    await again.waitForSelector(READY);
    await fresh.close();
  });

  // What the server says to the remembered person's token, and what the pane then shows.
  const reopenings = [
    ['issues the token', READY, 0],
    ['refuses the token', 'main[data-state="sign-in"]', 1],
  ] as const;
  it.each(reopenings)('opened again by a remembered user while the server %s, asks for the local directory only if it must choose who to be', async (_server, shows, directoryAsks) => {
    const fresh = await signedInOnce();

    const again = await fresh.newPage();
    const directory: string[] = [];
    again.on('request', (r) => (r.url().endsWith('/api/v1/dev/people') ? directory.push(r.url()) : undefined));
    if (directoryAsks) await again.route('**/api/v1/dev/token', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{}' }));
    await again.goto(`${app.url}/addin/preview.html`);
    await again.waitForSelector(shows, { timeout: 10_000 });
    // The people list only serves choosing who to be: a known person's token goes out beside Office.js, not after it.
    expect(directory).toHaveLength(directoryAsks);
    await fresh.close();
  });

  it('stays usable when the body cannot be read, and explains a refused credit without losing the form', async () => {
    const page = await openPane('?body=fail&cc=none');
    await page.waitForSelector(READY);
    expect(await page.getByText('The message body could not be read').count()).toBe(1);
    expect(await page.getByRole('checkbox').count()).toBe(2);

    await page.route('**/api/v1/boards/*/recognitions', (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid', message: 'Ben is not on this board.', correlationId: 'corr-123' } }) }),
    );
    await page.getByRole('checkbox', { name: "Ben O'Neil" }).check();
    await page.getByRole('button', { name: 'Give credit' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Nothing was sentBen is not on this board.Reference: corr-123');
    expect(await page.getByRole('checkbox', { name: "Ben O'Neil" }).isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: 'Give credit' }).isEnabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('addin-preview-refused') });
    await page.close();
  });
});
