// Builds the Outlook task pane into addin/build/ (served by the server at /addin/):
// the pane and the fallback sign-in dialog as ES modules (MSAL split out, loaded only when
// Entra sign-in is needed), the preview's simulated Office.js, the pages, icons and manifests.
//
//   node addin/build.mjs
//   ADDIN_PUBLIC_URL=https://noticed.contoso.com NOTICED_CLIENT_ID=<guid> node addin/build.mjs
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import console from 'node:console';
import process from 'node:process';
import { griffelAot } from '../tools/griffel-aot.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** Issue #15's target for the pane's JavaScript before it is ready, gzipped: the build fails above it. */
const BUDGET_GZIP_BYTES = 150 * 1024;
const out = join(here, 'build');
/** The host the manifests point at in the source files; replaced by ADDIN_PUBLIC_URL in the build. */
const MANIFEST_HOST = 'https://localhost:3000';
const publicUrl = (process.env.ADDIN_PUBLIC_URL ?? MANIFEST_HOST).replace(/\/+$/, '');
if (!/^https:\/\//.test(publicUrl)) throw new Error(`ADDIN_PUBLIC_URL must be https (Outlook loads add-ins over HTTPS only), got ${publicUrl}`);
const clientId = process.env.NOTICED_CLIENT_ID ?? '';
const auth = {
  clientId,
  scope: process.env.NOTICED_API_SCOPE ?? (clientId ? `api://${clientId}/access_as_user` : ''),
  authority: process.env.NOTICED_AUTHORITY ?? 'https://login.microsoftonline.com/organizations',
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  target: ['chrome109', 'edge109', 'safari16', 'firefox115'],
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"', __NOTICED_AUTH__: JSON.stringify(auth) },
};

const started = Date.now();
const app = await esbuild.build({
  ...common,
  entryPoints: { taskpane: join(here, 'src', 'taskpane.tsx'), 'auth-dialog': join(here, 'src', 'auth-dialog.ts') },
  outdir: out,
  format: 'esm',
  splitting: true,
  // Hashed names are served as immutable, so a pane opened again starts from the browser's
  // cache (and V8's compiled code) instead of downloading and compiling its 470 KB again.
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  jsx: 'automatic',
  metafile: true,
  plugins: [griffelAot([join(here, 'src')])],
});
// Named by their content like the pane's code, so a pane opened again takes them from the browser's
// cache (served immutable) instead of asking the server before it can go on: the page's style,
// and the preview's stand-in for Office.js, which Outlook serves from its CDN, cached too.
const hashed = { entryNames: '[name]-[hash]', outdir: out, metafile: true, logLevel: 'warning' };
const office = await esbuild.build({ ...common, ...hashed, entryPoints: { 'simulated-office': join(here, 'src', 'preview', 'simulated-office.ts') }, format: 'iife' });
const style = await esbuild.build({ ...hashed, entryPoints: { pane: join(here, 'pane.css') }, minify: true });
const outputOf = (result) => relative(out, Object.keys(result.metafile.outputs).find((f) => !f.endsWith('.map')));

// What the pane needs before it is ready: the entry, the pane's view (imported on demand by the
// entry, so the first requests go out while it is evaluated) and their static imports. All but
// the entry are preloaded with it, so they do not wait for the entry to parse.
const outputs = app.metafile.outputs;
const entryFor = (name) => Object.keys(outputs).find((f) => outputs[f].entryPoint?.endsWith(name));
const VIEWS = { 'taskpane.tsx': 'pane-root.tsx' };
const beforeReady = (name) => {
  const files = new Set([entryFor(name), ...(VIEWS[name] ? [entryFor(VIEWS[name])] : [])]);
  for (const f of files) for (const i of outputs[f].imports) if (i.kind === 'import-statement') files.add(i.path);
  return files;
};
const preloads = (name) =>
  [...beforeReady(name)]
    .filter((f) => f !== entryFor(name))
    .map((f) => `<link rel="modulepreload" href="${relative(out, f)}" />`)
    .join('\n    ');
const entryScript = (name) => `src="${relative(out, entryFor(name))}"`;
for (const [file, entry] of [['taskpane.html', 'taskpane.tsx'], ['preview.html', 'taskpane.tsx'], ['auth-dialog.html', 'auth-dialog.ts'], ['index.html']]) {
  const text = readFileSync(join(here, file), 'utf8').replace('href="pane.css"', `href="${outputOf(style)}"`).replace('src="simulated-office.js"', `src="${outputOf(office)}"`);
  const page = entry ? text.replace('<!-- modulepreload -->', preloads(entry)).replace(`src="${entry.replace(/\.tsx?$/, '.js')}"`, entryScript(entry)) : text;
  writeFileSync(join(out, file), page);
}
cpSync(join(here, 'assets'), join(out, 'assets'), { recursive: true, filter: (f) => !f.endsWith('.svg') });
for (const file of ['manifest.xml', 'unified-manifest.json']) {
  writeFileSync(join(out, file), readFileSync(join(here, file), 'utf8').replaceAll(MANIFEST_HOST, publicUrl));
}

// Sizes: what the pane loads before it is ready (the entry, its view and their static imports), and the rest.
const gz = (file) => gzipSync(readFileSync(file)).length;
const js = Object.keys(outputs).filter((f) => f.endsWith('.js'));
const initial = beforeReady('taskpane.tsx');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const initialGz = [...initial].reduce((sum, f) => sum + gz(f), 0);
const lazy = js.filter((f) => !initial.has(f));
console.log(`addin: built in ${Date.now() - started} ms to ${relative(process.cwd(), out)}/ (manifests point at ${publicUrl}${clientId ? '' : ', Entra client id not set'})`);
console.log(`addin: task pane JS ${kb(initialGz)} gzipped before ready (budget ${kb(BUDGET_GZIP_BYTES)})`);
for (const f of lazy) console.log(`addin:   loaded on demand: ${relative(out, f)} ${kb(gz(f))} gzipped`);
if (initialGz > BUDGET_GZIP_BYTES) {
  console.error(`addin: the task pane JS is over its ${kb(BUDGET_GZIP_BYTES)} gzipped budget`);
  process.exitCode = 1;
}
