import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DuckDB and Postgres are native and real: separate processes keep them apart.
    pool: 'forks',
    // vitest leaves one core free by default: on a 2-core machine that is a single worker, and
    // the suite is CPU-bound (DuckDB, Postgres, the Trino grammar)
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
