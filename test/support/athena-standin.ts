/**
 * A local stand-in for the Athena API, speaking its JSON protocol over real HTTP on a random
 * 127.0.0.1 port (POST /, `X-Amz-Target: AmazonAthena.<Operation>`, application/x-amz-json-1.1,
 * errors as `{"__type": ..., "Message": ...}` so the SDK maps them to named exceptions). Tests
 * point the real @aws-sdk/client-athena here with AWS_ENDPOINT_URL_ATHENA.
 *
 * It implements what the engine uses, with the service's documented behaviour:
 * - StartQueryExecution: idempotent per ClientRequestToken (the same token and request give the
 *   same execution, a changed request an error), ExecutionParameters 1..1024 characters each,
 *   an output location from the query or the workgroup (an enforcing workgroup overrides the
 *   query's), result reuse (identical query, parameters, context and result configuration, the
 *   latest success within MaxAgeInMinutes: SUCCEEDED at once, pointing at the earlier CSV);
 * - GetQueryExecution: QUEUED/RUNNING as scripted, then SUCCEEDED, FAILED (StateChangeReason,
 *   AthenaError) or CANCELLED; the execution's OutputLocation is the result file itself,
 *   `<location>/<id>.csv`, as Athena reports it; ExecutionParameters are not echoed (the API
 *   does not return them);
 * - GetQueryResults: pages of at most MaxResults (<= 1000) rows, the header row first in the
 *   first page (it counts towards the page), NULL as a Datum without VarCharValue;
 * - StopQueryExecution: a query not yet finished becomes CANCELLED.
 * A query is answered once per execution by a pluggable answerer (`(queryString,
 * executionParameters) => table of Athena text values`); the result is also written as
 * Athena's CSV to the S3 stand-in at the output location. Scripts (per query) and injected
 * throttling drive the unhappy paths. Every request is recorded.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { parseAthenaLiteral } from '../../src/engines/athena/literals.js';
import type { S3Standin } from './s3-standin.js';

export type Operation = 'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults' | 'StopQueryExecution';
const OPERATIONS: Operation[] = ['StartQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'StopQueryExecution'];

/** A result as Athena holds it: typed columns, values as text (null for NULL). */
export interface AthenaTable {
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
}

export type Answerer = (
  queryString: string,
  executionParameters: string[] | undefined,
) => AthenaTable | Promise<AthenaTable>;

export interface WireAthenaError {
  ErrorCategory: number;
  ErrorType: number;
  Retryable: boolean;
  ErrorMessage?: string;
}

/** Thrown by an answerer: the query ends FAILED with this reason, as Athena fails a bad query. */
export class QueryFailure extends Error {
  constructor(
    message: string,
    readonly athenaError: WireAthenaError = { ErrorCategory: 2, ErrorType: 1006, Retryable: false },
  ) {
    super(message);
  }
}

export interface WireStatistics {
  EngineExecutionTimeInMillis: number;
  DataScannedInBytes: number;
  TotalExecutionTimeInMillis: number;
  QueryQueueTimeInMillis: number;
  QueryPlanningTimeInMillis: number;
  ServiceProcessingTimeInMillis: number;
}

/** How one query behaves, for the queries `match` selects. */
export interface QueryScript {
  match: string | RegExp | ((q: StartRequest) => boolean);
  /** applies to this many executions, then no longer matches (default: all) */
  times?: number;
  /** states reported by successive GetQueryExecution calls before the end (default: QUEUED, RUNNING) */
  states?: ('QUEUED' | 'RUNNING')[];
  /** after `states`, stay RUNNING until stopped */
  hang?: boolean;
  /** end FAILED with this reason and AthenaError instead of answering */
  fail?: { reason: string; athenaError?: WireAthenaError };
  /** end CANCELLED (as when someone else stopped it, or a workgroup limit did) */
  cancel?: { reason: string };
  /** this result instead of the answerer's */
  result?: AthenaTable;
  statistics?: Partial<WireStatistics>;
  /** Status.SubmissionDateTime this long before now (an execution left by an earlier attempt) */
  submittedAgoMs?: number;
}

export interface Workgroup {
  outputLocation?: string;
  /** the workgroup's result configuration overrides the query's */
  enforce?: boolean;
}

