import { showLoadFailure } from './load-failure';
import { connectToHost } from './teams';

// The host handshake, and in Teams the SSO token, start now: they take round trips to the host
// that would otherwise wait for the board's code, which index.html preloads meanwhile.
const host = connectToHost().then((found) => {
  if (found.kind === 'teams') void found.getToken().catch(() => undefined);
  return found;
});
import('./boot').then(({ startBoot }) => startBoot(host), showLoadFailure);
