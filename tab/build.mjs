// Bundles the Teams tab into tab/build/ (git-ignored), which the server serves at /tab/.
// Usage: node tab/build.mjs [--dev] [--analyze]
//   --dev keeps React's development build and source maps; --analyze lists what each output file holds.
import { analyzeMetafile, build } from 'esbuild';
import console from 'node:console';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { griffelAot } from '../tools/griffel-aot.mjs';
import { teamsJsStartup } from '../tools/teams-js-startup.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const mainSource = join(here, 'src', 'main.tsx');
const out = join(here, 'build');
const dev = process.argv.includes('--dev');
/** Issue #15's target for the tab's initial JavaScript, gzipped: the build fails above it. */
const BUDGET_GZIP_BYTES = 200 * 1024;

rmSync(out, { recursive: true, force: true });

const result = await build({
  entryPoints: [mainSource],
  outdir: out,
  bundle: true,
  // ESM lets esbuild split the stand-up and insights views into chunks loaded on demand.
  format: 'esm',
  splitting: true,
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  target: ['chrome110', 'edge110', 'safari16', 'firefox110'],
  jsx: 'automatic',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  tsconfig: join(here, 'tsconfig.json'),
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [griffelAot([join(here, 'src')]), teamsJsStartup()],
});

if (process.argv.includes('--analyze')) console.log(await analyzeMetafile(result.metafile));

const outputs = result.metafile.outputs;
// By its source: every lazily loaded view is an entry point too, and the order of outputs is esbuild's to choose.
const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint && resolve(outputs[file].entryPoint) === mainSource && file.endsWith('.js'));
if (!entry) throw new Error('esbuild produced no entry bundle');

// Initial JavaScript = the entry, the board's code it imports at once (`import('./boot')`:
// the entry starts the host handshake before that code has arrived), and every chunk either
// imports statically; not the pieces loaded on demand.
const initial = new Set();
const visit = (file) => {
  if (initial.has(file)) return;
  initial.add(file);
  for (const imp of outputs[file].imports) if (imp.kind === 'import-statement' && outputs[imp.path]) visit(imp.path);
};
visit(entry);
for (const imp of outputs[entry].imports) if (imp.kind === 'dynamic-import' && outputs[imp.path]) visit(imp.path);
const gzipped = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const initialBytes = [...initial].reduce((sum, file) => sum + gzipped(file), 0);
const lazyBytes = Object.keys(outputs)
  .filter((file) => file.endsWith('.js') && !initial.has(file))
  .reduce((sum, file) => sum + gzipped(file), 0);

// No inline script: the page's CSP allows scripts from 'self' only. Every initial chunk is
// preloaded, so the browser fetches them all at once instead of discovering them import by import.
const template = readFileSync(join(here, 'src', 'index.html'), 'utf8');
const preloads = [...initial]
  .filter((file) => file !== entry)
  .map((file) => `<link rel="modulepreload" href="./${basename(file)}" />`)
  .join('\n    ');
writeFileSync(join(out, 'index.html'), template.replace('%ENTRY%', `./${basename(entry)}`).replace('%PRELOADS%', preloads));

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`tab: initial JS ${kb(initialBytes)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)}), lazy chunks ${kb(lazyBytes)} gzipped${dev ? ' [dev build]' : ''}`);
if (!dev && initialBytes > BUDGET_GZIP_BYTES) {
  console.error('tab: the initial JavaScript is over budget');
  process.exitCode = 1;
}
