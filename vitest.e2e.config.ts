import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the built web app in Chromium (playwright-core driving the system's
 * chromium). The global setup builds once and serves `dist/web`; each file launches its own
 * browser. Files run one at a time: each one runs DuckDB in a worker, and two cores are shared.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    ...(process.env.KANVAS_RESULTS_DIR ? { reporters: ['default', 'json'], outputFile: { json: `${process.env.KANVAS_RESULTS_DIR}/e2e.json` } } : {}),
  },
});
