import { BoardApi } from '../../core/browser';
import { type BoardOpening, openBoard } from './board-opening';
import { showLoadFailure } from './load-failure';
import { type BrowserHost, type TeamsHost, connectToHost } from './teams';

/** Where the tab runs, and in Teams the board's first requests, already on their way. */
export interface TabStart {
  host: TeamsHost | BrowserHost;
  opening?: BoardOpening;
}

// The host handshake, the SSO token and the board's first requests go out before the board's
// code runs, so they travel while it does: that code (preloaded by index.html meanwhile) is a
// hundred-odd milliseconds of script that would otherwise hold the host's answers back.
const starting: Promise<TabStart> = connectToHost().then(async (host) => {
  if (host.kind !== 'teams') return { host };
  const opening = openBoard(new BoardApi(host.getToken, 'tab'), host.boardHints);
  // The requests wait for the token; once it is here they are on the wire.
  await host.getToken().catch(() => undefined);
  return { host, opening };
});
starting.then(() => import('./boot')).then(({ startBoot }) => startBoot(starting), showLoadFailure);
