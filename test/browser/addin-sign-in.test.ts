import type { Browser, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { axeViolations, launchBrowser, newTestContext } from '../support/browser';
import { type TestApp, startTestApp } from '../support/test-app';

// The add-in after the API rejects its token (expired, revoked, or a restarted local issuer).
const READY = 'body[data-ready="true"] main[data-state="ready"]';
let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp({ SEED_DEMO: 'true', AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, {}, { localIssuer: true });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const rejected = [
  ['GET /me', '**/api/v1/me'],
  ['the board roster', '**/api/v1/boards/*/members*'],
];

test.each(rejected)('a rejected token on %s offers "Sign in again", which gets a new token and makes the pane ready', async (_what, pattern) => {
  const context = await newTestContext(browser, { viewport: { width: 420, height: 820 }, bypassCSP: true });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  let refusing = true;
  const tokensAsked: string[] = [];
  page.on('request', (r) => (r.url().endsWith('/api/v1/dev/token') ? tokensAsked.push(r.url()) : undefined));
  await page.route(pattern, (route) =>
    refusing
      ? route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unauthorized', message: 'Sign in again: your access token is missing, expired or not valid for Noticed.', correlationId: 'corr-401' } }) })
      : route.fallback(),
  );
  await page.goto(`${app.url}/addin/preview.html`);
  await page.getByRole('button', { name: 'Sign in' }).click();

  const again = page.getByRole('alert').getByRole('button', { name: 'Sign in again' });
  await again.waitFor();
  expect(await axeViolations(page)).toEqual([]);
  const before = tokensAsked.length;
  refusing = false;
  await again.click();
  await page.waitForSelector(READY);
  expect(tokensAsked.length).toBeGreaterThan(before);
  expect(await page.getByRole('alert').count()).toBe(0);
  // The button went with its bar: focus is on the pane's heading, not dropped to the page.
  await page.waitForFunction(`document.activeElement !== document.body`);
  expect(await page.evaluate(`document.activeElement.tagName + ' ' + document.activeElement.textContent`)).toBe('H1 Give credit');
  expect(errors).toEqual([]);
  await context.close();
});
