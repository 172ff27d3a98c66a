// `npm run package [-- <env>]`: builds appPackage/build/appPackage.<env>.zip from the manifest
// template and env/.env.<env>, validated (see src/app-package.ts). The checks are TypeScript
// shared with the tests, so esbuild bundles them first, as the tab and add-in builds do.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, 'build', 'package-cli.cjs');

await build({
  entryPoints: [join(here, 'src', 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const { main } = createRequire(import.meta.url)(outfile);
process.exitCode = main(process.argv.slice(2), join(here, '..'));
