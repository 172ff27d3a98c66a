import type { Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID, type Kind } from '../../core';
import { axeViolations, screenshotPath, startTabSession, type TabSession, watchPageErrors, openTabAs } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { FARID, ISABEL, KEMI, MAYA } from '../support/demo-people';

// The board's small gaps: the summary's wording, a long message clamped with Show more, a favicon.
const LONG = `Rebuilt the release checklist from scratch. ${'Every step now says who does it, what it checks and what to do when it fails. '.repeat(12)}`.slice(0, 1000);

let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];

const board = () => page.getByRole('heading', { level: 1, name: 'Northwind launch team' });

const openAt = (query: string) => openTabAs(page, t.url, query, 'Maya Chen', board());

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  watchPageErrors(page, errors);
  const token = (await t.call('POST', '/api/v1/dev/token', { body: { tenantId: LOCAL_TENANT_ID, ...MAYA } })).body.accessToken;
  const given: Array<[typeof FARID, Kind, string]> = [
    [FARID, 'prevented', 'Caught the broken migration in review'],
    [FARID, 'enabled', 'Unblocked the data team with a test account'],
    [ISABEL, 'delivered', 'Shipped the new sign-up page'],
    [ISABEL, 'delivered', 'Launched the partner API'],
    [KEMI, 'sustained', 'Ran the onboarding buddy scheme'],
    [KEMI, 'delivered', LONG],
  ];
  for (const [to, kind, message] of given) {
    const res = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, { token, body: { recipients: [{ userId: to.userId }], message, kind } });
    expect(res.status).toBe(201);
  }
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

const summaries: Array<[string, string, string]> = [
  ['one behind the scenes', `person=${KEMI.userId}&kind=sustained`, '1 credit, behind the scenes'],
  ['one visible win', `person=${KEMI.userId}&kind=delivered`, '1 credit, for a visible win'],
  ['a mix', `person=${KEMI.userId}`, '2 credits, 1 of them behind the scenes'],
  ['all behind the scenes', `person=${FARID.userId}`, '2 credits, all behind the scenes'],
  ['none behind the scenes', `person=${ISABEL.userId}`, '2 credits, none behind the scenes'],
];
test.each(summaries)('the summary of %s reads plainly', async (_what, query, text) => {
  await openAt(`?period=all&${query}`);
  await page.getByTestId('board-summary').waitFor();
  expect(await page.getByTestId('board-summary').textContent()).toBe(text);
});

test('a 1000-character message is clamped to a few lines, and Show more shows it all', async () => {
  await openAt(`?period=all&person=${KEMI.userId}`);
  const card = page.getByRole('article').filter({ hasText: 'Rebuilt the release checklist' });
  const message = card.getByText(/^Rebuilt the release checklist/);
  await message.waitFor();
  const clipped = async () => message.evaluate((el) => el.scrollHeight - el.clientHeight > 1);
  expect(await clipped()).toBe(true);
  // Unclamped, the message alone is some 25 lines on a card this wide, and its row of cards grows with it.
  expect((await card.boundingBox())?.height).toBeLessThan(320);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath('tab-long-message-clamped'), fullPage: true });

  const more = card.getByRole('button', { name: 'Show more' });
  await more.click();
  expect(await card.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
  expect(await clipped()).toBe(false);
});

test('the tab has a favicon, and it loads', async () => {
  await openAt('');
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toMatch(/^data:image\/svg\+xml,/);
  expect(await page.evaluate(`new Promise((done) => { const img = new Image(); img.onload = () => done(img.naturalWidth); img.onerror = () => done(0); img.src = document.querySelector('link[rel="icon"]').href; })`)).toBeGreaterThan(0);
});
