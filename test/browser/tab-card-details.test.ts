import type { Page } from 'playwright-core';
import { DEMO_BOARD_ID, demoUserId } from '../../core';
import { axeViolations, startTabSession, type TabSession } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { MAYA } from '../support/demo-people';

// What a card shows besides the message: the recipients' initials, and where the credit came from.

let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];
const photoRequests: string[] = [];

/** Gives a credit as Maya through the API, as the tab or the add-in would. */
async function give(body: Record<string, unknown>): Promise<void> {
  const res = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, { token: await session.token(MAYA), body: { kind: 'enabled', ...body } });
  expect(res.status).toBe(201);
}

/** Opens the board signed in as Maya. */
const openBoard = () => session.signInAs(MAYA.name);

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  page.on('request', (r) => /photo|avatar/i.test(r.url()) && photoRequests.push(r.url()));
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
  expect(photoRequests.splice(0)).toEqual([]);
});

/** Recipients of a credit and the initials the card shows for them, in order. */
const avatarCases: Array<[string, Array<{ userId: string; name: string }>, string[]]> = [
  ['one recipient', [{ userId: demoUserId(1), name: 'Ana López' }], ['AL']],
  ['two recipients', [{ userId: demoUserId(6), name: 'Farid Haddad' }, { userId: demoUserId(1), name: 'Ana López' }], ['FH', 'AL']],
];
test.each(avatarCases)('a card shows initials for each recipient (%s), decorative beside the names', async (label, recipients, initials) => {
  const message = `Rebuilt the staging cluster overnight (${label})`;
  await give({ recipients: recipients.map(({ userId }) => ({ userId })), message });
  await openBoard();
  const card = page.getByRole('article').filter({ hasText: message });
  await card.waitFor();
  expect(await card.getByTestId('avatar').allInnerTexts()).toEqual(initials);
  // The names are the text; the initials are hidden from assistive technology so they are not read twice.
  expect(await card.getByRole('img').count()).toBe(0);
  expect(await card.locator('[aria-hidden="true"] [data-testid="avatar"]').count()).toBe(initials.length);
  expect(await axeViolations(page)).toEqual([]);
});

/** Email evidence as the add-in sends it, what the card says, and where its link goes (none without an item id). */
const emailCases: Array<[string, Record<string, string>, string, string | undefined]> = [
  ['with an item id', { title: 'Re: Fabrikam renewal — pricing sheet', itemId: 'AAMkAGVm+OABGAA/AAiQ8W=' }, 'From an email: Re: Fabrikam renewal — pricing sheet', 'https://outlook.office.com/mail/deeplink/read/AAMkAGVm%2BOABGAA%2FAAiQ8W%3D'],
  // A subject is text: markup in it is shown, never run.
  ['whose subject looks like markup', { title: '<img src=x onerror=alert(1)> Q3 numbers', itemId: 'AAMkAD2' }, 'From an email: <img src=x onerror=alert(1)> Q3 numbers', 'https://outlook.office.com/mail/deeplink/read/AAMkAD2'],
  ['without an item id', { title: 'Contract signed' }, 'From an email: Contract signed', undefined],
];
test.each(emailCases)('a credit from an email %s says so on its card, with the subject and a link that opens the message', async (label, evidence, line, href) => {
  const message = `Chased the signatures across three time zones (${label})`;
  await give({ recipients: [{ userId: demoUserId(1) }], message, evidence: { type: 'email', ref: 'AAQkConv1', ...evidence } });
  await openBoard();
  const card = page.getByRole('article').filter({ hasText: message });
  await card.waitFor();
  expect((await card.getByTestId('email-evidence').innerText()).trim()).toBe(line);
  const links = card.getByTestId('email-evidence').getByRole('link');
  if (href) {
    expect(await links.getAttribute('href')).toBe(href);
    expect(await links.innerText()).toBe(evidence.title);
  } else {
    expect(await links.count()).toBe(0);
  }
  expect(await axeViolations(page)).toEqual([]);
});
