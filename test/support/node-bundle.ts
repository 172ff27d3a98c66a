import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, where package.json and node_modules are. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * Bundles a TypeScript entry point into one JavaScript file that plain `node` runs, so a test
 * can start it in a process of its own (a server that hangs then cannot stop the test's clock).
 * Packages stay outside the bundle and resolve from the repository's node_modules (NODE_PATH).
 */
export function bundleForNode(entry: string): { file: string; env: Record<string, string> } {
  const file = join(mkdtempSync(join(tmpdir(), 'noticed-bundle-')), 'main.js');
  buildSync({ entryPoints: [resolve(REPO_ROOT, entry)], outfile: file, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'silent' });
  return { file, env: { NODE_PATH: join(REPO_ROOT, 'node_modules') } };
}
