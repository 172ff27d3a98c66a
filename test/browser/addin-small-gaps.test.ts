import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID, demoUserId } from '../../core';
import { axeViolations, launchBrowser, newTestContext, screenshotPath } from '../support/browser';
import { type TestApp, startTestApp } from '../support/test-app';

// The task pane's small gaps on its preview page: the unreadable-body hint under the kind it
// explains, "Credit someone else" after a credit, what an empty pane says, and the note's layout.
// Run `node addin/build.mjs` first.

const MAYA = { userId: demoUserId(0), name: 'Maya Chen' };
const READY = 'body[data-ready="true"] main[data-state="ready"]';

let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let errors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(__dirname, '..', '..', 'addin', 'build', 'preview.html'))) throw new Error('Build the add-in first: node addin/build.mjs');
  [app, browser] = await Promise.all([startTestApp({ SEED_DEMO: 'true', AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, {}, { localIssuer: true }), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

beforeEach(async () => {
  errors = [];
  context = await newTestContext(browser, { viewport: { width: 900, height: 820 }, bypassCSP: true });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
});

afterEach(async () => {
  await context?.close();
  expect(errors).toEqual([]);
});

/** A pane on the preview page; signed in as Maya unless `signIn` is false. */
async function openPane(query = '', { signIn = true, expectErrors = false } = {}): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  if (!expectErrors) page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  await page.goto(`${app.url}/addin/preview.html${query}`);
  if (signIn) {
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  return page;
}

/** The text a control's aria-describedby points at: where a screen reader hears its hint. */
async function description(page: Page, label: string): Promise<string> {
  const ids = ((await page.getByLabel(label).getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(' ');
}

test('when the body cannot be read, the hint sits under the kind it explains, not under the message', async () => {
  const page = await openPane('?body=fail');
  await page.waitForSelector(READY);
  expect(await description(page, 'Kind of work')).toContain('The message body could not be read, so the kind is suggested from the subject.');
  expect(await description(page, 'What did they do?')).not.toContain('could not be read');
  expect(await page.getByText('The message body could not be read').count()).toBe(1);
});

test('after a credit, "Credit someone else" offers a fresh form, and the second credit is a new one', async () => {
  const page = await openPane();
  await page.waitForSelector(READY);
  await page.getByRole('checkbox', { name: "Ben O'Neil" }).check();
  await page.getByLabel('What did they do?').fill('Spotted the stale price list before it went to Fabrikam');
  await page.getByRole('button', { name: 'Give credit' }).click();
  await page.waitForSelector('main[data-state="done"]');

  await page.getByRole('button', { name: 'Credit someone else' }).click();
  await page.waitForSelector(READY);
  expect(await page.getByRole('checkbox', { checked: true }).count()).toBe(0);
  expect(await page.getByLabel('What did they do?').inputValue()).toBe('Thank you for your part in “Fabrikam renewal — pricing sheet ready for Thursday”.');
  // Focus starts the new form at its heading, not on the page.
  expect(await page.evaluate(`document.activeElement?.tagName + ' ' + document.activeElement?.textContent`)).toBe('H1 Give credit');
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('checkbox', { name: 'Chidi Okafor' }).check();
  await page.getByLabel('What did they do?').fill('Pulled the renewal numbers together overnight');
  await page.getByRole('button', { name: 'Give credit' }).click();
  await page.waitForSelector('main[data-state="done"]');
  expect(await page.locator('main[data-state="done"]').textContent()).toContain('Credit givenChidi Okafor —');

  const token = (await app.call('POST', '/api/v1/dev/token', { body: { tenantId: LOCAL_TENANT_ID, ...MAYA } })).body.accessToken;
  const mine = await app.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?giver=${MAYA.userId}&period=all&limit=100`, { token });
  const fromPane = mine.body.items.filter((c: any) => c.source === 'outlook').map((c: any) => [c.recipients.map((r: any) => r.name).join(), c.message]);
  expect(fromPane).toEqual(
    expect.arrayContaining([
      ["Ben O'Neil", 'Spotted the stale price list before it went to Fabrikam'],
      ['Chidi Okafor', 'Pulled the renewal numbers together overnight'],
    ]),
  );
});

const empties: Array<[string, (page: Page) => Promise<unknown>, string]> = [
  [
    'no board to match against',
    (page) => page.route('**/api/v1/me', async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, json: { ...(await real.json()), boards: [] } });
    }),
    'There is no board to suggest people from.',
  ],
  [
    "a roster that can't be loaded",
    (page) => page.route('**/api/v1/boards/*/members**', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'store_unavailable', message: 'Noticed is busy. Try again in a moment.', correlationId: 'corr-9' } }) }),
    ),
    "The board's people could not be loaded, so nobody can be suggested.",
  ],
];
test.each(empties)('with %s, the people list says so, not "nobody else on this message"', async (_what, arrange, said) => {
  const page = await openPane('', { signIn: false, expectErrors: true });
  await arrange(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const people = page.getByRole('group', { name: 'Who on this thread made it possible?' });
  await people.getByText(said).waitFor();
  expect(await people.getByText('nobody else on this message').count()).toBe(0);
});

test.each([320, 400, 640, 1024])('at %i px the preview note stays clear of the pane, with no sideways scroll', async (width) => {
  await context.close();
  context = await newTestContext(browser, { viewport: { width, height: 800 }, bypassCSP: true });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const page = await openPane();
  await page.waitForSelector(READY);
  const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
  const [note, pane] = [await box('.preview-note'), await box('#root')];
  const overlap = note.x < pane.x + pane.width && pane.x < note.x + note.width && note.y < pane.y + pane.height && pane.y < note.y + note.height;
  expect(overlap).toBe(false);
  expect(note.width).toBeGreaterThan(150);
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await page.screenshot({ path: screenshotPath(`addin-preview-${width}`) });
});
