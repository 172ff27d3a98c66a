import type { Page } from 'playwright-core';
import { DEMO_BOARD_ID } from '../../core';
import { axeViolations, screenshotPath, startTabSession, type TabSession, watchPageErrors } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { ANA, BEN, GRACE, MAYA } from '../support/demo-people';

// Removing a credit from the board: offered to its giver and to leads, always behind a confirm.
type Person = typeof MAYA;

let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];

/** Gives a board credit through the API, as the tab would, and answers its id. */
async function give(giver: Person, to: Person, message: string): Promise<string> {
  const res = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, { token: await session.token(giver), body: { recipients: [{ userId: to.userId }], message, kind: 'enabled' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const card = (message: string) => page.getByRole('article').filter({ hasText: message });

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  watchPageErrors(page, errors);
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

const offered: Array<[string, Person, Person, boolean]> = [
  ['its giver', ANA, ANA, true],
  ['a lead', MAYA, ANA, true],
  ['its recipient', BEN, ANA, false],
  ['another member', GRACE, ANA, false],
];
test.each(offered)('%s: offered Remove on a credit only when core lets them remove it', async (_who, viewer, giver, shown) => {
  const message = `Rebuilt the staging data set overnight (${viewer.name} looks)`;
  await give(giver, BEN, message);
  await session.signInAs(viewer.name);
  await card(message).waitFor();
  expect(await card(message).getByRole('button', { name: /^Remove the credit/ }).count()).toBe(shown ? 1 : 0);
});

test('the giver removes a credit after a confirm; Cancel keeps it and gives focus back', async () => {
  const message = 'Paired with the new hire on the deploy runbook all afternoon';
  const id = await give(ANA, BEN, message);
  await session.signInAs(ANA.name);
  const remove = card(message).getByRole('button', { name: `Remove the credit to ${BEN.name}` });
  await remove.click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove this credit?' });
  await confirm.waitFor();
  expect(await confirm.textContent()).toContain(`The credit to ${BEN.name} leaves the board`);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath('tab-remove-credit-confirm') });

  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  await page.waitForFunction(`document.activeElement?.getAttribute('aria-label') === ${JSON.stringify(`Remove the credit to ${BEN.name}`)}`);
  expect(await card(message).count()).toBe(1);

  await remove.click();
  await confirm.getByRole('button', { name: 'Remove credit' }).click();
  await page.getByRole('status').getByText(`Credit to ${BEN.name} removed.`).waitFor();
  await card(message).waitFor({ state: 'detached' });
  const feed = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?limit=100`, { token: await session.token(MAYA) });
  expect(feed.body.items.map((c: { id: string }) => c.id)).not.toContain(id);

  // Gone after a reload too: it was removed on the server, not only hidden.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Northwind launch team' }).waitFor();
  await page.getByRole('article').first().waitFor();
  expect(await card(message).count()).toBe(0);
});
