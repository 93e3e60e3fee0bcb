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
 * How long a stopped query may take to end after interrupt(). DuckDB checks for an interrupt
 * while it executes, not while it binds and plans: a query stuck in its optimizer (tens of
 * thousands of ORs) ignores it, and closing its connection then blocks until it is done.
 */
const INTERRUPT_GRACE_MS = 1000;

/**
 * DuckDB over the local lake. Prepared statements are cached by SQL text, so running one
 * detection over many windows parses and plans it once. A query is stopped when its signal
 * fires (Ctrl-C, shutdown) or it runs past the query timeout: interrupted, and when it does not
 * end at once, left to finish on its own connection (closed when it does) while the next query
 * opens the lake afresh.
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
  /** undefined after a stuck query was left its connection: the next query opens the lake again */
  private lake: OpenLake | undefined;

  private constructor(
    lake: OpenLake,
    private readonly lakeDir: string,
    readonly settings: DuckdbSettings,
  ) {
    this.lake = lake;
  }

  static async open(lakeDir: string, settings: DuckdbSettings = DUCKDB_DEFAULTS): Promise<DuckdbEngine> {
    return new DuckdbEngine(await openLake(lakeDir), lakeDir, settings);
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
    this.lake ??= await openLake(this.lakeDir);
    const lake = this.lake;

    // the connection runs one query at a time (the queue), so interrupting it stops this one
    let stopped: StopReason | undefined;
    let onStop: (why: StopReason) => void = () => {};
    const stopping = new Promise<StopReason>((resolve) => {
      onStop = resolve;
    });
    const stop = (why: StopReason): void => {
      if (stopped) return;
      stopped = why;
      lake.connection.interrupt();
      onStop(why);
    };
    const onAbort = (): void => stop('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    // aborted while the lake was opening: a listener added now would never hear it
    if (signal?.aborted) stop('aborted');
    const timer = setTimeout(() => stop('timeout'), this.settings.queryTimeoutMs);
    const work = this.execute(lake, req, () => stopped);
    try {
      const first = await Promise.race([
        work.then(
          (rows) => ({ rows }),
          (error: unknown) => ({ error }),
        ),
        stopping.then(() => ({ stopped: true as const })),
      ]);
      if ('rows' in first && !stopped)
        return { rows: first.rows, stats: { engine: 'duckdb', elapsed_ms: Math.round(performance.now() - started) } };
      if ('error' in first && !stopped) throw new EngineError(`DuckDB: ${(first.error as Error).message}`);
      // stopped: give the interrupt a moment, then leave a query that ignores it its connection
      const ended = await Promise.race([work.then(settled, settled), delay(INTERRUPT_GRACE_MS).then(() => false)]);
      if (!ended) this.abandon(lake, work);
      throw this.stoppedError(stopped ?? 'aborted', signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The DuckDB calls of one query; `stopped` is looked at between them (an interrupt between two calls may reach neither). */
  private async execute(
    lake: OpenLake,
    req: QueryRequest,
    stopped: () => StopReason | undefined,
  ): Promise<Record<string, unknown>[]> {
    let stmt = this.prepared.get(req.sql);
    if (!stmt) {
      stmt = await lake.connection.prepare(req.sql);
      if (this.lake === lake) this.prepared.set(req.sql, stmt);
    }
    if (stopped()) throw new Error('stopped');
    stmt.bind(req.params.map(duckValue));
    const reader = await stmt.runAndReadAll();
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  /** Leaves `lake` to a stopped query still running on it, closed when that ends; the next query opens the lake again. */
  private abandon(lake: OpenLake, work: Promise<unknown>): void {
    if (this.lake === lake) {
      this.lake = undefined;
      this.prepared.clear();
    }
    const close = (): Promise<void> => lake.close().catch(() => undefined);
    work.then(close, close);
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
    const lake = this.lake;
    this.lake = undefined;
    await lake?.close();
  }
}

const settled = (): boolean => true;
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
