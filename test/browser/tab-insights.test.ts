import type { Page } from 'playwright-core';
import { axeViolations, screenshotPath, startTabSession, type TabSession, watchPageErrors } from '../support/browser';
import { ANA, MAYA } from '../support/demo-people';

// Who is offered Insights, and how Insights holds up on a phone-width window, in a plain browser signed in through the local issuer.

let session: TabSession;
let page: Page;
const errors: string[] = [];
const refused: string[] = [];

beforeAll(async () => {
  session = await startTabSession();
  ({ page } = session);
  watchPageErrors(page, errors);
  // A refused call is what a member offered a lead's view would cause; the console filter above would hide it.
  page.on('response', (r) => r.status() === 403 && refused.push(`${r.request().method()} ${new URL(r.url()).pathname}`));
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
  expect(refused.splice(0)).toEqual([]);
});

const views: Array<[string, string, string[]]> = [
  ['a lead', MAYA.name, ['Board', 'My credits', 'Insights', 'Settings', 'You']],
  ['a member', ANA.name, ['Board', 'My credits', 'You']],
];
test.each(views)('%s is offered these views: Insights and Settings only to leads', async (_who, name, tabs) => {
  await session.signInAs(name);
  const list = page.getByRole('tablist', { name: 'Views' });
  await list.getByRole('tab', { name: 'You' }).waitFor();
  // Fluent repeats each tab's label in a hidden span that reserves its bold width, so read the accessible names.
  const shown = [];
  for (const view of ['Board', 'My credits', 'Insights', 'Settings', 'You']) if (await list.getByRole('tab', { name: view, exact: true }).count()) shown.push(view);
  expect(shown).toEqual(tabs);
  expect(await list.getByRole('tab').count()).toBe(tabs.length);
  expect(await axeViolations(page)).toEqual([]);
});

const widths: Array<[number]> = [[320], [768], [1400]];
test.each(widths)('insights at %i px: no sideways scroll, and the chart labels stay readable', async (width) => {
  await page.setViewportSize({ width, height: 800 });
  await session.signInAs(MAYA.name);
  await page.getByRole('tab', { name: 'Insights' }).click();
  await page.getByTestId('coverage').waitFor();
  await page.getByRole('img', { name: /Credits per week by kind/ }).waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
  // The rendered size of each label on the chart, as a person sees it after the SVG is scaled to fit.
  const sizes = (await page.evaluate(`Array.from(document.querySelectorAll('figure svg text'), (el) => Math.round(el.getBoundingClientRect().height))`)) as number[];
  expect(sizes.length).toBeGreaterThan(0);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath(`tab-insights-${width}`), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });
});

const trendWindows: Array<[string]> = [['14'], ['30'], ['90']];
test.each(trendWindows)('insights for the last %s days say in words how coverage and the behind-the-scenes share moved from the previous window', async (days) => {
  await session.signInAs(MAYA.name);
  await page.getByRole('tab', { name: 'Insights' }).click();
  await page.getByRole('combobox', { name: 'Window' }).click();
  await page.getByRole('option', { name: `Last ${days} days` }).click();
  const move = `(up \\d+ points? from|down \\d+ points? from|same as) the previous ${days} days`;
  await page.getByTestId('trend').filter({ hasText: `previous ${days} days` }).waitFor();
  expect(await page.getByTestId('trend').innerText()).toMatch(new RegExp(`^Coverage \\d+%, ${move}\\. Behind-the-scenes share \\d+%, ${move}\\.$`));
  expect(await axeViolations(page)).toEqual([]);
});
