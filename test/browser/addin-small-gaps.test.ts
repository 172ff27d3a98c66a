import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID } from '../../core';
import { axeViolations, launchBrowser, newTestContext, screenshotPath } from '../support/browser';
import { type TestApp, startTestApp } from '../support/test-app';
import { MAYA } from '../support/demo-people';

// The task pane's small gaps on its preview page: the unreadable-body hint under the kind it
// explains, "Credit someone else" after a credit, what an empty pane says, the note's layout, and
// the page in dark mode, and initials beside the people on the thread.
// Run `node addin/build.mjs` first.

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

/** Relative luminance of a CSS rgb() colour (0 black … 1 white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** In the page: the opaque background behind the point (x, y), found by walking up from what is drawn there. */
const BACKGROUND_AT = `([x, y]) => {
  for (let el = document.elementFromPoint(x, y); el; el = el.parentElement) {
    const c = getComputedStyle(el).backgroundColor;
    if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c;
  }
  return 'rgb(255, 255, 255)';
}`;

test.each([320, 1400])('in dark mode at %i px the preview page is dark all the way down, beside and below the pane', async (width) => {
  await context.close();
  context = await newTestContext(browser, { viewport: { width, height: 1400 }, bypassCSP: true, colorScheme: 'dark' });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const page = await openPane('?theme=dark');
  await page.waitForSelector(READY);
  const pane = (await page.locator('#root').boundingBox())!;
  const spots: Array<[string, number, number]> = [
    ['the pane, below its form', pane.x + 8, 1400 - 8],
    ['the pane, at its top', pane.x + pane.width / 2, pane.y + 4],
    ['the page beside the note', 4, 4],
  ];
  const light: string[] = [];
  for (const [where, x, y] of spots) {
    const colour = (await page.evaluate(`(${BACKGROUND_AT})(${JSON.stringify([x, y])})`)) as string;
    if (luminance(colour) > 0.2) light.push(`${where}: ${colour}`);
  }
  expect(light).toEqual([]);
  // The note stays readable on the dark page.
  const note = (await page.locator('.preview-note').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).color)) as string;
  expect(luminance(note)).toBeGreaterThan(0.4);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath(`addin-preview-dark-${width}`), fullPage: true });
});

test('each person on the thread has their initials beside their name, hidden from screen readers, and no photo is fetched', async () => {
  const photos: string[] = [];
  context.on('request', (r) => r.resourceType() === 'image' && !r.url().startsWith('data:') && photos.push(r.url()));
  const page = await openPane();
  await page.waitForSelector(READY);
  const people = page.getByRole('group', { name: 'Who on this thread made it possible?' });
  const rows = await people.getByRole('checkbox').evaluateAll((boxes) =>
    boxes.map((box) => {
      const label = box.ownerDocument.querySelector(`label[for="${box.id}"]`);
      const avatar = label?.querySelector('[data-testid="avatar"]');
      return [label?.textContent?.replace(avatar?.textContent ?? '', ''), avatar?.textContent, avatar?.getAttribute('aria-hidden')];
    }),
  );
  expect(rows).toEqual([
    ['Ana López', 'AL', 'true'],
    ["Ben O'Neil", 'BO', 'true'],
    ['Chidi Okafor', 'CO', 'true'],
    ['Priya Raman', 'PR', 'true'],
  ]);
  // The checkbox's name is the person's name alone.
  expect(await people.getByRole('checkbox', { name: "Ben O'Neil", exact: true }).count()).toBe(1);
  expect(photos.filter((url) => !url.includes('/addin/assets/'))).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath('addin-people-initials') });
});
