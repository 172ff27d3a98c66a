import { app, authentication, pages } from '@microsoft/teams-js';
import { type TokenSource, boardHints, cachedTokens } from '../../core/browser';

/** The three Teams themes the tab follows. */
export type ThemeName = 'light' | 'dark' | 'contrast';

/** Where in a meeting Teams shows the tab: the side panel beside the call, or the stage everyone sees. */
export type MeetingView = 'sidePanel' | 'stage';

/** What the tab learned from Microsoft Teams when it runs inside it. */
export interface TeamsHost {
  kind: 'teams';
  userId?: string;
  userName?: string;
  tenantId?: string;
  /** Ids the context offers for the board, most specific first (core's boardHints decides the order). */
  boardHints: string[];
  /** True when Teams shows the tab in a meeting: the board is the meeting's, never another of the caller's. */
  inMeeting: boolean;
  /** The meeting's side panel or stage, when Teams shows the tab there. */
  meetingView?: MeetingView;
  /** The board's filters a deep link carries in its subPageId (`board=…&period=30&kind=prevented`). */
  filterLink?: string;
  theme: ThemeName;
  /** An SSO token for the API (cached by Teams and here until shortly before it expires). */
  getToken: TokenSource;
  /** Calls the handler whenever the user switches the Teams theme. */
  onThemeChange(handler: (theme: ThemeName) => void): void;
  /** Tells Teams the tab has rendered, so it hides its loading indicator. */
  notifyRendered(): void;
  /** On the configuration page: lets Save add the board as the team's or chat's tab. */
  offerBoardTab(): void;
  /** What a deep link back to this tab names (undefined when Teams did not say which app this is). */
  linkTarget?: TeamsLinkTarget;
}

/** The app, tab and place (channel, team, tenant) a Teams deep link to this tab names. */
export interface TeamsLinkTarget {
  appId: string;
  entityId: string;
  channelId?: string;
  groupId?: string;
  tenantId?: string;
}

/** The tab is not framed by Teams: a plain browser (local mode) or a frame that never answered. */
export interface BrowserHost {
  kind: 'browser';
  /** Why: 'top-level' (no parent window) or 'no-answer' (framed, but the host did not initialize). */
  reason: 'top-level' | 'no-answer';
}

/** How long a frame gets to answer `initialize` before the tab decides it is not in Teams. */
export const INITIALIZE_TIMEOUT_MS = 3000;

/** Maps Teams' theme names (default, dark, contrast) to ours. */
export function themeFromTeams(name: string | undefined): ThemeName {
  if (name === 'dark') return 'dark';
  if (name === 'contrast') return 'contrast';
  return 'light';
}

/**
 * Finds out whether the page runs inside Teams. A top-level page is never in Teams, and
 * `app.initialize()` would wait 60 s inside a frame that is not Teams, so the top-level case
 * is settled without calling it and the framed case races it against our own timeout.
 * `whileWaiting` runs once Teams has answered and the context and token are asked for: the
 * page has a round trip to Teams to fill.
 */
