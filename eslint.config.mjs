import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    ignores: ['core/src/store/**', 'core/test/sqlite-store.test.ts', 'core/test/sqlite-writer.test.ts'],
    rules: {
      // The domain knows no SDK (STYLE.md): only store adapters (and an adapter's own tests,
      // which look at what it wrote) may import a driver.
      'no-restricted-imports': ['error', { patterns: ['botbuilder*', 'restify*', 'react*', '@fluentui/*', '@microsoft/teams-js', 'better-sqlite3', '@azure/*'] }],
    },
  },
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
