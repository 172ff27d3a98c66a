import type { Frame, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID } from '../../core';
import { axeViolations, startTabSession, type TabSession, watchPageErrors, openTabAs } from '../support/browser';
import { openInMockTeams } from '../support/mock-teams-host';
import type { TestApp } from '../support/test-app';
import { FARID, MAYA } from '../support/demo-people';

// Filters in the link: a lead shares "Caught it early, last 30 days" and the board opens that way, in a browser or from a Teams deep link.

let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];

const board = () => page.getByRole('heading', { level: 1, name: 'Northwind launch team' });

/** Opens the tab at this query, signed in as Maya (the tab remembers her after the first time). */
const openAt = (query: string) => openTabAs(page, t.url, query, 'Maya Chen', board());

/** The filters as the board shows them: what each dropdown reads. */
async function shownFilters(target: Page | Frame = page) {
  await target.getByRole('combobox', { name: 'Period' }).waitFor();
  return {
    period: (await target.getByRole('combobox', { name: 'Period' }).textContent())?.trim(),
    kind: (await target.getByRole('combobox', { name: 'Kind of work' }).textContent())?.trim(),
    person: (await target.getByRole('combobox', { name: 'Person credited' }).textContent())?.trim(),
  };
}

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  watchPageErrors(page, errors);
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

const links: Array<[string, string, { period: string; kind: string; person: string }, string[] | undefined]> = [
  ['a kind and a period', '?period=30&kind=prevented', { period: 'Last 30 days', kind: 'Caught it early', person: 'Everyone' }, ['prevented']],
  ['a period alone', '?period=7', { period: 'Last 7 days', kind: 'All kinds', person: 'Everyone' }, undefined],
  ['a person', `?period=all&person=${FARID.userId}`, { period: 'All time', kind: 'All kinds', person: FARID.name }, undefined],
  ['values the board does not offer, left at their defaults', '?period=999&kind=bogus&person=%20', { period: 'Last 30 days', kind: 'All kinds', person: 'Everyone' }, undefined],
];
test.each(links)('a link with %s opens the board so filtered', async (_what, query, expected, kinds) => {
  await openAt(query);
  expect(await shownFilters()).toEqual(expected);
  if (kinds) {
    await page.waitForFunction(`document.querySelectorAll('section[data-kind]').length === ${kinds.length}`);
    expect(await page.locator('section[data-kind]').evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')))).toEqual(kinds);
  }
});

test('changing the filters puts them in the address, which opens the same view after a reload; Clear takes them out', async () => {
  await openAt('');
  await page.getByRole('combobox', { name: 'Kind of work' }).click();
  await page.getByRole('listbox', { name: 'Kind of work' }).getByRole('option', { name: 'Caught it early' }).click();
  await page.getByRole('combobox', { name: 'Period' }).click();
  await page.getByRole('option', { name: 'Last 90 days' }).click();
  await page.waitForURL((url) => url.searchParams.get('kind') === 'prevented' && url.searchParams.get('period') === '90');
  expect(await axeViolations(page)).toEqual([]);

  await page.reload();
  await board().waitFor();
  expect(await shownFilters()).toEqual({ period: 'Last 90 days', kind: 'Caught it early', person: 'Everyone' });

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForURL((url) => !url.search);
  expect(await shownFilters()).toEqual({ period: 'Last 30 days', kind: 'All kinds', person: 'Everyone' });
});

test('a Teams deep link whose subPageId carries the board and filters opens the board so filtered', async () => {
  const tab = await openInMockTeams(page, t.url, {
    user: { tenantId: LOCAL_TENANT_ID, ...MAYA },
    subEntityId: new URLSearchParams({ board: DEMO_BOARD_ID, period: '30', kind: 'prevented' }).toString(),
  });
  await tab.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
  expect(await shownFilters(tab)).toEqual({ period: 'Last 30 days', kind: 'Caught it early', person: 'Everyone' });
  await tab.waitForFunction(`document.querySelectorAll('section[data-kind]').length === 1`);
  expect(await tab.locator('section[data-kind]').getAttribute('data-kind')).toBe('prevented');
});
