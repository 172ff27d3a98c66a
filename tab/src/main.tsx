import { BoardApi } from '../../core/browser';
import { type BoardStart, loadBoard } from './board-opening';
import { showLoadFailure } from './load-failure';
import { type BrowserHost, type TeamsHost, connectToHost, isConfigurationPage } from './teams';

/** Where the tab runs, and in Teams the board's API client and its first load, already under way. */
export interface TabStart {
  host: TeamsHost | BrowserHost;
  api?: BoardApi;
  first?: Promise<BoardStart>;
}

// The host handshake, the SSO token and the board's first requests go out before the board's
// code runs, so they travel while it does: that code (preloaded by index.html meanwhile) is a
// hundred-odd milliseconds of script that would otherwise hold the host's answers back.
const starting = connectToHost().then(async (host): Promise<TabStart> => {
  if (host.kind !== 'teams' || isConfigurationPage()) return { host };
  const api = new BoardApi(host.getToken, 'tab');
  const first = loadBoard(api, host.boardHints);
  // The requests wait for the token; once it is here they are on the wire.
  await host.getToken().catch(() => undefined);
  return { host, api, first };
});

void starting.then(async (start) => {
  let boot: typeof import('./boot');
  try {
    boot = await import('./boot');
  } catch {
    return showLoadFailure();
  }
  boot.startBoot(start);
});
