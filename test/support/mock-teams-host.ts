import type { Frame, Page } from 'playwright-core';
import type { Server } from 'restify';

/** What the mock host tells the tab about where it runs. */
export interface MockTeamsHostOptions {
  /** The token the host's SSO returns is minted for this person by the server's local issuer. */
  user: { tenantId: string; userId: string; name: string };
  /** The Teams theme at start: default, dark or contrast. */
  theme?: 'default' | 'dark' | 'contrast';
  /** Legacy context's teamId (the tab's board hint). */
  teamId?: string;
  /** Legacy context's subEntityId, teams-js's page.subPageId: what a deep link to the tab carries. */
  subEntityId?: string;
  /** The page the host frames; `/tab/` unless told. */
  tabPath?: string;
  /** When true the host never answers: a frame that is not Teams. */
  silent?: boolean;
  /** The Teams app's id, as Teams tells a tab it hosts (the manifest's `id`); deep links back to the tab need it. */
  appId?: string;
  /**
   * 'settings' plays the tab's configuration page, as Teams opens it when the tab is added;
   * 'sidePanel' and 'meetingStage' play a meeting's side panel and its stage.
   */
  frameContext?: 'content' | 'settings' | 'sidePanel' | 'meetingStage';
  /** Legacy context's chatId: a group chat, or a meeting's chat. */
  chatId?: string;
  /** Legacy context's meetingId: set when the tab runs in a meeting. */
  meetingId?: string;
  /** What `meeting.getAppContentStageSharingCapabilities` answers: Teams lets this person share to the stage. */
  mayShareToStage?: boolean;
  /**
   * Frame the tab from the server's other loopback name (localhost for 127.0.0.1, and back): another
   * origin, so Chromium runs the tab in a process of its own, as real Teams does.
   */
  crossOrigin?: boolean;
}

/** Where the mock host page is served: the tab's origin unless `crossOrigin`, where a local build accepts the other loopback name too. */
export const MOCK_HOST_PATH = '/__mock-teams-host.html';

/**
 * The host page: frames the tab and answers the teams-js postMessage protocol the tab uses
 * (`initialize`, `getContext`, `authentication.getAuthToken`, and in a meeting
 * `meeting.getAppContentStageSharingCapabilities` and `meeting.shareAppContentToStage`, whose
 * URLs it records), records every call, and can push a `themeChange`. Responses carry the
 * request's `id` and `uuidAsString`, as Teams does; the meeting calls answer `[error, result]`.
 */
export function mockTeamsHostHtml(options: MockTeamsHostOptions): string {
  const config = JSON.stringify({ theme: 'default', tabPath: '/tab/', silent: false, frameContext: 'content', mayShareToStage: false, crossOrigin: false, ...options }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mock Teams</title>
<style>html,body{margin:0;height:100%;font-family:sans-serif} header{height:40px;background:#464775;color:#fff;display:flex;align-items:center;padding:0 12px}
iframe{border:0;width:100%;height:calc(100% - 40px);display:block}</style></head>
<body><header>Mock Teams host</header><iframe id="tab" title="Noticed tab"></iframe>
<script>
const config = ${config};
const frame = document.getElementById('tab');
const tabUrl = new URL(location.origin);
if (config.crossOrigin) tabUrl.hostname = tabUrl.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
const tabOrigin = tabUrl.origin;
window.teamsCalls = [];
window.stageShares = [];
// The runtime a current Teams web client announces, trimmed to what the tab touches.
const runtime = { apiVersion: 4, hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } }, isLegacyTeams: false,
  supports: { app: {}, appEntity: {}, authentication: {}, dialog: { card: {}, url: {} }, pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teamsCore: {}, meeting: {} } };
const context = { theme: config.theme, locale: 'en-us', frameContext: config.frameContext, hostClientType: 'web', hostName: 'Teams',
  userObjectId: config.user.userId, userDisplayName: config.user.name, userPrincipalName: config.user.userId + '@contoso.example', tid: config.user.tenantId,
  teamId: config.teamId, teamName: 'Mock team', groupId: 'mock-group', channelId: '19:mock-channel@thread.tacv2', entityId: 'noticed-board', subEntityId: config.subEntityId, appSessionId: 'mock-session',
  chatId: config.chatId, meetingId: config.meetingId, appId: config.appId };
function reply(request, args) {
  frame.contentWindow.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, tabOrigin);
}
window.addEventListener('message', async (event) => {
  if (event.source !== frame.contentWindow || !event.data || typeof event.data.func !== 'string') return;
  const request = event.data;
  window.teamsCalls.push(request.func);
  if (config.silent) return;
  if (request.func === 'initialize') return reply(request, [config.frameContext, 'web', JSON.stringify(runtime), '2.58.0']);
  if (request.func === 'getContext') return reply(request, [context]);
  if (request.func === 'meeting.getAppContentStageSharingCapabilities') return reply(request, [null, { doesAppHaveSharePermission: config.mayShareToStage }]);
  if (request.func === 'meeting.shareAppContentToStage') {
    if (!config.mayShareToStage) return reply(request, [{ errorCode: 1000, message: 'App does not have permission to share to the stage' }, null]);
    window.stageShares.push(request.args[0]);
    return reply(request, [null, true]);
  }
  if (request.func === 'authentication.getAuthToken') {
    // Teams SSO stands in: the server's local issuer mints the token the API verifies.
    const res = await fetch('/api/v1/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config.user) });
    return res.ok ? reply(request, [true, (await res.json()).accessToken]) : reply(request, [false, 'FailedToGetToken']);
  }
});
window.setTeamsTheme = (theme) => frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, tabOrigin);
frame.src = tabOrigin + config.tabPath;
</script></body></html>`;
}

/**
 * Serves the mock host page on a test server (test/support/test-app.ts mounts it), its options
 * in the address. Served, not stubbed with Playwright's page.route: a route sends every request
 * of the page, the tab's own included, through Playwright's process, which in these tests is the
 * server's too — a first visit of the big board took some 250 ms longer than it does in Teams.
 */
export function mountMockTeamsHost(server: Server): void {
  server.get(MOCK_HOST_PATH, async (req, res) => {
    let options: MockTeamsHostOptions | undefined;
    try {
      options = JSON.parse(new URL(req.url ?? '', 'http://host').searchParams.get('host') ?? '') as MockTeamsHostOptions;
    } catch {
      // answered below
    }
    if (!options?.user) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The mock Teams host needs its options as ?host=<JSON>.');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(mockTeamsHostHtml(options));
  });
}

/** Opens the mock host a test server serves at `baseUrl` + MOCK_HOST_PATH, with these options. Returns the tab's frame. */
export async function openInMockTeams(page: Page, baseUrl: string, options: MockTeamsHostOptions): Promise<Frame> {
  await page.goto(`${baseUrl}${MOCK_HOST_PATH}?host=${encodeURIComponent(JSON.stringify(options))}`);
  const handle = await page.waitForSelector('iframe#tab');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the mock host has no tab frame');
  return frame;
}

/** Switches the Teams theme as a user would in Teams settings. */
export async function setTeamsTheme(page: Page, theme: 'default' | 'dark' | 'contrast'): Promise<void> {
  await page.evaluate(`window.setTeamsTheme(${JSON.stringify(theme)})`);
}

/** The teams-js calls the host has received so far, in order. */
export async function teamsCalls(page: Page): Promise<string[]> {
  return (await page.evaluate('window.teamsCalls')) as string[];
}

/** The URLs the tab has shared to the meeting's stage so far, in order. */
export async function stageShares(page: Page): Promise<string[]> {
  return (await page.evaluate('window.stageShares')) as string[];
}