export async function connectToHost(whileWaiting?: () => void, timeoutMs = INITIALIZE_TIMEOUT_MS): Promise<TeamsHost | BrowserHost> {
  if (window.parent === window) return { kind: 'browser', reason: 'top-level' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const outcome = await Promise.race([app.initialize(localHostOrigins(window.location)).then(() => 'ready' as const), timedOut]);
    if (outcome === 'timeout') return { kind: 'browser', reason: 'no-answer' };
  } catch {
    return { kind: 'browser', reason: 'no-answer' };
  } finally {
    clearTimeout(timer);
  }

  // The SSO token is asked for beside the context, not after it: the board's first requests
  // wait on it, and each is a round trip to Teams. Not on the configuration page, which calls no API.
  const getToken = ssoTokens();
  if (!isConfigurationPage()) getToken().catch(() => undefined);
  const asked = app.getContext();
  whileWaiting?.();
  const context = await asked;
  // A deep link from a credit notice names its board as the Board tab's sub-page; a hint only: the tab opens it only if the caller is on it.
  // A shared view's link carries the board and its filters as a query; a notice's link is the board id alone.
  const subPage = context.page?.subPageId;
  const filterLink = subPage?.includes('=') ? subPage : undefined;
  const linkedBoard = filterLink ? (new URLSearchParams(filterLink).get('board') ?? undefined) : subPage;
  const frameContext = context.page?.frameContext;
  const meetingView: MeetingView | undefined = frameContext === 'sidePanel' ? 'sidePanel' : frameContext === 'meetingStage' ? 'stage' : undefined;
  const inMeeting = Boolean(context.meeting?.id) || meetingView !== undefined;
  // Shared to the stage, the address names the presenter's board, so every screen opens that one (if its viewer is on it).
  const stageBoard = meetingView === 'stage' ? (new URLSearchParams(window.location.search).get('board') ?? undefined) : undefined;
  const hints = boardHints({
    linkedBoard: stageBoard ?? linkedBoard,
    teamId: context.team?.internalId,
    channelId: context.channel?.id,
    chatId: context.chat?.id,
    meetingId: inMeeting ? (context.meeting?.id ?? frameContext) : undefined,
  });
  return {
    kind: 'teams',
    userId: context.user?.id,
    userName: context.user?.displayName,
    tenantId: context.user?.tenant?.id,
    boardHints: hints,
    inMeeting,
    meetingView,
    filterLink,
    theme: themeFromTeams(context.app.theme),
    getToken,
    linkTarget: linkTargetOf(context),
    onThemeChange(handler) {
      app.registerOnThemeChangeHandler((name) => handler(themeFromTeams(name)));
    },
    notifyRendered() {
      app.notifySuccess().catch(() => undefined);
    },
    offerBoardTab() {
      // The board needs no settings: the tab finds its board from the team or chat it is in.
      pages.config.registerOnSaveHandler((save) => {
        const contentUrl = new URL('/tab/', window.location.href).toString();
        pages.config
          .setConfig({ entityId: 'noticed-board', contentUrl, websiteUrl: contentUrl, suggestedDisplayName: 'Noticed' })
          .then(() => save.notifySuccess(), (error: unknown) => save.notifyFailure(error instanceof Error ? error.message : 'Could not add the tab.'));
      });
      pages.config.setValidityState(true);
    },
  };
}

/** The address the stage opens for a board's stand-up: the tab, naming the board. */
export function stageUrl(boardId: string): string {
  const url = new URL('/tab/', window.location.href);
  url.searchParams.set('board', boardId);
  return url.toString();
}

/** Where a deep link back to this tab points, from the context; none without the app's id and the tab's entity. */
function linkTargetOf(context: app.Context): TeamsLinkTarget | undefined {
  const appId = context.app.appId?.toString();
  const entityId = context.page?.id;
  if (!appId || !entityId) return undefined;
  return { appId, entityId, channelId: context.channel?.id, groupId: context.team?.groupId, tenantId: context.user?.tenant?.id };
}

/**
 * The host origins a local build accepts beside teams-js's own list: this server's two loopback
 * names, where the mock Teams host frames the tab from the other origin, as real Teams does.
 * Only for a tab served over plain http from loopback: production is https, so teams-js's list
 * of Microsoft 365 origins is all it ever accepts there.
 */
export function localHostOrigins(location: Pick<Location, 'protocol' | 'hostname' | 'port'>): string[] {
  const names = ['localhost', '127.0.0.1'];
  if (location.protocol !== 'http:' || !names.includes(location.hostname)) return [];
  return names.map((name) => `http://${name}${location.port ? `:${location.port}` : ''}`);
}

/** True when Teams opened the tab's configuration page (the manifest's configurationUrl). */
export function isConfigurationPage(): boolean {
  return new URLSearchParams(window.location.search).get('config') === '1';
}

/** A token source over Teams SSO that reuses a token until a minute before it expires. */
function ssoTokens(): TokenSource {
  return cachedTokens(() => authentication.getAuthToken());
}
