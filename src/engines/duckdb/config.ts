import { z } from 'zod';
import { queryTimeoutSchema } from '../timeout-schema.js';

/** How hunt runs DuckDB over the local lake (`duckdb:` in config/hunt.yaml). */
export interface DuckdbSettings {
  /** give up on (and interrupt) a query running longer than this, as Athena's query_timeout */
  queryTimeoutMs: number;
}

export const DUCKDB_DEFAULTS: DuckdbSettings = { queryTimeoutMs: 30 * 60 * 1000 };

export const duckdbSchema = z.object({ query_timeout: queryTimeoutSchema.optional() }).strict();

export type DuckdbYaml = z.infer<typeof duckdbSchema>;

export function duckdbSettings(base: DuckdbSettings, y: DuckdbYaml): DuckdbSettings {
  return y.query_timeout === undefined ? base : { ...base, queryTimeoutMs: y.query_timeout };
}
