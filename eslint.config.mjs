import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Module boundaries (STYLE.md, "The shape of the house"). Only the composition root opens a store,
// so a rule cannot be decided beside it; production code never runs on the test doubles; other
// folders use a folder's public face, and the browser bundles a face without Node-only modules.
const STORE = {
  group: ['**/core/src/store', '**/core/src/store/*', '**/core/store', 'better-sqlite3', '@azure/cosmos'],
  message: 'Only bot/src/index.ts and bot/src/app.ts open a store; ask the domain (core/index.ts) instead.',
};
const DEV = {
  group: ['**/dev', '**/dev/*', '**/bot/dev'],
  message: 'The test doubles (local connector, Teams activities, card text) are for tests and npm run chat, never for production code.',
};
const CORE_INTERNALS = { group: ['**/core/src', '**/core/src/**'], message: 'Import the domain from its face: core/index.ts (core/browser.ts in the tab and the add-in).' };
const CORE_FOR_NODE = { regex: '(^|/)core(/index|/store)?$', message: 'The browser bundles core/browser.ts: core/index.ts pulls in node:crypto and zod.' };
// Benches sit beside src/, so their deep imports start with ../src.
const BENCH_INTERNALS = {
  regex: '^\\.\\./src(/|$)|(^|/)(core|bot)/src(/|$)',
  message: 'A bench measures what the faces offer: import core/index.ts, core/store.ts, bot/index.ts or bot/dev.ts.',
};
// The domain knows no SDK (STYLE.md): only store adapters (and an adapter's own tests, which
// look at what it wrote) may import a driver.
const SDKS = {
  group: ['botbuilder*', 'restify*', 'react*', '@fluentui/*', '@microsoft/teams-js', 'better-sqlite3', '@azure/*'],
  message: 'The domain knows no SDK: only core/src/store adapters import a driver.',
};

/** One `no-restricted-imports` per set of files: a later config's options replace an earlier one's. */
function boundaries() {
  const restrict = (files, ignores, ...patterns) => ({ files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } });
  const root = ['bot/src/index.ts', 'bot/src/app.ts'];
  const dev = ['bot/src/dev/**', 'bot/src/chat.ts'];
  return [
    restrict(['bot/src/**/*.ts', 'appPackage/**/*.ts', 'bot/index.ts'], [...root, ...dev], STORE, DEV, CORE_INTERNALS),
    restrict(root, [], DEV, CORE_INTERNALS),
    restrict([...dev, 'bot/dev.ts'], [], STORE, CORE_INTERNALS),
    restrict(['tab/src/**/*.{ts,tsx}', 'addin/src/**/*.{ts,tsx}'], [], STORE, DEV, CORE_INTERNALS, CORE_FOR_NODE),
    // Benches open a store and play Teams as tests do, through the faces.
    restrict(['core/bench/**/*.ts'], [], SDKS, BENCH_INTERNALS),
    restrict(['bot/bench/**/*.ts'], [], BENCH_INTERNALS),
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/build/**', 'data/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/src/store/**', 'core/test/sqlite-store.test.ts', 'core/test/cosmos-store.test.ts'],
    // The domain knows no SDK (STYLE.md): only store adapters (and an adapter's own tests,
    // which look at what it wrote) may import a driver.
    rules: { 'no-restricted-imports': ['error', { patterns: [SDKS] }] },
  },
  ...boundaries(),
  {
    // Tests read JSON answers field by field; typing every body would only restate the API.
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
