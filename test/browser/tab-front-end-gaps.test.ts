import type { Frame, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { DEMO_BOARD_ID, type Kind } from '../../core';
import { axeViolations, newTestContext, screenshotPath, settled, startTabSession, type TabSession, watchPageErrors, openTabAs } from '../support/browser';
import { openInMockTeams } from '../support/mock-teams-host';
import type { TestApp } from '../support/test-app';
import { ANA, BEN, FARID, GRACE, ISABEL, JONAS, KEMI, MAYA } from '../support/demo-people';

// The front ends' remaining gaps: avatars wherever people are named, Copy link and opening a
// shared link, focus after Remove, stand-up's "since" buttons at phone width, and high contrast
// in the Teams frame.
// Run `npm run build:apps` first.
type Person = typeof MAYA;

let t: TestApp;
let session: TabSession;
let page: Page;
const errors: string[] = [];

const board = (target: Page | Frame = page) => target.getByRole('heading', { level: 1, name: 'Northwind launch team' });

/**
 * Gives a board credit as the tab's API would, and answers its id. Through the domain, not HTTP:
 * these are the tests' own credits, some twenty by Maya within seconds, which the API's write
 * limit for one person (a burst of 20) would refuse.
 */
async function give(giver: Person, to: Person, message: string, kind: Kind = 'enabled', visibility: 'board' | 'private' = 'board'): Promise<string> {
  // A millisecond apart at least, so the newest of a test's credits is always one credit (the board sorts by time).
  await new Promise((resolve) => setTimeout(resolve, 2));
  const { recognition } = await t.app.noticed.giveCredit({ tenantId: LOCAL_TENANT_ID, userId: giver.userId, name: giver.name }, DEMO_BOARD_ID, { recipients: [{ userId: to.userId }], message, kind, visibility }, 'api');
  return recognition.id;
}

/** Opens the board at a query, signed in as Maya. */
const openAt = (query: string) => openTabAs(page, t.url, query, 'Maya Chen', board());

/** What has focus, as a person would describe it: its role or tag, and its accessible label or text. */
function focused(target: Page | Frame = page): Promise<string> {
  return target.evaluate(`(() => { const el = document.activeElement; return (el?.getAttribute('role') ?? el?.tagName.toLowerCase()) + ': ' + (el?.getAttribute('aria-label') ?? el?.textContent?.trim()); })()`) as Promise<string>;
}

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  watchPageErrors(page, errors);
  await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
}, 60_000);

afterAll(() => session?.close());

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

