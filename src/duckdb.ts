import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

/**
 * @duckdb/node-api, loaded with require(): importing this CommonJS package from an ES module
 * makes Node pre-parse every one of its files for named exports, ~100 ms of each CLI start.
 */
export const duckdb: typeof DuckDB = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;
