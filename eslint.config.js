// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Libraries that do I/O; the core and the pipeline stages reach them only through ports. */
const ioLibraries = ['fastify', 'fastify-*', '@fastify/*', 'kysely', 'better-sqlite3', 'pg', 'pino', 'prom-client', 'nats', 'undici', 'nodemailer', 'commander', 'viem'];
const ioNodeModules = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:dgram', 'fs', 'net', 'http', 'https', 'child_process'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'vigil-data/**', 'web/dist/**', 'test/fixtures/hardhat/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-params': ['error', 3],
    },
  },
  {
    // The core and the pipeline stages import no I/O library: adapters implement their ports.
    // `src/watch/*.ts` is the watch stage's logic; its node adapters live in `src/watch/evm/`.
    files: ['src/core/**', 'src/ingest/**', 'src/correlate/**', 'src/record/**', 'src/respond/**', 'src/triage/**', 'src/detect/**', 'src/learn/**', 'src/access/**', 'src/watch/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioNodeModules.map((name) => ({ name, message: 'The core does no I/O: take a port (see src/core/store.ts) and let an adapter do it.' })),
          patterns: [{ group: ioLibraries, message: 'The core imports no I/O library: put it in an adapter (store/, http/, cli/) behind a port.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.contract.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      // Test helpers mirror the shapes under test (inject's options, a sender's arguments).
      'max-params': 'off',
    },
  },
  {
    // The console is browser code with its own tsconfig (DOM, JSX); its build config runs in Node.
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { project: ['./web/tsconfig.json', './web/tsconfig.node.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
