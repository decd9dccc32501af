import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // DuckDB (native threads, wasm compile) and spawned CLIs share 2 cores: keep files few at once.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // CI sets KANVAS_RESULTS_DIR to collect counts from the unit and e2e runs of `npm test`.
    ...(process.env.KANVAS_RESULTS_DIR ? { reporters: ['default', 'json'], outputFile: { json: `${process.env.KANVAS_RESULTS_DIR}/unit.json` } } : {}),
  },
});
