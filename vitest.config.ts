import { defineConfig } from 'vitest/config';

// `npm test`: everything that needs no external service.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
    exclude: ['**/*.int.test.ts', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
