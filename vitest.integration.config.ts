import { defineConfig } from 'vitest/config';

// `npm run test:integration`: the real parts (PostgreSQL, Alertmanager, a real server process).
export default defineConfig({
  test: {
    include: ['src/**/*.int.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The suites share PostgreSQL and start servers on the machine; one file at a time is simplest.
    fileParallelism: false,
  },
});
