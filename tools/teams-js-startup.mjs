// An esbuild plugin that takes one argument out of a log line teams-js writes when it is
// imported: `(new Date).toLocaleString()`, computed although the line is printed only when its
// debug logging is switched on. It is the page's first use of Intl, so Chromium loads its locale
// data there, before the Teams handshake can start: about 35 ms of every first opening of the
// tab (board of 500, measured visit by visit against the unpatched build). The tab's own dates
// load that data later, while the page waits on Teams. The line keeps its UTC start time.
import { readFile } from 'node:fs/promises';

const ARGUMENT = '(new Date).toLocaleString()';

export function teamsJsStartup() {
  return {
    name: 'teams-js-startup',
    setup(build) {
      build.onLoad({ filter: /[\\/]@microsoft[\\/]teams-js[\\/].*[\\/]public[\\/]app[\\/]app\.js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        // Fails the build rather than ship a silent no-op: a new teams-js needs looking at again.
        if (source.split(ARGUMENT).length !== 2) throw new Error(`teams-js-startup: ${args.path} no longer has exactly one ${ARGUMENT}; check whether the patch is still needed`);
        return { contents: source.replace(ARGUMENT, '"(local time not computed)"'), loader: 'js' };
      });
    },
  };
}
