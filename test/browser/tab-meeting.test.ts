import type { BrowserContext, Frame, Page } from 'playwright-core';
import { LOCAL_TENANT_ID } from '../../bot';
import { demoUserId } from '../../core';
import { axeViolations, newTestContext, screenshotPath, startTabSession, type TabSession, watchPageErrors } from '../support/browser';
import { type MockTeamsHostOptions, openInMockTeams, stageShares, teamsCalls } from '../support/mock-teams-host';
import type { TestApp } from '../support/test-app';

// Noticed in a Teams meeting, in the mock Teams host: the board in the side panel, and the
// stand-up a lead shares to the stage, where everyone follows the presenter's slide.
const MEETING_CHAT = '19:meeting_standup@thread.v2';
const MEETING_ID = 'meeting-friday-standup';
const MAYA = { tenantId: LOCAL_TENANT_ID, userId: demoUserId(0), name: 'Maya Chen' };
const ANA = { tenantId: LOCAL_TENANT_ID, userId: demoUserId(1), name: 'Ana López' };
const BEN = { tenantId: LOCAL_TENANT_ID, userId: demoUserId(2), name: "Ben O'Neil" };
/** On the demo board, not on the meeting's: the meeting must not show her another board. */
const GRACE = { tenantId: LOCAL_TENANT_ID, userId: demoUserId(7), name: 'Grace Kim' };
const inMeeting = { chatId: MEETING_CHAT, meetingId: MEETING_ID };

let t: TestApp;
let session: TabSession;
let page: Page;
let viewerContext: BrowserContext;
let viewerPage: Page;
const errors: string[] = [];

/** True when the frame's page is wider than its window: sideways scroll. */
const scrollsSideways = (frame: Frame) => frame.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth') as Promise<boolean>;
const open = (on: Page, options: Partial<MockTeamsHostOptions> & Pick<MockTeamsHostOptions, 'user'>) => openInMockTeams(on, t.url, { ...inMeeting, ...options });
const position = (frame: Frame) => frame.getByTestId('standup-position').textContent();

beforeAll(async () => {
  session = await startTabSession();
  ({ t, page } = session);
  await t.board(LOCAL_TENANT_ID, MEETING_CHAT, [{ ...MAYA, role: 'lead' }, ANA, BEN]);
  await t.app.store.boards.update(LOCAL_TENANT_ID, MEETING_CHAT, (b) => ({ ...b, name: 'Friday stand-up' }));
  const token = await session.token(ANA);
  for (const message of ['Caught the expired certificate before launch', 'Wrote the on-call handbook']) {
    const given = await t.call('POST', `/api/v1/boards/${encodeURIComponent(MEETING_CHAT)}/recognitions`, { token, body: { recipients: [{ userId: BEN.userId }], message, kind: 'prevented' } });
    expect(given.status).toBe(201);
  }
  viewerContext = await newTestContext(session.browser, { viewport: { width: 1280, height: 720 }, bypassCSP: true });
  viewerPage = await viewerContext.newPage();
  viewerPage.setDefaultTimeout(10_000);
  watchPageErrors(page, errors);
  watchPageErrors(viewerPage, errors);
}, 60_000);

afterAll(async () => {
  await viewerContext?.close();
  await session?.close();
});

test('the side panel at 320 px: the meeting chat’s board, Give credit, and the credit shows in the latest credits', async () => {
  await page.setViewportSize({ width: 320, height: 720 });
  const panel = await open(page, { user: ANA, frameContext: 'sidePanel', mayShareToStage: true });
  await panel.getByRole('heading', { level: 1, name: 'Friday stand-up' }).waitFor();
  await panel.getByRole('heading', { level: 2, name: 'Latest credits' }).waitFor();
  await panel.getByText('Wrote the on-call handbook').waitFor();
  // No leads' views crowding the panel, and for a member no Share.
  expect(await panel.getByRole('tab').count()).toBe(0);
  expect(await panel.getByRole('button', { name: /Share stand-up to stage/ }).count()).toBe(0);

  await panel.getByRole('button', { name: 'Give credit' }).click();
  const dialog = panel.getByRole('dialog', { name: 'Give credit' });
  await dialog.waitFor();
  const picker = dialog.getByRole('combobox', { name: 'Search people on this board' });
  await picker.click();
  await picker.pressSequentially('Ben');
  await panel.getByRole('option', { name: "Ben O'Neil" }).click();
  await dialog.getByRole('textbox', { name: /What did they do/ }).fill('Kept the demo running while the call dropped');
  await dialog.getByRole('button', { name: 'Give credit' }).click();
  await dialog.waitFor({ state: 'detached' });
  await panel.getByText("Credit given to Ben O'Neil.").waitFor();
  await panel.getByRole('listitem').filter({ hasText: 'Kept the demo running while the call dropped' }).waitFor();
  expect(await scrollsSideways(panel)).toBe(false);
  expect(await axeViolations(panel)).toEqual([]);
  await page.screenshot({ path: screenshotPath('tab-meeting-side-panel-320') });
  // Given in the meeting, stored on the meeting chat's board.
  const stored = await t.app.store.recognitions.page({ tenantId: LOCAL_TENANT_ID, boardId: MEETING_CHAT, viewerId: ANA.userId, limit: 10 });
  expect(stored.items.map((c) => c.message)).toContain('Kept the demo running while the call dropped');
  expect(errors).toEqual([]);
});

