// Lint rules that keep the architecture honest: the core stays pure, the server never prints.
// TypeScript sources get typescript-eslint's rules; the plain .js/.mjs scripts (bench, scripts,
// the grammar source, the e2e and grammar tests, esbuild.mjs, bin/) get ESLint's own.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      '.vscode-test/',
      'bench/.data/',
      'test/fixtures/',
      'test/e2e/.artifacts/',
      '.cache/',
    ],
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    // syntax up to what Node 18 (engines.node) runs
    languageOptions: { ecmaVersion: 2022, globals: globals.node },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  // bin/ and the suite runner are CommonJS (package.json has no "type")
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' } },
  // page.evaluate() callbacks run in Chromium's page
  {
    files: ['test/e2e/browser.test.mjs', 'test/e2e/report-view.test.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'vscode-*', 'node:*', 'fs', 'path', 'child_process', 'os'],
              message: 'server/src/core is pure: no editor, LSP or Node APIs.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'node:*', '../server'],
              message: 'features are pure adapters: no vscode, no Node APIs, no connection.',
            },
            {
              // its Node entry has createConnection: features take LSP types and enums from
              // vscode-languageserver-types, the custom protocol from shared/protocol.ts
              group: [
                'vscode-languageserver',
                'vscode-languageserver/*',
                'vscode-jsonrpc',
                'vscode-jsonrpc/*',
              ],
              message:
                'features never reach the connection: import LSP types from vscode-languageserver-types.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/cli.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // the protocol shared by the client and the server: names and shapes only
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['*', '.*'], message: 'shared/protocol.ts imports nothing.' }] },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**'], message: 'the client never imports the server.' }] },
      ],
    },
  },
);