describe('avatars wherever people are named', () => {
  test('the Give credit picker shows initials beside each suggestion and each chosen person, hidden from screen readers', async () => {
    await openAt('');
    await page.locator('header').getByRole('button', { name: 'Give credit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Give credit' });
    await dialog.waitFor();
    const search = dialog.getByRole('combobox', { name: 'Search people on this board' });
    await search.click();
    await search.pressSequentially('Far');
    const option = page.getByRole('option', { name: FARID.name, exact: true });
    await option.waitFor();
    expect(await option.getByTestId('avatar').textContent()).toBe('FH');
    await option.click();
    const chosen = dialog.getByRole('listbox', { name: 'People to credit' });
    await chosen.getByRole('option', { name: FARID.name, exact: true }).waitFor();
    expect(await chosen.getByTestId('avatar').textContent()).toBe('FH');
    await search.pressSequentially('Kem');
    await page.getByRole('option', { name: KEMI.name, exact: true }).getByTestId('avatar').waitFor();
    // Decorative: the name is the text, so a reader hears "Kemi Adeyemi", not "KA Kemi Adeyemi".
    expect(await dialog.getByTestId('avatar').evaluateAll((els) => els.every((el) => el.closest('[aria-hidden="true"]')))).toBe(true);
    expect(await page.getByTestId('avatar').evaluateAll((els) => els.filter((el) => el.querySelector('img')).length)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('tab-picker-avatars') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  test('My credits shows the initials of who gave and who received each credit, beside their names', async () => {
    await give(ANA, MAYA, 'Covered the release notes while I was out');
    await give(MAYA, JONAS, 'Reworked the demo script for the partner call');
    await openAt('');
    await page.getByRole('tab', { name: 'My credits' }).click();
    const mine = page.getByTestId('my-credits');
    await mine.getByText('Reworked the demo script').waitFor();
    const avatarsIn = (message: string) => mine.getByRole('listitem').filter({ hasText: message }).getByTestId('avatar').allTextContents();
    expect(await avatarsIn('Covered the release notes')).toEqual(['AL']);
    expect(await avatarsIn('Reworked the demo script')).toEqual(['JB']);
    expect(await mine.getByTestId('avatar').evaluateAll((els) => els.every((el) => el.closest('[aria-hidden="true"]') && !el.querySelector('img')))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('Copy link, and opening a shared link', () => {
  const APP_ID = '11111111-2222-4333-8444-555555555555';
  const inTeams = () => openInMockTeams(page, t.url, { user: { tenantId: LOCAL_TENANT_ID, ...MAYA }, teamId: DEMO_BOARD_ID, appId: APP_ID });

  /** The id of a demo credit, by its words. */
  async function idOf(message: string): Promise<string> {
    const feed = await t.call('GET', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions?period=all&limit=100`, { token: await session.token(MAYA) });
    return feed.body.items.find((c: { message: string }) => c.message.startsWith(message)).id;
  }

  // [what is copied, where, how the button is found, what the link must be (given the credit's id)]
  const copies: Array<[string, 'browser' | 'teams' | 'no clipboard API', string, (id: string) => string]> = [
    ['a credit', 'browser', 'Copy link to the credit to Grace Kim', (id) => `${t.url}/tab/?credit=${id}`],
    ['a credit', 'no clipboard API', 'Copy link to the credit to Grace Kim', (id) => `${t.url}/tab/?credit=${id}`],
    ['the filtered view', 'browser', 'Copy link to this view', () => `${t.url}/tab/?period=90&kind=sustained`],
    ['a credit', 'teams', 'Copy link to the credit to Grace Kim', (id) =>
      `https://teams.microsoft.com/l/entity/${APP_ID}/noticed-board?${new URLSearchParams({ webUrl: `${t.url}/tab/?credit=${id}`, label: 'Noticed', context: JSON.stringify({ subEntityId: `credit=${id}&board=${DEMO_BOARD_ID}`, channelId: '19:mock-channel@thread.tacv2' }), groupId: 'mock-group', tenantId: LOCAL_TENANT_ID })}`],
  ];
  test.each(copies)('Copy link on %s (%s) puts the link on the clipboard and says "Link copied"', async (_what, where, button, expected) => {
    const message = `Ran the retro when the lead was out (${where}, ${button.slice(0, 20)})`;
    const id = await give(MAYA, GRACE, message, 'sustained');
    let tab: Page | Frame = page;
    if (where === 'teams') tab = await inTeams();
    else await openAt('?period=90&kind=sustained');
    await board(tab).waitFor();
    // As in a frame without clipboard permission: the Clipboard API refuses, and the older copy command is left.
    if (where === 'no clipboard API') await page.evaluate('navigator.clipboard.writeText = () => Promise.reject(new DOMException("denied", "NotAllowedError"))');
    const card = tab.getByRole('article').filter({ hasText: message });
    const copy = (button.endsWith('this view') ? tab : card).getByRole('button', { name: button });
    await copy.click();
    const status = (button.endsWith('this view') ? tab.locator('[role="status"]').filter({ has: tab.getByText('Link copied') }) : card.getByRole('status'));
    await status.getByText('Link copied').waitFor();
    expect(await tab.evaluate('navigator.clipboard.readText()')).toBe(expected(id));
    // Focus stays where the person pressed, so they go on from there.
    expect(await focused(tab)).toBe(`button: ${button}`);
    expect(await axeViolations(tab)).toEqual([]);
  });

  test('when the browser copies nothing, the link is shown to copy by hand', async () => {
    const message = 'Wrote the on-call handover notes every Friday';
    const id = await give(MAYA, GRACE, message, 'sustained');
    await openAt('?period=30&kind=sustained');
    await page.evaluate(`navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError')); document.execCommand = () => false;`);
    const card = page.getByRole('article').filter({ hasText: message });
    await card.getByRole('button', { name: 'Copy link to the credit to Grace Kim' }).click();
    const field = card.getByRole('status').getByRole('textbox', { name: 'The link to copy' });
    expect(await field.inputValue()).toBe(`${t.url}/tab/?credit=${id}`);
    expect(await card.getByText('Link copied').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  test('Copy link in Teams without the app id falls back to the board address', async () => {
    const message = 'Kept the shared calendar up to date all quarter';
    const id = await give(MAYA, GRACE, message, 'sustained');
    const tab = await openInMockTeams(page, t.url, { user: { tenantId: LOCAL_TENANT_ID, ...MAYA }, teamId: DEMO_BOARD_ID });
    const card = tab.getByRole('article').filter({ hasText: message });
    await card.getByRole('button', { name: 'Copy link to the credit to Grace Kim' }).click();
    await card.getByRole('status').getByText('Link copied').waitFor();
    expect(await tab.evaluate('navigator.clipboard.readText()')).toBe(`${t.url}/tab/?credit=${id}`);
  });

  type Opening = [string, 'browser' | 'teams', 'highlighted' | 'gone', () => Promise<{ id: string; message: string }>];
  const openings: Opening[] = [
    ['a credit older than the board’s 30 days', 'browser', 'highlighted', async () => ({ message: 'Caught the currency rounding bug', id: await idOf('Caught the currency rounding bug') })],
    ['a credit behind its group’s Show more', 'browser', 'highlighted', async () => {
      const message = 'Linked: the oldest of eight unblockings';
      const id = await give(MAYA, BEN, message);
      for (let i = 1; i <= 7; i++) await give(MAYA, BEN, `Unblocked the build, take ${i}`);
      return { id, message };
    }],
    ['a credit, from a Teams deep link', 'teams', 'highlighted', async () => ({ message: 'Caught the currency rounding bug', id: await idOf('Caught the currency rounding bug') })],
    ['a removed credit', 'browser', 'gone', async () => {
      const message = 'Linked, then removed';
      const id = await give(MAYA, BEN, message);
      expect((await t.call('DELETE', `/api/v1/boards/${DEMO_BOARD_ID}/recognitions/${id}`, { token: await session.token(MAYA) })).status).toBe(204);
      return { id, message };
    }],
    ['a private credit between two others', 'browser', 'gone', async () => ({ message: 'Private thanks for covering my on-call shift', id: await give(ANA, BEN, 'Private thanks for covering my on-call shift', 'sustained', 'private') })],
    ['an id that never existed', 'browser', 'gone', async () => ({ message: 'nothing', id: 'r-never-existed' })],
  ];
  test.each(openings)('opening a link to %s (%s): %s', async (_what, where, shown, make) => {
    const { id, message } = await make();
    let tab: Page | Frame = page;
    if (where === 'teams') {
      tab = await openInMockTeams(page, t.url, { user: { tenantId: LOCAL_TENANT_ID, ...MAYA }, subEntityId: new URLSearchParams({ credit: id, board: DEMO_BOARD_ID }).toString(), appId: APP_ID });
      await board(tab).waitFor();
    } else await openAt(`?credit=${id}`);
    if (shown === 'highlighted') {
      const card = tab.getByRole('article', { name: /^Linked credit to / }).filter({ hasText: message });
      await card.waitFor();
      expect(await card.getByText('The credit you were linked to').isVisible()).toBe(true);
      await tab.waitForFunction(`document.activeElement?.dataset.creditId === ${JSON.stringify(id)}`);
      const box = (await card.boundingBox())!;
      const height = (await tab.evaluate('window.innerHeight')) as number;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + Math.min(box.height, 200)).toBeLessThanOrEqual(height);
      expect(await tab.getByRole('article', { name: /^Linked credit to / }).count()).toBe(1);
    } else {
      await tab.getByRole('status').getByText('The credit this link points to is gone, or it is private and not shared with you.').waitFor();
      expect(await tab.getByRole('article', { name: /^Linked credit to / }).count()).toBe(0);
      // A private credit's link tells a stranger nothing: not its words, not its people, not that it is private.
      expect(await tab.locator('body').textContent()).not.toContain(message);
      await tab.getByRole('heading', { level: 2 }).first().waitFor();
    }
    expect(await axeViolations(tab)).toEqual([]);
    await page.screenshot({ path: screenshotPath(`tab-linked-${where}-${shown}-${_what.replace(/\W+/g, '-').slice(0, 30)}`) });
  });
});

describe('focus after Remove', () => {
  // [case, the person credited, the credits (newest last), the one removed, where focus goes]
  const cases: Array<[string, Person, string[], string, string]> = [
    ['a credit with one after it', FARID, ['Farid oldest', 'Farid middle', 'Farid newest'], 'Farid middle', 'article: Credit to Farid Haddad · Farid oldest'],
    ['the last credit on the board', ISABEL, ['Isabel older', 'Isabel newer'], 'Isabel older', 'article: Credit to Isabel Santos · Isabel newer'],
    ['the only credit', KEMI, ['Kemi only'], 'Kemi only', 'h1: Northwind launch team'],
  ];
  test.each(cases)('after removing %s, focus goes to the next credit, else the previous, else the board heading', async (_what, person, messages, removed, expected) => {
    for (const message of messages) await give(MAYA, person, message);
    await openAt(`?period=all&person=${person.userId}`);
    const card = page.getByRole('article').filter({ hasText: removed });
    await card.waitFor();
    await card.getByRole('button', { name: /^Remove the credit/ }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove this credit?' });
    await confirm.getByRole('button', { name: 'Remove credit' }).click();
    await card.waitFor({ state: 'detached' });
    await page.waitForFunction(`document.activeElement && document.activeElement !== document.body`);
    const at = await focused();
    const [role, label] = expected.split(' · ');
    expect(at.startsWith(role)).toBe(true);
    if (label) expect(await page.evaluate(`document.activeElement.textContent`)).toContain(label);
    expect(await axeViolations(page)).toEqual([]);
  });

  test.each([['Cancel'], ['Escape']])('%s keeps the credit and gives focus back to its Remove button', async (how) => {
    await give(MAYA, ANA, `Kept after ${how}`);
    await openAt(`?period=all&person=${ANA.userId}`);
    const remove = page.getByRole('article').filter({ hasText: `Kept after ${how}` }).getByRole('button', { name: /^Remove the credit/ });
    await remove.click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove this credit?' });
    await confirm.waitFor();
    if (how === 'Cancel') await confirm.getByRole('button', { name: 'Cancel' }).click();
    else await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await page.waitForFunction(`document.activeElement?.getAttribute('aria-label') === 'Remove the credit to ${ANA.name}'`);
    expect(await page.getByRole('article').filter({ hasText: `Kept after ${how}` }).count()).toBe(1);
  });
});

describe('stand-up at phone width', () => {
  test.each([320, 375])('at %i px the "since" choices and controls wrap: no clipping, no overlap, targets of 24 px or more', async (width) => {
    await page.setViewportSize({ width, height: 640 });
    try {
      await openAt('');
      await page.getByRole('button', { name: 'Stand-up mode' }).click();
      const standup = page.getByTestId('standup');
      await standup.getByText(/to share|No new credits/).waitFor();
      await settled(page);
      const buttons = await standup.getByRole('button').evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { name: el.getAttribute('aria-label') ?? el.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom, clipped: el.scrollWidth > el.clientWidth + 1 };
        }),
      );
      expect(buttons.map((b) => b.name)).toEqual(expect.arrayContaining(['Since the last stand-up', 'This week', 'Last 7 days', 'Next', 'Exit']));
      const problems: string[] = [];
      for (const b of buttons) {
        if (b.left < 0 || b.right > width) problems.push(`${b.name}: off screen (${b.left}–${b.right})`);
        if (b.right - b.left < 24 || b.bottom - b.top < 24) problems.push(`${b.name}: smaller than 24 px`);
        if (b.clipped) problems.push(`${b.name}: text clipped`);
      }
      for (const [i, a] of buttons.entries()) {
        for (const b of buttons.slice(i + 1)) {
          if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) problems.push(`${a.name} overlaps ${b.name}`);
        }
      }
      expect(problems).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath(`tab-standup-since-${width}`) });
      await page.keyboard.press('Escape');
      await standup.waitFor({ state: 'detached' });
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });
});

describe('the board at phone width', () => {
  test.each([280, 320])('at %i px every credit fits inside the board, with the page margin kept', async (width) => {
    await page.setViewportSize({ width, height: 640 });
    try {
      await openAt('');
      await page.getByRole('article').first().waitFor();
      await settled(page);
      const fits = (await page.getByRole('article').evaluateAll((cards) =>
        cards.map((card) => {
          const list = card.closest('ul, ol') ?? card.ownerDocument.body;
          const c = card.getBoundingClientRect();
          const l = list.getBoundingClientRect();
          return { left: Math.round(c.left - l.left), right: Math.round(l.right - c.right) };
        }),
      )) as Array<{ left: number; right: number }>;
      expect(fits.length).toBeGreaterThan(0);
      expect(fits.filter((f) => f.left < 0 || f.right < 0)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });
});

/** WCAG's contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * In the frame: a colour of the first element matching `selector` (a CSS property, read from
 * `pseudo` when given) and the opaque background behind it.
 */
const COLOURS = `(selector, property, pseudo) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  // Text is measured against the element's own background; anything else against what is behind the element.
  let back = property === 'color' ? el : el.parentElement;
  let bg = 'rgb(255, 255, 255)';
  for (; back; back = back.parentElement) {
    const c = getComputedStyle(back).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) { bg = c; break; }
  }
  return [getComputedStyle(el, pseudo || null)[property], bg];
}`;

describe('high contrast in the Teams frame', () => {
  test("Teams' contrast theme is Fluent's high-contrast theme, dark to the page's own controls", async () => {
    const context = await newTestContext(session.browser, { viewport: { width: 1000, height: 900 }, bypassCSP: true });
    try {
      const host = await context.newPage();
      watchPageErrors(host, errors);
      const tab = await openInMockTeams(host, t.url, { user: { tenantId: LOCAL_TENANT_ID, ...MAYA }, teamId: DEMO_BOARD_ID, theme: 'contrast' });
      await board(tab).waitFor();
      expect(await tab.evaluate(`getComputedStyle(document.querySelector('#root > div > div')).backgroundColor`)).toBe('rgb(0, 0, 0)');
      // Scrollbars and the browser's own parts of form controls follow the page: black, not the browser's light default.
      expect(await tab.evaluate(`getComputedStyle(document.documentElement).colorScheme`)).toBe('dark');
    } finally {
      await context.close();
    }
  });

  // [what, the view, selector, the property read (pseudo-element), the least contrast with what is behind it]
  const visible: Array<[string, 'board' | 'insights', string, string, number]> = [
    ['a secondary button’s edge', 'board', 'header button:nth-of-type(2)', 'borderTopColor', 3],
    ['a pressed "I saw this too"', 'board', 'button[aria-pressed="true"]', 'backgroundColor', 3],
    ['the text of a pressed "I saw this too"', 'board', 'button[aria-pressed="true"]', 'color', 4.5],
    ['the focus ring', 'board', ':focus-visible', 'outlineColor', 3],
    ['a kind group’s badge', 'board', 'section[data-kind] svg', 'color', 3],
    ['a bar of the kind-mix chart', 'insights', 'figure svg rect', 'fill', 3],
    ['a week label of the chart', 'insights', 'figure svg text', 'fill', 4.5],
    ['the chart’s axis', 'insights', 'figure svg line', 'stroke', 3],
    ['a swatch of the chart’s legend', 'insights', 'figure ul li span', 'backgroundColor', 3],
  ];
  test('with forced colours, buttons, pressed states, focus rings, badges and the chart stay visible', async () => {
    const context = await newTestContext(session.browser, { viewport: { width: 1000, height: 900 }, bypassCSP: true, forcedColors: 'active' });
    try {
      const host = await context.newPage();
      watchPageErrors(host, errors);
      const tab = await openInMockTeams(host, t.url, { user: { tenantId: LOCAL_TENANT_ID, ...MAYA }, teamId: DEMO_BOARD_ID, theme: 'contrast' });
      await tab.getByRole('heading', { level: 2, name: 'Caught it early' }).waitFor();
      const card = tab.getByRole('article').filter({ hasText: 'Hiro Tanaka' }).first();
      await card.getByRole('button', { name: /I saw this too/ }).click();
      await card.getByRole('button', { name: /I saw this too/, pressed: true }).waitFor();
      // A keyboard user's focus ring, on the card's Remove.
      await card.getByRole('button', { name: /I saw this too/ }).focus();
      await host.keyboard.press('Tab');
      await settled(tab);
      const measured: string[] = [];
      const measure = async (view: string) => {
        for (const [what, _view, selector, property, least] of visible.filter((v) => v[1] === view)) {
          const found = (await tab.evaluate(`(${COLOURS})(${JSON.stringify(selector)}, ${JSON.stringify(property)})`)) as [string, string] | null;
          if (!found) measured.push(`${what}: not found`);
          else if (contrast(found[0], found[1]) < least) measured.push(`${what}: ${found[0]} on ${found[1]} (${contrast(found[0], found[1]).toFixed(2)}:1)`);
        }
      };
      await measure('board');
      expect(await axeViolations(tab)).toEqual([]);
      await host.screenshot({ path: screenshotPath('tab-forced-colours-board') });
      await tab.getByRole('tab', { name: 'Insights' }).click();
      await tab.locator('figure svg rect').first().waitFor();
      await measure('insights');
      expect(await axeViolations(tab)).toEqual([]);
      await tab.locator('figure').scrollIntoViewIfNeeded();
      await host.screenshot({ path: screenshotPath('tab-forced-colours-insights') });
      expect(measured).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
