import type { HuntConfig } from '../config/config.js';
import type { Engine } from './engine.js';

export type EngineName = HuntConfig['engine'];

/**
 * The engine a run uses: DuckDB over the local lake, or Athena with the configured settings.
 * Each is loaded only when chosen (a duckdb run need not load the AWS SDK, nor an athena run
 * DuckDB).
 */
export async function openEngine(config: HuntConfig, name: EngineName = config.engine): Promise<Engine> {
  if (name === 'duckdb') {
    const { DuckdbEngine } = await import('./duckdb.js');
    return DuckdbEngine.open(config.lakeDir);
  }
  const { AthenaEngine } = await import('./athena/engine.js');
  return new AthenaEngine(config.athena);
}
