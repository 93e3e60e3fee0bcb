/**
 * Athena as an Engine: start the query (parameters as literal text, an idempotent request
 * token), poll until it finishes, fetch the rows (pages, or the result CSV in S3 for large
 * results), type them from the result metadata. Knows nothing of SPL.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { EngineError, type Engine, type QueryRequest, type QueryResult } from '../engine.js';
import { awsCall, CallAborted, type CallContext } from './aws-call.js';
import { makeAthenaClient, makeS3Client } from './clients.js';
import { athenaLiteral } from './literals.js';
import { fetchResults, PAGE_ROWS, type ResultCalls } from './results.js';
import type { AthenaSettings } from './settings.js';
import { executionStats, finishedWithoutResult } from './status.js';
import {
  DEFAULT_POLL,
  DEFAULT_RETRY,
  pollDelay,
  REAL_TIMING,
  type PollPolicy,
  type RetryPolicy,
  type Timing,
} from './timing.js';
import { randomToken, requestToken } from './token.js';

export interface AthenaEngineOptions {
  /** clients to use instead of making them from the settings (the engine then does not destroy them) */
  athena?: AthenaClient;
  s3?: S3Client;
  /** time: tests inject a fast sleep and a clock; `wallClock` is epoch ms, for Athena's own timestamps */
  timing?: Partial<Timing> & { wallClock?: () => number };
  poll?: Partial<PollPolicy>;
  retry?: Partial<RetryPolicy>;
}

/**
 * How far Athena's SubmissionDateTime may be behind our clock for an execution still to count as
 * the one this call started (clock skew, request latency); see `leftOver`.
 */
const SKEW_MS = 60_000;
/** Fresh tokens tried past executions left FAILED or CANCELLED by earlier attempts of the same run. */
const MAX_GENERATIONS = 16;

type Deadline = { at: number; ms: number };

export class AthenaEngine implements Engine {
  readonly name = 'athena';
  readonly dialect = 'athena' as const;
  private readonly athena: AthenaClient;
  private readonly s3: S3Client;
  private readonly owned: { destroy(): void }[] = [];
  private readonly timing: Timing;
  private readonly wallClock: () => number;
  private readonly poll: PollPolicy;
  private readonly retry: RetryPolicy;

