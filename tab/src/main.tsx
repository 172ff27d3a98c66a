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

// The host handshake, then the SSO token and the board's first requests, start before the
// board's code runs (index.html preloads it meanwhile), so they travel while it does. That
// code runs once the host has answered, not before: run at once, its hundred-odd milliseconds
// held the handshake's replies back. It does not wait for the token too: that only left the
// page idle (measured alike with the mock Teams host; real Teams answers from another process).
const starting = connectToHost().then((host): TabStart => {
  if (host.kind !== 'teams' || isConfigurationPage()) return { host };
  const api = new BoardApi(host.getToken, 'tab');
  return { host, api, first: loadBoard(api, host.boardHints, host.inMeeting) };
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
