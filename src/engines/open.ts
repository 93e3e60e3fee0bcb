import type { HuntConfig } from '../config/config.js';
import { EngineError, type Engine } from './engine.js';

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
  // TODO(merge): the athena engine (src/engines/athena/engine.ts) is built on another branch.
  // At merge this becomes:
  //   const { AthenaEngine } = await import('./athena/engine.js');
  //   return AthenaEngine.create(config.athena);
  throw new EngineError('the athena engine is not part of this build');
}
