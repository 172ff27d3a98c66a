import { BoardApi } from '../../core/browser';
import { type FirstLoad, startFirstLoad } from './board-opening';
import { showLoadFailure } from './load-failure';
import { type BrowserHost, type TeamsHost, connectToHost, isConfigurationPage } from './teams';

/** Where the tab runs, and in Teams the board's API client and its first load, already under way. */
export interface TabStart {
  host: TeamsHost | BrowserHost;
  api?: BoardApi;
  first?: FirstLoad;
}

// The host handshake, then the SSO token and the board's first requests, start before the
// board's code runs (index.html preloads it meanwhile). That code is evaluated while Teams
// answers for the context and the token, the handshake's longest wait: evaluated at once, its
// hundred-odd milliseconds held the host's first reply back; evaluated after the token, the
// requests waited on the host and then on it. The first render waits for the first answers,
// a round trip once the token is in, so the board draws once with its cards (a loading step
// before them cost a render and a layout of its own).
let booting: Promise<typeof import('./boot')> | undefined;
const loadBoot = () => (booting ??= import('./boot'));

const starting = connectToHost(loadBoot).then((host): TabStart => {
  if (host.kind !== 'teams' || isConfigurationPage()) return { host };
  const api = new BoardApi(host.getToken, 'tab');
  return { host, api, first: startFirstLoad(api, host.boardHints, host.inMeeting) };
});

void starting.then(async (start) => {
  let boot: typeof import('./boot');
  try {
    boot = await loadBoot();
  } catch {
    return showLoadFailure();
  }
  await start.first?.answer;
  boot.startBoot(start);
});
