import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Subprocess CLI tests and the all-catalogue golden test take a few seconds on a 2-core machine.
    testTimeout: 30_000,
    pool: 'forks',
    setupFiles: ['test/setup/matchers.ts'],
  },
});