  constructor(
    readonly settings: AthenaSettings,
    options: AthenaEngineOptions = {},
  ) {
    this.athena = options.athena ?? this.own(makeAthenaClient(settings));
    this.s3 = options.s3 ?? this.own(makeS3Client(settings));
    this.timing = { ...REAL_TIMING, ...options.timing };
    this.wallClock = options.timing?.wallClock ?? Date.now;
    this.poll = { ...DEFAULT_POLL, ...options.poll };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  private own<T extends { destroy(): void }>(client: T): T {
    this.owned.push(client);
    return client;
  }

  async query(req: QueryRequest): Promise<QueryResult> {
    const started = this.timing.now();
    const deadline: Deadline = { at: started + this.settings.queryTimeoutMs, ms: this.settings.queryTimeoutMs };
    const wallStart = this.wallClock();
    const literals = req.params.map((p, i) => athenaLiteral(p, i + 1));
    const input = this.startInput(req.sql, literals);
    const key = req.idempotencyKey;
    // without a run key, one random token still covers every retry of this call's start
    const random = randomToken();

    let generation = 0;
    let token: string;
    let id: string;
    let finished: QueryExecution;
    for (;;) {
      token = key === undefined ? random : this.token(key, input, literals, generation);
      id = await this.start({ ...input, ClientRequestToken: token }, req.signal);
      if (req.signal?.aborted) return this.stop(id, 'aborted', req.signal);
      finished = await this.wait(id, deadline, req.signal);
      if (finished.Status?.State === 'SUCCEEDED') break;
      // A known token returns its execution however long ago it ran: one an earlier attempt of
      // this run left FAILED or CANCELLED (a crash, a timeout, a transient error) would fail the
      // run forever. Such a leftover gets a new token; a failure of this very call is reported.
      if (key !== undefined && generation < MAX_GENERATIONS && leftOver(finished, wallStart)) {
        generation++;
        continue;
      }
      throw finishedWithoutResult(finished);
    }

    let fetched: Awaited<ReturnType<typeof fetchResults>>;
    try {
      fetched = await fetchResults(this.resultCalls(id, req.signal), {
        executionId: id,
        outputLocation: finished.ResultConfiguration?.OutputLocation,
        s3ResultRows: this.settings.s3ResultRows,
      });
    } catch (err) {
      if (err instanceof CallAborted)
        throw new EngineError(`Athena query ${id}: aborted while reading its results (${why(req.signal)})`, {
          executionId: id,
          reason: 'aborted',
        });
      throw err;
    }
    const stats: Record<string, unknown> = {
      ...executionStats(finished),
      client_request_token: token,
      result_source: fetched.source,
      result_rows: fetched.rows.length,
      result_pages: fetched.pages,
      elapsed_ms: Math.round(this.timing.now() - started),
    };
    if (generation > 0) stats.token_generation = generation;
    if (fetched.s3Error) stats.s3_error = fetched.s3Error;
    return { rows: fetched.rows, stats };
  }

  async close(): Promise<void> {
    for (const c of this.owned.splice(0)) c.destroy();
  }

  /** StartQueryExecution's input, all but the token. */
  private startInput(sql: string, literals: string[]): StartQueryExecutionInput {
    const s = this.settings;
    return {
      QueryString: sql,
      WorkGroup: s.workgroup,
      QueryExecutionContext: { Catalog: s.catalog, ...(s.database ? { Database: s.database } : {}) },
      // Athena refuses an empty list: no parameters, no field
      ...(literals.length ? { ExecutionParameters: literals } : {}),
      ...(s.outputLocation ? { ResultConfiguration: { OutputLocation: s.outputLocation } } : {}),
      ...(s.resultReuseMinutes > 0
        ? {
            ResultReuseConfiguration: {
              ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: s.resultReuseMinutes },
            },
          }
        : {}),
    };
  }

  private token(key: string, input: StartQueryExecutionInput, literals: string[], generation: number): string {
    return requestToken({
      idempotencyKey: key,
      sql: input.QueryString as string,
      literals,
      context: {
        workgroup: input.WorkGroup,
        catalog: input.QueryExecutionContext?.Catalog,
        database: input.QueryExecutionContext?.Database,
        outputLocation: input.ResultConfiguration?.OutputLocation,
        reuseMinutes: input.ResultReuseConfiguration?.ResultReuseByAgeConfiguration?.MaxAgeInMinutes,
        ...(generation > 0 ? { generation } : {}),
      },
    });
  }

  private ctx(service: string, signal?: AbortSignal): CallContext {
    return { retry: this.retry, timing: this.timing, service, ...(signal ? { signal } : {}) };
  }

  /**
   * The start request itself is not aborted in flight: whether Athena started the query would
   * then be unknown, and a started query nobody knows the id of cannot be stopped. It is short;
   * the caller stops the query right after when the signal has fired meanwhile.
   */
  private async start(input: StartQueryExecutionInput, signal?: AbortSignal): Promise<string> {
    try {
      const out = await awsCall('StartQueryExecution', this.ctx('Athena', signal), () =>
        this.athena.send(new StartQueryExecutionCommand(input)),
      );
      if (!out.QueryExecutionId) throw new EngineError('Athena StartQueryExecution returned no QueryExecutionId');
      return out.QueryExecutionId;
    } catch (err) {
      if (err instanceof CallAborted)
        throw new EngineError(`Athena query not started: aborted (${why(signal)})`, { reason: 'aborted' });
      throw err;
    }
  }

