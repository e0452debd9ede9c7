import { defineConfig } from 'vitest/config';

// Browser tests (test/e2e): the real server on a fresh SQLite database serving the built web app,
// driven through playwright-core in Debian's Chromium. One file at a time: each starts a browser.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