const ReuseSchema = z.object({
  ResultReuseByAgeConfiguration: z
    .object({ Enabled: z.boolean(), MaxAgeInMinutes: z.number().int().min(0).max(10080).optional() })
    .optional(),
});

const StartSchema = z.object({
  QueryString: z.string().min(1).max(262144),
  ClientRequestToken: z.string().min(32).max(128).optional(),
  QueryExecutionContext: z
    .object({ Database: z.string().min(1).optional(), Catalog: z.string().min(1).optional() })
    .optional(),
  ResultConfiguration: z.object({ OutputLocation: z.string().optional() }).optional(),
  WorkGroup: z.string().min(1).optional(),
  ExecutionParameters: z.array(z.string().min(1).max(1024)).min(1).optional(),
  ResultReuseConfiguration: ReuseSchema.optional(),
});
export type StartRequest = z.infer<typeof StartSchema>;

const IdSchema = z.object({ QueryExecutionId: z.string().min(1) });
const ResultsSchema = IdSchema.extend({
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(1000).optional(),
});

export interface RecordedRequest {
  operation: string;
  input: unknown;
  headers: IncomingMessage['headers'];
}

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface Execution {
  id: string;
  input: StartRequest;
  /** what idempotency compares: the request without its token */
  fingerprint: string;
  workgroup: string;
  script: QueryScript | undefined;
  submittedAt: number;
  completedAt?: number;
  polls: number;
  stopped: boolean;
  /** the result file, `<location>/<id>.csv` (or the reused execution's) */
  csvUri: string;
  reused: boolean;
  answering: Promise<void>;
  result?: AthenaTable;
  failure?: { reason: string; athenaError?: WireAthenaError };
  answerMs: number;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface AthenaStandinOptions {
  answerer?: Answerer;
  s3?: S3Standin;
  /** epoch ms; default Date.now */
  now?: () => number;
}

export class AthenaStandin {
  readonly requests: RecordedRequest[] = [];
  readonly executions = new Map<string, Execution>();
  readonly workgroups = new Map<string, Workgroup>();
  /** how many times a query was actually answered (the answerer ran, or a script's result was used) */
  answered = 0;
  answerer: Answerer;
  url = '';
  /** called for every request before it is handled (tests abort signals from here, or delay the answer) */
  onRequest: ((operation: string, input: unknown) => void | Promise<void>) | undefined;
  private readonly s3: S3Standin | undefined;
  private readonly now: () => number;
  private readonly scripts: QueryScript[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly throttles: { operation: Operation; left: number; type: string; reason?: string }[] = [];
  private server: Server | undefined;

  constructor(opts: AthenaStandinOptions = {}) {
    this.answerer =
      opts.answerer ?? (() => Promise.reject(new QueryFailure('the stand-in has no answerer for this query')));
    this.s3 = opts.s3;
    this.now = opts.now ?? Date.now;
    this.resetWorkgroups();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  /** Forget every execution, token, script, throttle and recorded request. */
  reset(): void {
    this.requests.length = 0;
    this.executions.clear();
    this.tokens.clear();
    this.scripts.length = 0;
    this.throttles.length = 0;
    this.answered = 0;
    this.onRequest = undefined;
    this.resetWorkgroups();
  }

  private resetWorkgroups(): void {
    this.workgroups.clear();
    this.workgroups.set('primary', { outputLocation: 's3://standin-results/athena/' });
  }

  /** Queries matching `script.match` (the first script that matches) behave as scripted. */
  script(script: QueryScript): void {
    this.scripts.push(script);
  }

  /** The next `times` calls of `operation` are refused with `type` (ThrottlingException, TooManyRequestsException). */
  throttle(operation: Operation, times: number, type = 'ThrottlingException', reason?: string): void {
    this.throttles.push({ operation, left: times, type, ...(reason ? { reason } : {}) });
  }

  /** What GetQueryExecution would now say about an execution's state (without counting as a poll). */
  stateOf(id: string): State {
    const e = this.execution(id);
    const states = e.script?.states ?? DEFAULT_STATES;
    return (
      this.finalState(e) ?? (e.polls >= 1 && e.polls <= states.length ? (states[e.polls - 1] as State) : 'RUNNING')
    );
  }

  calls(operation: Operation): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  starts(): StartRequest[] {
    return this.calls('StartQueryExecution').map((r) => StartSchema.parse(r.input));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonAthena.') ? target.slice('AmazonAthena.'.length) : target;
    let input: unknown;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return send(res, 400, { __type: 'SerializationException', Message: 'request body is not JSON' });
    }
    this.requests.push({ operation, input, headers: req.headers });
    try {
      await this.onRequest?.(operation, input);
      if (
        req.method !== 'POST' ||
        !String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')
      ) {
        throw new ApiError('UnknownOperationException', 'POST application/x-amz-json-1.1 expected');
      }
      if (!OPERATIONS.includes(operation as Operation))
        throw new ApiError('UnknownOperationException', `operation ${operation} is not served`);
      const throttle = this.throttles.find((t) => t.operation === operation && t.left > 0);
      if (throttle) {
        throttle.left--;
        throw new ApiError(throttle.type, 'Rate exceeded', throttle.reason ? { Reason: throttle.reason } : {});
      }
      send(res, 200, await this.dispatch(operation as Operation, input));
    } catch (err) {
      if (err instanceof ApiError) return send(res, 400, { __type: err.type, Message: err.message, ...err.extra });
      if (err instanceof z.ZodError) return send(res, 400, { __type: 'InvalidRequestException', Message: err.message });
      send(res, 500, { __type: 'InternalServerException', Message: (err as Error).message });
    }
  }

  private dispatch(operation: Operation, input: unknown): Promise<unknown> | unknown {
    switch (operation) {
      case 'StartQueryExecution':
        return this.startQuery(StartSchema.parse(input));
      case 'GetQueryExecution':
        return this.getQueryExecution(this.execution(IdSchema.parse(input).QueryExecutionId));
      case 'GetQueryResults':
        return this.getQueryResults(ResultsSchema.parse(input));
      case 'StopQueryExecution': {
        const e = this.execution(IdSchema.parse(input).QueryExecutionId);
        if (!this.finalState(e)) e.stopped = true;
        return {};
      }
    }
  }

  private execution(id: string): Execution {
    const e = this.executions.get(id);
    if (!e)
      throw new ApiError('InvalidRequestException', `QueryExecution ${id} was not found`, {
        AthenaErrorCode: 'INVALID_INPUT',
      });
    return e;
  }

  private startQuery(input: StartRequest): { QueryExecutionId: string } {
    const { ClientRequestToken: token, ...request } = input;
    const fingerprint = JSON.stringify(request);
    if (token) {
      const known = this.tokens.get(token);
      if (known) {
        if (this.execution(known).fingerprint !== fingerprint) {
          throw new ApiError('InvalidRequestException', 'Idempotent parameters do not match', {
            AthenaErrorCode: 'INVALID_INPUT',
          });
        }
        return { QueryExecutionId: known };
      }
    }
    const workgroupName = input.WorkGroup ?? 'primary';
    const workgroup = this.workgroups.get(workgroupName);
    if (!workgroup) throw new ApiError('InvalidRequestException', `WorkGroup ${workgroupName} is not found.`);
    const location = workgroup.enforce
      ? workgroup.outputLocation
      : (input.ResultConfiguration?.OutputLocation ?? workgroup.outputLocation);
    if (!location) {
      throw new ApiError(
        'InvalidRequestException',
        'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      );
    }
    const id = randomUUID();
    const script = this.scripts.find((s) => (s.times ?? Infinity) > 0 && matches(s.match, input));
    if (script?.times !== undefined) script.times--;
    const e: Execution = {
      id,
      input,
      fingerprint,
      workgroup: workgroupName,
      script,
      submittedAt: this.now() - (script?.submittedAgoMs ?? 0),
      polls: 0,
      stopped: false,
      csvUri: `${location}${location.endsWith('/') ? '' : '/'}${id}.csv`,
      reused: false,
      answering: Promise.resolve(),
      answerMs: 0,
    };
    const previous = this.reusable(input, workgroupName, location);
    if (previous) {
      e.reused = true;
      e.csvUri = previous.csvUri;
      if (previous.result) e.result = previous.result;
      e.completedAt = this.now();
    } else {
      e.answering = this.answer(e);
    }
    this.executions.set(id, e);
    if (token) this.tokens.set(token, id);
    return { QueryExecutionId: id };
  }

  /** The latest success of the same query this one may reuse (Athena's conditions for reuse). */
  private reusable(input: StartRequest, workgroup: string, location: string): Execution | undefined {
    const byAge = input.ResultReuseConfiguration?.ResultReuseByAgeConfiguration;
    if (!byAge?.Enabled) return undefined;
    const oldest = this.now() - (byAge.MaxAgeInMinutes ?? 60) * 60_000;
    const same = (e: Execution): boolean =>
      e.workgroup === workgroup &&
      e.input.QueryString === input.QueryString &&
      JSON.stringify(e.input.ExecutionParameters ?? []) === JSON.stringify(input.ExecutionParameters ?? []) &&
      JSON.stringify(e.input.QueryExecutionContext ?? {}) === JSON.stringify(input.QueryExecutionContext ?? {}) &&
      e.csvUri.startsWith(location);
    return [...this.executions.values()]
      .filter((e) => same(e) && this.finalState(e) === 'SUCCEEDED' && (e.completedAt ?? 0) >= oldest)
      .sort((a, b) => (b.completedAt ?? 0) - (a.completedAt ?? 0))[0];
  }

  private async answer(e: Execution): Promise<void> {
    const script = e.script;
    if (script?.fail || script?.cancel || script?.hang) return;
    const started = this.now();
    try {
      const params = e.input.ExecutionParameters;
      const slots = countPlaceholders(e.input.QueryString);
      if (slots !== (params?.length ?? 0)) {
        throw new QueryFailure(
          `INVALID_INPUT: Incorrect number of parameters: expected ${slots} but found ${params?.length ?? 0}`,
        );
      }
      for (const [i, p] of (params ?? []).entries()) {
        try {
          parseAthenaLiteral(p);
        } catch (err) {
          throw new QueryFailure(`SYNTAX_ERROR: execution parameter ${i + 1}: ${(err as Error).message}`);
        }
      }
      const result = script?.result ?? (await this.answerer(e.input.QueryString, params));
      this.answered++;
      e.result = result;
      this.s3?.put(e.csvUri, athenaCsv(result));
    } catch (err) {
      e.failure =
        err instanceof QueryFailure
          ? { reason: err.message, athenaError: err.athenaError }
          : {
              reason: `GENERIC_INTERNAL_ERROR: ${(err as Error).message}`,
              athenaError: { ErrorCategory: 1, ErrorType: 401, Retryable: true },
            };
    } finally {
      e.answerMs = this.now() - started;
    }
  }

  /** The state an execution has reached, when it has finished (before that: undefined). */
  private finalState(e: Execution): State | undefined {
    if (e.reused) return 'SUCCEEDED';
    if (e.stopped) return 'CANCELLED';
    const s = e.script;
    if (e.polls <= (s?.states ?? DEFAULT_STATES).length || s?.hang) return undefined;
    if (s?.fail || e.failure) return 'FAILED';
    if (s?.cancel) return 'CANCELLED';
    return e.result ? 'SUCCEEDED' : undefined;
  }

  private async getQueryExecution(e: Execution): Promise<unknown> {
    e.polls++;
    const states = e.script?.states ?? DEFAULT_STATES;
    // once the scripted states are used up the query finishes: wait for its answer, so a test
    // sees exactly the scripted sequence whatever the answer costs
    if (!e.stopped && !e.reused && e.polls > states.length && !e.script?.hang) await e.answering;
    const final = this.finalState(e);
    if (final && e.completedAt === undefined) e.completedAt = this.now();
    const state: State = final ?? (e.polls <= states.length ? (states[e.polls - 1] as State) : 'RUNNING');
    const status: Record<string, unknown> = { State: state, SubmissionDateTime: e.submittedAt / 1000 };
    if (final) status.CompletionDateTime = (e.completedAt as number) / 1000;
    if (state === 'FAILED') {
      const f = e.script?.fail ?? e.failure;
      status.StateChangeReason = f?.reason;
      if (f?.athenaError) status.AthenaError = f.athenaError;
    }
    if (state === 'CANCELLED')
      status.StateChangeReason = e.stopped ? 'Query cancelled by user' : e.script?.cancel?.reason;
    const total = (e.completedAt ?? this.now()) - e.submittedAt;
    const statistics = {
      EngineExecutionTimeInMillis: e.reused ? 0 : e.answerMs,
      DataScannedInBytes: 0,
      TotalExecutionTimeInMillis: total,
      QueryQueueTimeInMillis: 0,
      QueryPlanningTimeInMillis: 0,
      ServiceProcessingTimeInMillis: 0,
      ...(e.reused ? {} : e.script?.statistics),
      ResultReuseInformation: { ReusedPreviousResult: e.reused },
    };
    return {
      QueryExecution: {
        QueryExecutionId: e.id,
        Query: e.input.QueryString,
        StatementType: 'DML',
        SubstatementType: 'SELECT',
        ResultConfiguration: { OutputLocation: e.csvUri },
        ...(e.input.ResultReuseConfiguration ? { ResultReuseConfiguration: e.input.ResultReuseConfiguration } : {}),
        QueryExecutionContext: e.input.QueryExecutionContext ?? {},
        Status: status,
        Statistics: statistics,
        WorkGroup: e.workgroup,
        EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      },
    };
  }

  private getQueryResults(input: z.infer<typeof ResultsSchema>): unknown {
    const e = this.execution(input.QueryExecutionId);
    const state = this.finalState(e);
    if (state !== 'SUCCEEDED' || !e.result) {
      throw new ApiError(
        'InvalidRequestException',
        `Query has not yet finished. Current state: ${state ?? 'RUNNING'}`,
        {
          AthenaErrorCode: 'INVALID_INPUT',
        },
      );
    }
    const table = e.result;
    // the header is the first row of the first page, and counts towards its size
    const all: (string | null)[][] = [table.columns.map((c) => c.name), ...table.rows];
    const offset = input.NextToken ? decodeToken(input.NextToken, e.id) : 0;
    const size = input.MaxResults ?? 1000;
    const slice = all.slice(offset, offset + size);
    const next = offset + size < all.length ? encodeToken(e.id, offset + size) : undefined;
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: slice.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: table.columns.map((c) => ({
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Name: c.name,
            Label: c.name,
            Type: c.type,
            Precision: 0,
            Scale: 0,
            Nullable: 'UNKNOWN',
            CaseSensitive: c.type === 'varchar',
          })),
        },
      },
      ...(next ? { NextToken: next } : {}),
    };
  }
}