test.each([
  ['a lead Teams does not let share', MAYA, false],
  ['a member, though Teams would let them share', BEN, true],
])('%s sees no Share button', async (_who, user, mayShareToStage) => {
  await page.setViewportSize({ width: 320, height: 720 });
  const panel = await open(page, { user, frameContext: 'sidePanel', mayShareToStage });
  await panel.getByRole('heading', { level: 2, name: 'Latest credits' }).waitFor();
  await panel.getByRole('button', { name: 'Give credit' }).waitFor();
  if (user === MAYA) await page.waitForFunction(`window.teamsCalls.includes('meeting.getAppContentStageSharingCapabilities')`);
  expect(await panel.getByRole('button', { name: /Share stand-up to stage/ }).count()).toBe(0);
  expect(await stageShares(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('a lead shares the stand-up to the stage; a second person’s stage shows the same slide and follows the presenter; they cannot move it', async () => {
  await page.setViewportSize({ width: 320, height: 720 });
  const panel = await open(page, { user: MAYA, frameContext: 'sidePanel', mayShareToStage: true });
  await panel.getByRole('button', { name: 'Share stand-up to stage' }).click();
  await panel.getByText(/The stand-up is on the meeting stage/).waitFor();
  const shared = await stageShares(page);
  expect(shared).toEqual([`${t.url}/tab/?board=${encodeURIComponent(MEETING_CHAT)}`]);
  expect(await teamsCalls(page)).toEqual(expect.arrayContaining(['meeting.getAppContentStageSharingCapabilities', 'meeting.shareAppContentToStage']));
  expect(await scrollsSideways(panel)).toBe(false);
  expect(await axeViolations(panel)).toEqual([]);

  // Teams opens the shared URL on everyone's stage: the presenter's, and Ben's in his own browser.
  await page.setViewportSize({ width: 1280, height: 720 });
  const stageUrl = new URL(shared[0]);
  const presenter = await open(page, { user: MAYA, frameContext: 'meetingStage', tabPath: `${stageUrl.pathname}${stageUrl.search}` });
  const viewer = await open(viewerPage, { user: BEN, frameContext: 'meetingStage', tabPath: `${stageUrl.pathname}${stageUrl.search}` });
  await presenter.locator('[data-slide="intro"]').waitFor();
  await viewer.locator('[data-slide="intro"]').waitFor();
  await viewer.getByRole('heading', { level: 2, name: '3 credits to share' }).waitFor();
  expect(await position(presenter)).toBe('1 of 6');
  expect(await position(viewer)).toBe('1 of 6 · presented by Maya Chen');

  await presenter.getByRole('button', { name: 'Next' }).click();
  await viewer.locator('[data-slide="credit"]').waitFor();
  await viewer.getByText('Caught the expired certificate before launch').waitFor();
  await page.keyboard.press('ArrowRight');
  await viewer.getByText('Wrote the on-call handbook').waitFor();
  expect(await position(viewer)).toBe('3 of 6 · presented by Maya Chen');

  // The viewer has nothing to press, and the keys do not move anyone's slide.
  expect(await viewer.getByRole('button', { name: 'Next' }).count()).toBe(0);
  expect(await viewer.getByRole('button', { name: 'Previous' }).count()).toBe(0);
  await viewer.locator('[data-testid="stage"]').click();
  await viewerPage.keyboard.press('ArrowRight');
  await viewerPage.keyboard.press('ArrowRight');
  const live = await t.call('GET', `/api/v1/boards/${encodeURIComponent(MEETING_CHAT)}/standup/live`, { token: await session.token(BEN) });
  expect(live.body.live).toMatchObject({ presenter: { userId: MAYA.userId }, slide: 2 });
  expect(await position(presenter)).toBe('3 of 6');
  expect(await axeViolations(viewer)).toEqual([]);
  await viewerPage.screenshot({ path: screenshotPath('tab-meeting-stage-viewer') });
  await page.screenshot({ path: screenshotPath('tab-meeting-stage-presenter') });

  await viewerPage.setViewportSize({ width: 320, height: 720 });
  expect(await scrollsSideways(viewer)).toBe(false);
  expect(errors).toEqual([]);
});

test('a stage opened before anyone presents waits, then shows the stand-up when a lead presents it', async () => {
  const board = `/api/v1/boards/${encodeURIComponent(MEETING_CHAT)}/standup/live`;
  const maya = await session.token(MAYA);
  await t.call('DELETE', board, { token: maya });
  await viewerPage.setViewportSize({ width: 1280, height: 720 });
  const viewer = await open(viewerPage, { user: BEN, frameContext: 'meetingStage', tabPath: `/tab/?board=${encodeURIComponent(MEETING_CHAT)}` });
  await viewer.getByText('Waiting for a lead to share the stand-up').waitFor();
  expect(await axeViolations(viewer)).toEqual([]);
  expect((await t.call('POST', board, { token: maya, body: { window: '7d' } })).status).toBe(200);
  await viewer.locator('[data-slide="intro"]').waitFor();
  await viewer.getByText('1 of 6 · presented by Maya Chen').waitFor();
  expect(errors).toEqual([]);
});

test.each([
  ['the side panel', 'sidePanel', '/tab/'],
  ['the stage, though its address names the meeting’s board', 'meetingStage', `/tab/?board=${encodeURIComponent(MEETING_CHAT)}`],
] as const)('%s, for someone not on the meeting’s board, shows neither that board nor another of theirs', async (_view, frameContext, tabPath) => {
  await viewerPage.setViewportSize({ width: 320, height: 720 });
  const frame = await open(viewerPage, { user: GRACE, frameContext, tabPath });
  await frame.getByText('You are not on this meeting’s Noticed board. Add Noticed to the meeting’s chat, or ask a lead to add you.').waitFor();
  const shown = (await frame.locator('body').innerText()) as string;
  for (const leak of ['Friday stand-up', 'Northwind launch team', 'Wrote the on-call handbook', 'Give credit']) expect(shown).not.toContain(leak);
  expect(await axeViolations(frame)).toEqual([]);
  expect(errors).toEqual([]);
});

const THEMES = [
  ['light', 'default'],
  ['dark', 'dark'],
  ['high contrast', 'contrast'],
] as const;
const looks = [
  ...[280, 320].flatMap((width) => THEMES.map(([theme, teams]) => ['side panel', width, theme, 'sidePanel', teams] as const)),
  ...[320, 768, 1400].flatMap((width) => THEMES.map(([theme, teams]) => ['stage', width, theme, 'meetingStage', teams] as const)),
];

test.each(looks)('the %s at %i px in %s fits without sideways scroll, logs no error and passes axe', async (view, width, theme, frameContext, teamsTheme) => {
  // The stage shows a presented stand-up: this one, whichever test ran before.
  if (view === 'stage') expect((await t.call('POST', `/api/v1/boards/${encodeURIComponent(MEETING_CHAT)}/standup/live`, { token: await session.token(MAYA), body: {} })).status).toBe(200);
  await viewerPage.setViewportSize({ width, height: 720 });
  await viewerPage.emulateMedia({ forcedColors: teamsTheme === 'contrast' ? 'active' : 'none', colorScheme: teamsTheme === 'dark' ? 'dark' : 'light' });
  const frame = await open(viewerPage, { user: BEN, frameContext, theme: teamsTheme, tabPath: `/tab/?board=${encodeURIComponent(MEETING_CHAT)}` });
  await frame.waitForFunction(`document.documentElement.dataset.theme === ${JSON.stringify(teamsTheme === 'default' ? 'light' : teamsTheme)}`);
  if (view === 'stage') await frame.locator('[data-slide]').waitFor();
  else await frame.getByRole('heading', { level: 2, name: 'Latest credits' }).waitFor();
  expect(await scrollsSideways(frame)).toBe(false);
  expect(await axeViolations(frame)).toEqual([]);
  if (width !== 768) await viewerPage.screenshot({ path: screenshotPath(`tab-meeting-${view}-${width}-${theme}`) });
  expect(errors).toEqual([]);
});
