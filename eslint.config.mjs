// Lint for real bugs only; formatting belongs to prettier.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'cdk.out/**',
      '.venv/**',
      '.emulator/**',
      'coverage/**',
      '.tmp/**',
      '.venv-peer/**',
      '.native/**',
      '.venv-localstack/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    plugins: { jest },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/no-identical-title': 'error',
      'jest/valid-expect': 'error',
    },
  },
  {
    // The one place a suite may be skipped: when the emulator lacks a service it needs, with
    // the missing services named in its title (test/helpers/describe-on-emulator.ts).
    files: ['test/helpers/describe-on-emulator.ts'],
    rules: { 'jest/no-disabled-tests': 'off' },
  },
);
