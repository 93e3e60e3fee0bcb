import type { DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from '../../duckdb.js';
import { openLake, type OpenLake } from '../../lake/open.js';
import type { BoundParam } from '../../sql/params.js';
import { EngineError, type Engine, type QueryRequest, type QueryResult } from '../engine.js';
import { DUCKDB_DEFAULTS, type DuckdbSettings } from './config.js';

/** Typed DuckDB values for bound parameters (timestamps as TIMESTAMP, like Athena's literals). */
function duckValue(p: BoundParam): DuckDBValue {
  if (p.type === 'timestamp') {
    const ms = Date.parse(`${p.value.replace(' ', 'T')}Z`);
    return duckdb.timestampValue(BigInt(ms) * 1000n);
  }
  return p.value;
}

type StopReason = 'aborted' | 'timeout';

/**
 * DuckDB over the local lake. Prepared statements are cached by SQL text, so running one
 * detection over many windows parses and plans it once. A query is interrupted when its
 * signal fires (Ctrl-C, shutdown) or it runs past the query timeout.
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

  private constructor(
    private readonly lake: OpenLake,
    readonly settings: DuckdbSettings,
  ) {}

  static async open(lakeDir: string, settings: DuckdbSettings = DUCKDB_DEFAULTS): Promise<DuckdbEngine> {
    return new DuckdbEngine(await openLake(lakeDir), settings);
  }

  query(req: QueryRequest): Promise<QueryResult> {
    const result = this.queue.then(() => this.run(req));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async run(req: QueryRequest): Promise<QueryResult> {
    const signal = req.signal;
    if (signal?.aborted) throw new EngineError(`DuckDB: query not started: aborted`, { reason: 'aborted' });
    const started = performance.now();
    // the connection runs one query at a time (the queue), so interrupting it stops this one
    let stopped: StopReason | undefined;
    const stop = (why: StopReason): void => {
      if (stopped) return;
      stopped = why;
      this.lake.connection.interrupt();
    };
    const onAbort = (): void => stop('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => stop('timeout'), this.settings.queryTimeoutMs);
    try {
      let stmt = this.prepared.get(req.sql);
      if (!stmt) {
        stmt = await this.lake.connection.prepare(req.sql);
        this.prepared.set(req.sql, stmt);
      }
      // an interrupt between two calls may not reach the next one: look before each
      if (stopped) throw this.stoppedError(stopped, signal);
      stmt.bind(req.params.map(duckValue));
      const reader = await stmt.runAndReadAll();
      if (stopped) throw this.stoppedError(stopped, signal);
      const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
      return { rows, stats: { engine: 'duckdb', elapsed_ms: Math.round(performance.now() - started) } };
    } catch (err) {
      if (err instanceof EngineError) throw err;
      if (stopped) throw this.stoppedError(stopped, signal);
      throw new EngineError(`DuckDB: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private stoppedError(reason: StopReason, signal: AbortSignal | undefined): EngineError {
    const ms = this.settings.queryTimeoutMs;
    const cause =
      reason === 'timeout'
        ? `did not finish within the query timeout of ${formatMs(ms)} (query_timeout under duckdb: in the configuration)`
        : `was aborted (${why(signal)})`;
    return new EngineError(`DuckDB: query ${cause}; interrupted it`, {
      reason,
      ...(reason === 'timeout' ? { timeoutMs: ms } : {}),
    });
  }

  async close(): Promise<void> {
    this.prepared.clear();
    await this.lake.close();
  }
}

function why(signal: AbortSignal | undefined): string {
  const r: unknown = signal?.reason;
  if (r instanceof Error) return r.message;
  return r === undefined ? 'no reason given' : String(r);
}

/** 1800000 → 30m, 90000 → 90s, 1500 → 1500ms: as the configuration writes durations. */
function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
