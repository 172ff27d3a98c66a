// An esbuild plugin that compiles our makeStyles/makeResetStyles calls ahead of time with
// Griffel's own Babel preset (@griffel/babel-preset), as Fluent UI ships its components: the
// page then inserts ready CSS rules instead of resolving style objects through stylis on first
// render (about 30 ms of the board's first render, measured in Chromium on the board of 500).
import { transformAsync } from '@babel/core';
import { readFile } from 'node:fs/promises';

const STYLES = /\bmake(Styles|ResetStyles|StaticStyles)\(/;

/** Compiles the styles of the .ts/.tsx files under `roots` (folders' absolute paths). */
export function griffelAot(roots) {
  return {
    name: 'griffel-aot',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (!roots.some((root) => args.path.startsWith(root))) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!STYLES.test(source)) return undefined;
        const result = await transformAsync(source, {
          filename: args.path,
          babelrc: false,
          configFile: false,
          // Parse TypeScript and JSX, print them back unchanged: esbuild compiles them after.
          parserOpts: { plugins: ['typescript', 'jsx'] },
          // The style objects' imports (tokens, our own constants) are evaluated in Node to compute the CSS.
          presets: [['@griffel/babel-preset', { babelOptions: { presets: ['@babel/preset-typescript'] } }]],
        });
        if (!result?.code) throw new Error(`griffel-aot: no output for ${args.path}`);
        return { contents: result.code, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
      });
    },
  };
}