const DEFAULT_STATES: ('QUEUED' | 'RUNNING')[] = ['QUEUED', 'RUNNING'];

function matches(m: QueryScript['match'], q: StartRequest): boolean {
  if (typeof m === 'string') return q.QueryString === m;
  if (m instanceof RegExp) return m.test(q.QueryString);
  return m(q);
}

const encodeToken = (id: string, offset: number): string =>
  Buffer.from(JSON.stringify([id, offset])).toString('base64');

function decodeToken(token: string, id: string): number {
  try {
    const [tid, offset] = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as [string, number];
    if (tid === id && Number.isInteger(offset)) return offset;
  } catch {
    // fall through
  }
  throw new ApiError('InvalidRequestException', 'Invalid NextToken', { AthenaErrorCode: 'INVALID_INPUT' });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': randomUUID(),
  };
  if (status >= 400) headers['x-amzn-errortype'] = String((body as { __type: string }).__type);
  res.writeHead(status, headers);
  res.end(text);
}

/** Athena's result CSV: header and values double-quoted, `"` doubled; NULL an empty unquoted field. */
export function athenaCsv(table: AthenaTable): string {
  const q = (v: string | null): string => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);
  const lines = [table.columns.map((c) => q(c.name)).join(','), ...table.rows.map((r) => r.map(q).join(','))];
  return `${lines.join('\n')}\n`;
}

/** `?` placeholders outside string literals, quoted identifiers and comments. */
export function countPlaceholders(sql: string): number {
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      // '' (or "") inside is an escaped quote: skipping to the next quote twice handles it
      const close = sql.indexOf(c, i + 1);
      i = close < 0 ? sql.length : close;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '?') n++;
  }
  return n;
}
