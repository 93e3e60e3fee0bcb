import type { DialectName } from '../sql/dialect.js';
import type { BoundParam } from '../sql/params.js';

export interface QueryRequest {
  sql: string;
  params: BoundParam[];
  /**
   * Names the logical run (detection id, version, window): an engine that can make a retried
   * start idempotent (Athena's ClientRequestToken) derives its token from this and the SQL.
   */
  idempotencyKey?: string;
  /** Aborted on Ctrl-C, shutdown or timeout: the engine stops the query it has in flight. */
  signal?: AbortSignal;
}

export interface QueryResult {
  /** rows keyed by result column */
  rows: Record<string, unknown>[];
  /** engine statistics: execution id, bytes scanned, times, ... */
  stats: Record<string, unknown>;
}

/** Something that runs rendered SQL: DuckDB over the local lake, or Athena. Knows nothing of SPL. */
export interface Engine {
  readonly name: string;
  readonly dialect: DialectName;
  query(req: QueryRequest): Promise<QueryResult>;
  close(): Promise<void>;
}

/** The engine failed to run a query (not a problem with the detection). */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** A bound parameter value the engine cannot take (bad input, not a failure of the engine). */
export class EngineParameterError extends EngineError {}
