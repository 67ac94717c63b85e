// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layering rules from the design: dependencies point one way. */
const noVscode = { name: 'vscode', message: 'Only src/extension imports vscode.' };
const noChildProcess = [
  { name: 'child_process', message: 'Only src/git runs programs.' },
  { name: 'node:child_process', message: 'Only src/git runs programs.' },
];
const noExtension = { group: ['**/extension/**', '../extension/*'], message: 'Nothing imports src/extension.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', '.cache/**', 'test-results/**', 'test/fixtures/**',
    'test/harness/tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { ecmaVersion: 2023, sourceType: 'module' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, ...noChildProcess], patterns: [noExtension] }] },
  },
  {
    files: ['src/analysis/**/*.ts', 'src/server/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, ...noChildProcess], patterns: [noExtension] }] },
  },
  {
    // The pages bundle src/protocol too: it imports no runtime, only types from core (guards instead of zod).
    files: ['src/protocol/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', {
      paths: [noVscode, ...noChildProcess, { name: 'zod', message: 'src/protocol is bundled into the webviews: write a guard (src/protocol/webview/guards.ts).' }],
      patterns: [noExtension,
        { group: ['node:*'], message: 'src/protocol is browser-safe: no Node modules.' },
        { group: ['**/git/**', '**/analysis/**'], message: 'src/protocol imports no runtime.' },
        { group: ['**/core/**'], allowTypeImports: true, message: 'src/protocol imports only types from src/core (import type).' }] }] },
  },
  {
    files: ['src/git/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noExtension] }] },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, ...noChildProcess, { name: 'node:fs' }, { name: 'fs' }],
      patterns: [noExtension, { group: ['**/git/**', '**/analysis/**', '**/server/**'], message: 'Webviews talk to the host through src/protocol.' }] }] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
