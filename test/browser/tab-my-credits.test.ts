import type { Page } from 'playwright-core';
import { DEMO_BOARD_ID, type Kind } from '../../core';
import { axeViolations, screenshotPath, startTabSession, type TabSession, watchPageErrors } from '../support/browser';
import type { TestApp } from '../support/test-app';
import { ANA, BEN, GRACE } from '../support/demo-people';

// My credits: what I received and gave on this board, with the kinds, as the bot's `mine` answers in a chat.
type Person = typeof ANA;

let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];

const credits: Array<{ giver: Person; to: Person; message: string; kind: Kind; visibility: 'board' | 'private' }> = [
  { giver: BEN, to: ANA, message: 'Spotted the expired certificate a day before the demo', kind: 'prevented', visibility: 'board' },
  { giver: GRACE, to: ANA, message: 'Covered my on-call shift while I was ill', kind: 'sustained', visibility: 'private' },
  { giver: ANA, to: BEN, message: 'Wrote the runbook for rotating the signing keys', kind: 'improved', visibility: 'board' },
];

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  watchPageErrors(page, errors);
  for (const c of credits) {
    const res = await t.call('POST', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions`, {
      token: await session.token(c.giver),
      body: { recipients: [{ userId: c.to.userId }], message: c.message, kind: c.kind, visibility: c.visibility },
    });
    expect(res.status).toBe(201);
  }
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

// The text as it reads on screen: the kind, the message, then the other person's initials and name.
const seen: Array<[string, Person, string, string, string]> = [
  ['received, with its kind and giver', ANA, 'Received', credits[0].message, `Caught it early${credits[0].message}BOfrom ${BEN.name}`],
  ['received in private, marked private', ANA, 'Received', credits[1].message, `Kept us going${credits[1].message}GKfrom ${GRACE.name}`],
  ['given, with its kind and recipient', ANA, 'Given', credits[2].message, `Improved how we work${credits[2].message}BOto ${BEN.name}`],
  ['received by Ben from Ana', BEN, 'Received', credits[2].message, `Improved how we work${credits[2].message}ALfrom ${ANA.name}`],
];
test.each(seen)('My credits shows a credit %s', async (_what, viewer, section, message, text) => {
  await session.signInAs(viewer.name);
  await page.getByRole('tab', { name: 'My credits' }).click();
  const list = page.getByRole('list', { name: new RegExp(`^${section} `) });
  const item = list.getByRole('listitem').filter({ hasText: message });
  await item.waitFor();
  expect(await item.textContent()).toContain(text);
  expect(await axeViolations(page)).toEqual([]);
});

test('the private credit to Ana is in her My credits only: Ben sees neither its text nor a count of it', async () => {
  await session.signInAs(ANA.name);
  await page.getByRole('tab', { name: 'My credits' }).click();
  await page.getByTestId('my-credits').waitFor();
  expect(await page.getByRole('listitem').filter({ hasText: credits[1].message }).textContent()).toContain('Private');
  await page.screenshot({ path: screenshotPath('tab-my-credits'), fullPage: true });

  await session.signInAs(BEN.name);
  await page.getByRole('tab', { name: 'My credits' }).click();
  const mine = page.getByTestId('my-credits');
  await mine.waitFor();
  const text = (await mine.textContent()) ?? '';
  expect(text).not.toContain(credits[1].message);
  // Ben's lists count only his own credits: the one he gave Ana and the one Ana gave him, plus the demo board's.
  const asBen = await session.token(BEN);
  const given = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?giver=${BEN.userId}&limit=100`, { token: asBen });
  const received = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?person=${BEN.userId}&limit=100`, { token: asBen });
  expect(await page.getByRole('heading', { name: /^Given / }).textContent()).toBe(`Given (${given.body.items.length} credit${given.body.items.length === 1 ? '' : 's'})`);
  expect(await page.getByRole('heading', { name: /^Received / }).textContent()).toBe(`Received (${received.body.items.length} credit${received.body.items.length === 1 ? '' : 's'})`);
});