  /** Polls until the query finishes (its last QueryExecution), or stops it on timeout or abort. */
  private async wait(id: string, deadline: Deadline, signal?: AbortSignal): Promise<QueryExecution> {
    for (let n = 0; ; n++) {
      let qe: QueryExecution | undefined;
      try {
        const out = await awsCall('GetQueryExecution', this.ctx('Athena', signal), (s) =>
          this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), s ? { abortSignal: s } : {}),
        );
        qe = out.QueryExecution;
      } catch (err) {
        if (err instanceof CallAborted) return this.stop(id, 'aborted', signal);
        throw err;
      }
      const state = qe?.Status?.State;
      if (!qe || !state) throw new EngineError(`Athena GetQueryExecution ${id} returned no state`, { executionId: id });
      if (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') return qe;
      // QUEUED or RUNNING (RUNNING falls back to QUEUED when Athena retries a transient failure)
      const left = deadline.at - this.timing.now();
      if (left <= 0) return this.stop(id, 'timeout', signal, deadline.ms, state);
      await this.timing.sleep(Math.min(pollDelay(this.poll, n), left), signal);
      if (signal?.aborted) return this.stop(id, 'aborted', signal);
    }
  }

  /** Stops the query (a StopQueryExecution of its own, never aborted) and says why it gave up. */
  private async stop(
    id: string,
    reason: 'timeout' | 'aborted',
    signal?: AbortSignal,
    timeoutMs?: number,
    state?: string,
  ): Promise<never> {
    let stopError: string | undefined;
    try {
      await awsCall('StopQueryExecution', this.ctx('Athena'), () =>
        this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })),
      );
    } catch (err) {
      stopError = (err as Error).message;
    }
    const cause =
      reason === 'timeout' ? `did not finish within ${timeoutMs} ms (still ${state})` : `was aborted (${why(signal)})`;
    const outcome = stopError ? `StopQueryExecution failed too: ${stopError}` : 'stopped it with StopQueryExecution';
    throw new EngineError(`Athena query ${id} ${cause}; ${outcome}`, {
      executionId: id,
      reason,
      stopped: stopError === undefined,
      ...(stopError ? { stopError } : {}),
    });
  }

  private resultCalls(id: string, signal?: AbortSignal): ResultCalls {
    return {
      page: (nextToken) =>
        awsCall('GetQueryResults', this.ctx('Athena', signal), (s) =>
          this.athena.send(
            new GetQueryResultsCommand({
              QueryExecutionId: id,
              MaxResults: PAGE_ROWS,
              ...(nextToken ? { NextToken: nextToken } : {}),
            }),
            s ? { abortSignal: s } : {},
          ),
        ),
      object: async (bucket, key) => {
        const out = await awsCall('GetObject', this.ctx('S3', signal), (s) =>
          this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), s ? { abortSignal: s } : {}),
        );
        const body: unknown = out.Body;
        if (!isAsyncIterable(body))
          throw new EngineError(`S3 GetObject s3://${bucket}/${key} returned no readable body`);
        return body;
      },
    };
  }
}

function isAsyncIterable(v: unknown): v is AsyncIterable<Uint8Array> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}

/**
 * An execution an earlier attempt left finished without a result: submitted before this call.
 * FAILED needs the clock-skew margin: a query that fails at once must not be taken for an old
 * one and started again and again. CANCELLED needs none: this call stops its own query on its
 * own path, so a cancelled one it finds was stopped by an earlier attempt (a shutdown that
 * released its window, to be run again seconds later) unless someone cancelled it in the
 * moment since it started.
 */
function leftOver(qe: QueryExecution, wallStart: number): boolean {
  const submitted = qe.Status?.SubmissionDateTime;
  const margin = qe.Status?.State === 'CANCELLED' ? 0 : SKEW_MS;
  return submitted instanceof Date && submitted.getTime() < wallStart - margin;
}

function why(signal: AbortSignal | undefined): string {
  const r: unknown = signal?.reason;
  if (r instanceof Error) return r.message;
  return r === undefined ? 'no reason given' : String(r);
}
