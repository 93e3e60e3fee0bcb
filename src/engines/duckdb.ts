import type { DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from '../duckdb.js';
import { openLake, type OpenLake } from '../lake/open.js';
import type { BoundParam } from '../sql/params.js';
import { EngineError, type Engine, type QueryRequest, type QueryResult } from './engine.js';

/** Typed DuckDB values for bound parameters (timestamps as TIMESTAMP, like Athena's literals). */
function duckValue(p: BoundParam): DuckDBValue {
  if (p.type === 'timestamp') {
    const ms = Date.parse(`${p.value.replace(' ', 'T')}Z`);
    return duckdb.timestampValue(BigInt(ms) * 1000n);
  }
  return p.value;
}

/**
 * DuckDB over the local lake. Prepared statements are cached by SQL text, so running one
 * detection over many windows parses and plans it once.
 */
export class DuckdbEngine implements Engine {
  readonly name = 'duckdb';
  readonly dialect = 'duckdb' as const;
  private readonly prepared = new Map<string, DuckDBPreparedStatement>();
  /**
   * Queries run one at a time: they share one connection and its cached statements (binding a
   * statement another query is still running would change its parameters). DuckDB uses every
   * core within a query, so a scheduler running several windows at once loses nothing by it.
   */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly lake: OpenLake) {}

  static async open(lakeDir: string): Promise<DuckdbEngine> {
    return new DuckdbEngine(await openLake(lakeDir));
  }

  query(req: QueryRequest): Promise<QueryResult> {
    const result = this.queue.then(() => this.run(req));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async run(req: QueryRequest): Promise<QueryResult> {
    if (req.signal?.aborted) throw new EngineError(`DuckDB: query not started: aborted`, { reason: 'aborted' });
    const started = performance.now();
    try {
      let stmt = this.prepared.get(req.sql);
      if (!stmt) {
        stmt = await this.lake.connection.prepare(req.sql);
        this.prepared.set(req.sql, stmt);
      }
      stmt.bind(req.params.map(duckValue));
      const reader = await stmt.runAndReadAll();
      const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
      return { rows, stats: { engine: 'duckdb', elapsed_ms: Math.round(performance.now() - started) } };
    } catch (err) {
      throw new EngineError(`DuckDB: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.prepared.clear();
    await this.lake.close();
  }
}
