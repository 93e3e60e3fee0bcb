import { classifyCommon } from '../failure.js';
import type { EngineSpec } from '../spec.js';
import { DUCKDB_DEFAULTS, duckdbSchema, duckdbSettings, type DuckdbSettings, type DuckdbYaml } from './config.js';

/** DuckDB, in process, over the local lake. */
export const duckdb: EngineSpec<DuckdbSettings, DuckdbYaml> = {
  dialect: 'duckdb',
  config: { schema: duckdbSchema, defaults: DUCKDB_DEFAULTS, apply: duckdbSettings },
  readsLake: true,
  async open(settings, ctx) {
    const { DuckdbEngine } = await import('./engine.js');
    return DuckdbEngine.open(ctx.lakeDir, settings);
  },
  classify: classifyCommon,
  dryRun: { heading: 'Parameters (bound in order):', params: (bound) => bound.map((p) => p.value) },
};
