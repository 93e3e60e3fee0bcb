/**
 * AthenaEngine end to end over HTTP: the real @aws-sdk/client-athena and client-s3, pointed at
 * the local stand-ins by AWS_ENDPOINT_URL_ATHENA / AWS_ENDPOINT_URL_S3 (no endpoint in the
 * engine's configuration, no stubbed send()). Only time is injected: a clock that moves when
 * the engine sleeps, so backoff and timeouts take no wall time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AthenaEngine, type AthenaEngineOptions } from '../../src/engines/athena/engine.js';
import { athenaLiteral, AthenaParameterError } from '../../src/engines/athena/literals.js';
import { s3PathStyle } from '../../src/engines/athena/clients.js';
import type { AthenaSettings } from '../../src/engines/athena/settings.js';
import { EngineError, type QueryRequest, type QueryResult } from '../../src/engines/engine.js';
import type { BoundParam } from '../../src/sql/params.js';
import { athenaCsv, type AthenaTable } from '../support/athena-standin.js';
import { fakeTiming, settings, startStandins, type FakeTiming, type Standins } from './athena-helpers.js';

let s: Standins;
beforeAll(async () => {
  s = await startStandins();
});
afterAll(() => s.close());
beforeEach(() => s.reset());

const engines: AthenaEngine[] = [];
afterAll(async () => {
  for (const e of engines) await e.close();
});

function engine(
  over: Partial<AthenaSettings> = {},
  opts: AthenaEngineOptions = {},
): { e: AthenaEngine; timing: FakeTiming } {
  const timing = fakeTiming();
  const e = new AthenaEngine(settings(over), { timing, ...opts });
  engines.push(e);
  return { e, timing };
}

/** The EngineError a query fails with (the test fails if it succeeds). */
async function failure(p: Promise<QueryResult>): Promise<EngineError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    return err as EngineError;
  }
  throw new Error('the query succeeded');
}

const table = (columns: [string, string][], rows: (string | null)[][]): AthenaTable => ({
  columns: columns.map(([name, type]) => ({ name, type })),
  rows,
});
const small = table(
  [
    ['user', 'varchar'],
    ['count', 'bigint'],
  ],
  [
    ['alice', '3'],
    ['bob', '1'],
  ],
);
const q = (sql: string, more: Partial<QueryRequest> = {}): QueryRequest => ({ sql, params: [], ...more });

describe('query states', () => {
  test('QUEUED → RUNNING → QUEUED → RUNNING → SUCCEEDED: polled with capped exponential backoff', async () => {
    s.athena.script({
      match: /states/,
      states: ['QUEUED', 'RUNNING', 'QUEUED', 'RUNNING', 'RUNNING', 'RUNNING'],
      result: small,
    });
    const { e, timing } = engine({}, { poll: { initialMs: 100, factor: 2, maxMs: 500 } });
    const r = await e.query(q('select 1 as states'));
    expect(r.rows).toEqual([
      { user: 'alice', count: 3 },
      { user: 'bob', count: 1 },
    ]);
    // one poll per scripted state, then the one that sees SUCCEEDED
    expect(s.athena.calls('GetQueryExecution')).toHaveLength(7);
    expect(timing.sleeps).toEqual([100, 200, 400, 500, 500, 500]);
    expect(r.stats).toMatchObject({ state: 'SUCCEEDED', result_source: 'pages', result_rows: 2, result_pages: 1 });
  });

  test('FAILED: StateChangeReason and AthenaError in the message and the details', async () => {
    s.athena.script({
      match: /broken/,
      fail: {
        reason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
        athenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false },
      },
    });
    const { e } = engine();
    const err = await failure(e.query(q('select nope from broken')));
    const [id] = [...s.athena.executions.keys()];
    expect(err.message).toBe(
      `Athena query ${id} FAILED: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved [AthenaError category 2 USER, type 1006, not retryable]`,
    );
    expect(err.details).toMatchObject({
      executionId: id,
      state: 'FAILED',
      stateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
      athenaError: { errorCategory: 2, errorType: 1006, retryable: false },
    });
    expect(s.athena.calls('GetQueryResults')).toHaveLength(0);
  });

  test('CANCELLED by someone else (or a workgroup limit): an error with the reason', async () => {
    s.athena.script({ match: /cancelme/, cancel: { reason: 'Query exhausted the data scan limit of the workgroup' } });
    const { e } = engine();
    const err = await failure(e.query(q('select 1 as cancelme')));
    expect(err.message).toMatch(
      /^Athena query [\w-]+ was CANCELLED: Query exhausted the data scan limit of the workgroup$/,
    );
    expect(err.details.state).toBe('CANCELLED');
  });

  test('a slow query hits queryTimeoutMs: the engine stops it and says so', async () => {
    s.athena.script({ match: /slow/, hang: true });
    const { e, timing } = engine({ queryTimeoutMs: 5000 }, { poll: { initialMs: 400, factor: 2, maxMs: 2000 } });
    const err = await failure(e.query(q('select 1 as slow')));
    const [id] = [...s.athena.executions.keys()];
    expect(err.message).toBe(
      `Athena query ${id} did not finish within 5000 ms (still RUNNING); stopped it with StopQueryExecution`,
    );
    expect(err.details).toMatchObject({ executionId: id, reason: 'timeout', stopped: true });
    expect(s.athena.calls('StopQueryExecution').map((r) => r.input)).toEqual([{ QueryExecutionId: id }]);
    expect(s.athena.stateOf(id as string)).toBe('CANCELLED');
    // the waits never overshoot the deadline: 400 + 800 + 1600 + 2000 = 4800, then the last 200 ms
    expect(timing.sleeps).toEqual([400, 800, 1600, 2000, 200]);
  });

  test('an abort signal (Ctrl-C) stops the query in flight', async () => {
    s.athena.script({ match: /abortme/, hang: true });
    const controller = new AbortController();
    let polls = 0;
    s.athena.onRequest = (op) => {
      if (op === 'GetQueryExecution' && ++polls === 3) controller.abort(new Error('interrupted (SIGINT)'));
    };
    const { e } = engine();
    const err = await failure(e.query(q('select 1 as abortme', { signal: controller.signal })));
    const [id] = [...s.athena.executions.keys()];
    expect(err.message).toBe(
      `Athena query ${id} was aborted (interrupted (SIGINT)); stopped it with StopQueryExecution`,
    );
    expect(err.details).toMatchObject({ reason: 'aborted', stopped: true });
    expect(s.athena.calls('StopQueryExecution').map((r) => r.input)).toEqual([{ QueryExecutionId: id }]);
    expect(s.athena.stateOf(id as string)).toBe('CANCELLED');
  });

  test('an abort during a slow GetQueryExecution cuts the HTTP request short, then stops the query', async () => {
    s.athena.script({ match: /stuck/, hang: true });
    const controller = new AbortController();
    let polls = 0;
    s.athena.onRequest = async (op) => {
      if (op !== 'GetQueryExecution' || ++polls !== 2) return;
      setTimeout(() => controller.abort(new Error('shutdown')), 20);
      await new Promise((resolve) => setTimeout(resolve, 20_000)); // the service never answers in time
    };
    const { e } = engine();
    const started = Date.now();
    const err = await failure(e.query(q('select 1 as stuck', { signal: controller.signal })));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.message).toMatch(/was aborted \(shutdown\); stopped it with StopQueryExecution$/);
    expect(s.athena.calls('StopQueryExecution')).toHaveLength(1);
  });

  test('a signal aborted before the start: nothing is started', async () => {
    const { e } = engine();
    const err = await failure(e.query(q('select 1', { signal: AbortSignal.abort(new Error('shutting down')) })));
    expect(err.message).toBe('Athena query not started: aborted (shutting down)');
    expect(s.athena.requests).toHaveLength(0);
  });
});

describe('StartQueryExecution', () => {
  test('carries the settings: workgroup, catalog and database, output location; no reuse unless configured', async () => {
    s.athena.workgroups.set('hunt', { outputLocation: 's3://standin-results/wg/' });
    s.athena.script({ match: /./, result: small });
    const { e } = engine({
      workgroup: 'hunt',
      catalog: 'AwsDataCatalog',
      database: 'security',
      outputLocation: 's3://standin-results/mine/',
    });
    await e.query(q('select 1'));
    const [start] = s.athena.calls('StartQueryExecution');
    expect(start?.input).toEqual({
      QueryString: 'select 1',
      WorkGroup: 'hunt',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'security' },
      ResultConfiguration: { OutputLocation: 's3://standin-results/mine/' },
      ClientRequestToken: expect.stringMatching(/^hunt-[0-9a-f-]{36}$/),
    });
    // no parameters: no ExecutionParameters at all (Athena refuses an empty list)
    expect(Object.keys(start?.input as object)).not.toContain('ExecutionParameters');
  });

  test('ExecutionParameters are exactly the rendered literals, in order', async () => {
    const params: BoundParam[] = [
      { type: 'timestamp', value: '2026-11-20 10:00:00.000' },
      { type: 'number', value: 1763632800 },
      { type: 'number', value: 1763632800.25 },
      { type: 'string', value: "o'neil -- \n ;" },
    ];
    s.athena.script({ match: /./, result: small });
    const { e } = engine();
    await e.query(q('select * from t where a >= ? and b >= ? and c < ? and d = ?', { params }));
    expect(s.athena.starts()[0]?.ExecutionParameters).toEqual([
      "TIMESTAMP '2026-11-20 10:00:00.000'",
      '1763632800',
      '1.76363280025E9',
      "'o''neil -- \n ;'",
    ]);
    expect(s.athena.starts()[0]?.ExecutionParameters).toEqual(params.map((p, i) => athenaLiteral(p, i + 1)));
  });

  test('a value Athena cannot take is refused before anything is sent, naming its parameter', async () => {
    const { e } = engine();
    const err = await failure(
      e.query(
        q('select ? , ?', {
          params: [
            { type: 'string', value: 'ok' },
            { type: 'string', value: 'nul\u0000here' },
          ],
        }),
      ),
    );
    expect(err).toBeInstanceOf(AthenaParameterError);
    expect(err.message).toBe(
      'Athena parameter ?2: the string contains NUL at offset 3, which Athena cannot take as parameter text',
    );
    expect(s.athena.requests).toHaveLength(0);
  });

  test('ResultReuseConfiguration when configured: the second run reuses the first result', async () => {
    s.athena.script({ match: /./, result: small });
    const { e } = engine({ resultReuseMinutes: 45 });
    const first = await e.query(q('select 1 as reuse'));
    const second = await e.query(q('select 1 as reuse'));
    for (const start of s.athena.starts()) {
      expect(start.ResultReuseConfiguration).toEqual({
        ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 45 },
      });
    }
    expect(first.stats.reused_previous_result).toBe(false);
    expect(second.stats.reused_previous_result).toBe(true);
    expect(second.stats.execution_id).not.toBe(first.stats.execution_id);
    expect(second.rows).toEqual(first.rows);
    expect(s.athena.answered).toBe(1);
  });

  test('statistics of the execution in QueryResult.stats', async () => {
    s.athena.script({
      match: /./,
      result: small,
      statistics: {
        DataScannedInBytes: 123_456_789,
        EngineExecutionTimeInMillis: 2345,
        QueryQueueTimeInMillis: 120,
        TotalExecutionTimeInMillis: 2600,
      },
    });
    const { e } = engine();
    const r = await e.query(q('select 1', { idempotencyKey: 'stats' }));
    expect(r.stats).toEqual({
      engine: 'athena',
      execution_id: [...s.athena.executions.keys()][0],
      state: 'SUCCEEDED',
      workgroup: 'primary',
      data_scanned_bytes: 123_456_789,
      engine_execution_ms: 2345,
      queue_ms: 120,
      total_execution_ms: 2600,
      reused_previous_result: false,
      output_location: expect.stringMatching(/^s3:\/\/standin-results\/hunt\/[\w-]+\.csv$/),
      client_request_token: expect.stringMatching(/^[0-9a-f]{64}$/),
      result_source: 'pages',
      result_rows: 2,
      result_pages: 1,
      elapsed_ms: expect.any(Number),
    });
  });

  test('an error that is not throttling is not retried', async () => {
    const { e } = engine({ workgroup: 'nope' });
    const err = await failure(e.query(q('select 1')));
    expect(err.message).toBe(
      'Athena StartQueryExecution failed: InvalidRequestException: WorkGroup nope is not found.',
    );
    expect(err.details).toMatchObject({
      operation: 'StartQueryExecution',
      attempts: 1,
      error: { name: 'InvalidRequestException', httpStatus: 400 },
    });
    expect(s.athena.calls('StartQueryExecution')).toHaveLength(1);
  });
});

describe('idempotent starts (ClientRequestToken)', () => {
  const sql = 'select * from cloudtrail_logs where eventtime >= ?';
  const params: BoundParam[] = [{ type: 'number', value: 1763632800 }];
  const key = 'det-1|3|2026-11-20T10:00:00Z|2026-11-20T11:00:00Z';

  test('a restart mid-query reuses the execution: same token, same id, the query ran once', async () => {
    s.athena.script({ match: /./, states: ['QUEUED', 'RUNNING', 'RUNNING', 'RUNNING'], result: small });
    // engine A "dies" after its first poll: its next sleep never ends on its own
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const a = new AthenaEngine(settings(), { timing: { ...fakeTiming(), sleep: () => stuck } });
    engines.push(a);
    const running = a.query({ sql, params, idempotencyKey: key });
    while (s.athena.calls('GetQueryExecution').length < 1) await new Promise((r) => setTimeout(r, 5));

    const { e: b } = engine();
    const result = await b.query({ sql, params, idempotencyKey: key });
    const starts = s.athena.starts();
    expect(starts).toHaveLength(2);
    expect(starts[0]?.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
    expect(starts[1]?.ClientRequestToken).toBe(starts[0]?.ClientRequestToken);
    expect(s.athena.executions.size).toBe(1);
    expect(s.athena.answered).toBe(1);
    expect(result.stats.execution_id).toBe([...s.athena.executions.keys()][0]);
    expect(result.rows).toEqual([
      { user: 'alice', count: 3 },
      { user: 'bob', count: 1 },
    ]);

    release(); // A wakes up and finishes the same execution
    expect((await running).stats.execution_id).toBe(result.stats.execution_id);
  });

  test('the token is deterministic in (key, SQL, literals, context): any change gives another execution', async () => {
    s.athena.script({ match: /./, result: small });
    const { e } = engine();
    const token = async (req: QueryRequest, over: Partial<AthenaSettings> = {}): Promise<string> => {
      const target = Object.keys(over).length ? engine(over).e : e;
      return String((await target.query(req)).stats.client_request_token);
    };
    const base = await token({ sql, params, idempotencyKey: key });
    expect(await token({ sql, params, idempotencyKey: key })).toBe(base);
    const others = [
      await token({ sql, params, idempotencyKey: `${key}x` }),
      await token({ sql: `${sql} `, params, idempotencyKey: key }),
      await token({ sql, params: [{ type: 'number', value: 1763632801 }], idempotencyKey: key }),
      await token({ sql, params, idempotencyKey: key }, { database: 'other' }),
      await token({ sql, params, idempotencyKey: key }, { outputLocation: 's3://standin-results/elsewhere/' }),
    ];
    expect(new Set([base, ...others]).size).toBe(6);
    expect(s.athena.executions.size).toBe(6);
  });

  test('without a key every query gets a fresh random token', async () => {
    s.athena.script({ match: /./, result: small });
    const { e } = engine();
    await e.query({ sql, params });
    await e.query({ sql, params });
    const [t1, t2] = s.athena.starts().map((x) => x.ClientRequestToken);
    expect(t1).not.toBe(t2);
    expect(s.athena.executions.size).toBe(2);
  });

  test('an execution an earlier attempt left FAILED is not the run forever: a new token starts it again', async () => {
    s.athena.script({
      match: /./,
      times: 1,
      fail: {
        reason: 'INTERNAL_ERROR_QUERY_ENGINE',
        athenaError: { ErrorCategory: 1, ErrorType: 401, Retryable: true },
      },
    });
    s.athena.script({ match: /./, result: small });
    // the first attempt fails: this call's own failure is reported as it is
    const { e: first } = engine();
    const err = await failure(first.query({ sql, params, idempotencyKey: key }));
    expect(err.message).toMatch(
      /FAILED: INTERNAL_ERROR_QUERY_ENGINE \[AthenaError category 1 SYSTEM, type 401, retryable\]/,
    );
    // two hours later the scheduler runs the window again: the old token still answers with the
    // failed execution, which is older than this call, so the engine moves on to a new token
    const later = (): number => Date.now() + 2 * 3600_000;
    const { e: retry } = engine({}, { timing: { ...fakeTiming(), wallClock: later } });
    const r = await retry.query({ sql, params, idempotencyKey: key });
    expect(r.stats.token_generation).toBe(1);
    expect(r.rows).toHaveLength(2);
    expect(s.athena.executions.size).toBe(2);
    // and that new token is as deterministic: a third run finds the success, runs nothing
    const { e: third } = engine({}, { timing: { ...fakeTiming(), wallClock: later } });
    const again = await third.query({ sql, params, idempotencyKey: key });
    expect(again.stats.execution_id).toBe(r.stats.execution_id);
    expect(s.athena.executions.size).toBe(2);
    expect(s.athena.answered).toBe(1);
  });
});

describe('throttling', () => {
  test('ThrottlingException and TooManyRequestsException on any call are retried with full jitter, then succeed', async () => {
    s.athena.script({ match: /./, result: small });
    s.athena.throttle('StartQueryExecution', 2, 'ThrottlingException');
    s.athena.throttle('StartQueryExecution', 1, 'TooManyRequestsException', 'CONCURRENT_QUERY_LIMIT_EXCEEDED');
    s.athena.throttle('GetQueryExecution', 1);
    s.athena.throttle('GetQueryResults', 2);
    const { e, timing } = engine(
      {},
      { retry: { maxAttempts: 5, baseMs: 100, capMs: 1000 }, poll: { initialMs: 10, factor: 1, maxMs: 10 } },
    );
    const r = await e.query(q('select 1', { idempotencyKey: 'throttled' }));
    expect(r.rows).toHaveLength(2);
    const starts = s.athena.starts();
    expect(starts).toHaveLength(4);
    // every retry of the start carries the same token: one execution
    expect(new Set(starts.map((x) => x.ClientRequestToken)).size).toBe(1);
    expect(s.athena.executions.size).toBe(1);
    // full jitter with random() = 0.5: half of min(cap, base * 2^n); the 10 ms are the polls
    expect(timing.sleeps).toEqual([50, 100, 200, 50, 10, 10, 50, 100]);
  });

  test('giving up after the bound', async () => {
    s.athena.throttle('StartQueryExecution', 100, 'TooManyRequestsException', 'CONCURRENT_QUERY_LIMIT_EXCEEDED');
    const { e, timing } = engine({}, { retry: { maxAttempts: 3, baseMs: 100, capMs: 150 } });
    const err = await failure(e.query(q('select 1')));
    expect(err.message).toBe(
      'Athena StartQueryExecution still throttled after 3 attempts, giving up: TooManyRequestsException (CONCURRENT_QUERY_LIMIT_EXCEEDED): Rate exceeded',
    );
    expect(err.details).toMatchObject({
      attempts: 3,
      error: { name: 'TooManyRequestsException', reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' },
    });
    expect(s.athena.calls('StartQueryExecution')).toHaveLength(3);
    expect(s.athena.executions.size).toBe(0);
    // the cap holds: min(150, 100 * 2^1) = 150
    expect(timing.sleeps).toEqual([50, 75]);
  });

  test('jitter is random in [0, min(cap, base * 2^n))', async () => {
    s.athena.script({ match: /./, result: small });
    s.athena.throttle('GetQueryExecution', 4);
    const randoms = [0, 0.999, 0.25, 0.75];
    const timing = fakeTiming(() => randoms.shift() ?? 0);
    const e = new AthenaEngine(settings(), {
      timing,
      retry: { maxAttempts: 5, baseMs: 1000, capMs: 3000 },
      poll: { initialMs: 1, factor: 1, maxMs: 1 },
    });
    engines.push(e);
    await e.query(q('select 1'));
    expect(timing.sleeps.slice(0, 4)).toEqual([0, 0.999 * 2000, 0.25 * 3000, 0.75 * 3000]);
  });
});

describe('results', () => {
  const many = (n: number): AthenaTable =>
    table(
      [
        ['i', 'integer'],
        ['label', 'varchar'],
      ],
      Array.from({ length: n }, (_, i) => [String(i + 1), `row ${i + 1}`]),
    );

  test('GetQueryResults pages: more than 1000 rows in several pages; the header row only skipped once', async () => {
    s.athena.script({ match: /./, result: many(2500) });
    const { e } = engine({ s3ResultRows: 100_000 });
    const r = await e.query(q('select 1'));
    expect(r.rows).toHaveLength(2500);
    expect(r.rows[0]).toEqual({ i: 1, label: 'row 1' });
    expect(r.rows[999]).toEqual({ i: 1000, label: 'row 1000' });
    expect(r.rows[2499]).toEqual({ i: 2500, label: 'row 2500' });
    expect(r.rows.map((x) => x.i)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    const pages = s.athena.calls('GetQueryResults').map((c) => c.input as { NextToken?: string; MaxResults: number });
    // header + 999, 1000, 501
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.MaxResults)).toEqual([1000, 1000, 1000]);
    expect(pages[0]?.NextToken).toBeUndefined();
    expect(pages[1]?.NextToken).toBeTruthy();
    expect(pages[2]?.NextToken).not.toBe(pages[1]?.NextToken);
    expect(r.stats).toMatchObject({ result_source: 'pages', result_pages: 3, result_rows: 2500 });
    expect(s.s3.requests).toHaveLength(0);
  });

  test('an empty result: only the header', async () => {
    s.athena.script({ match: /./, result: many(0) });
    const { e } = engine();
    expect((await e.query(q('select 1'))).rows).toEqual([]);
  });

  // Values a CSV writer or reader gets wrong: quotes, commas, newlines, CR, empty vs NULL,
  // unicode (astral too), text that looks like a number or a NULL marker.
  const awkward: (string | null)[] = [
    'plain',
    'say "hi"',
    'a,b',
    'two\nlines',
    'cr\r\nlf',
    '',
    null,
    'ünï 🙂 𝕏',
    '""',
    ',',
    '\n',
    'NULL',
    '007',
    ' padded ',
  ];
  const typed = table(
    [
      ['text', 'varchar'],
      ['n', 'bigint'],
      ['x', 'double'],
      ['ok', 'boolean'],
      ['tags', 'array'],
    ],
    Array.from({ length: 1200 }, (_, i) => [
      awkward[i % awkward.length] ?? null,
      i % 7 === 0 ? null : String(i * 1_000_000_007),
      i % 5 === 0 ? '1.0E7' : `${i}.5`,
      i % 3 === 0 ? 'true' : 'false',
      i % 4 === 0 ? '[]' : `[t${i}, u ${i}]`,
    ]),
  );

  test('a large result comes from the S3 CSV (path-style GET of <id>.csv), typed like the pages', async () => {
    s.athena.script({ match: /./, result: typed });
    s.s3.chunkSize = 7; // split values, quotes and multi-byte characters across reads
    const { e: viaS3 } = engine({ s3ResultRows: 100 });
    const r = await viaS3.query(q('select 1 as big'));
    const id = String(r.stats.execution_id);
    expect(r.stats).toMatchObject({ result_source: 's3', result_rows: 1200, result_pages: 1 });
    expect(s.s3.requests.map((x) => [x.method, x.bucket, x.key])).toEqual([
      ['GET', 'standin-results', `hunt/${id}.csv`],
    ]);
    expect(s.athena.calls('GetQueryResults')).toHaveLength(1);

    // the same result through pages only, for comparison
    const { e: viaPages } = engine({ s3ResultRows: 100_000 });
    const p = await viaPages.query(q('select 1 as big'));
    expect(p.stats.result_source).toBe('pages');
    expect(r.rows).toEqual(p.rows);

    // and both are what the table says
    expect(r.rows.slice(0, 15)).toEqual(
      typed.rows.slice(0, 15).map((_row, i) => ({
        text: awkward[i % awkward.length],
        n: i % 7 === 0 ? null : i * 1_000_000_007,
        x: i % 5 === 0 ? 1e7 : i + 0.5,
        ok: i % 3 === 0,
        tags: i % 4 === 0 ? [] : [`t${i}`, `u ${i}`],
      })),
    );
    expect(r.rows.filter((x) => x.text === '')).toHaveLength(r.rows.filter((x) => x.text === null).length);
    expect(r.rows.some((x) => x.text === '')).toBe(true);
    expect(r.rows.some((x) => x.text === null)).toBe(true);
  });

  test('the CSV is where the execution says it is: a workgroup enforcing its own output location wins', async () => {
    s.athena.workgroups.set('enforced', { outputLocation: 's3://wg-results/enforced', enforce: true });
    s.athena.script({ match: /./, result: many(1500) });
    const { e } = engine({ workgroup: 'enforced', s3ResultRows: 10, outputLocation: 's3://standin-results/ignored/' });
    const r = await e.query(q('select 1'));
    expect(r.stats.output_location).toBe(`s3://wg-results/enforced/${r.stats.execution_id}.csv`);
    expect(s.s3.requests.map((x) => `${x.bucket}/${x.key}`)).toEqual([
      `wg-results/enforced/${r.stats.execution_id}.csv`,
    ]);
    expect(r.rows).toHaveLength(1500);
  });

  test('no s3:GetObject on the results: the pages still give the result, and stats say why', async () => {
    s.athena.script({ match: /./, result: many(1500) });
    s.athena.onRequest = (op, input) => {
      if (op === 'GetQueryResults')
        s.s3.deny(`s3://standin-results/hunt/${(input as { QueryExecutionId: string }).QueryExecutionId}.csv`);
    };
    const { e } = engine({ s3ResultRows: 10 });
    const r = await e.query(q('select 1'));
    expect(r.stats.result_source).toBe('pages');
    expect(r.stats.s3_error).toMatch(/S3 GetObject failed: AccessDenied/);
    expect(r.rows).toHaveLength(1500);
    expect(s.athena.calls('GetQueryResults')).toHaveLength(2);
  });

  test('a corrupt result CSV is an error, not a silent partial result', async () => {
    s.athena.script({ match: /./, result: many(1500) });
    s.athena.onRequest = (op, input) => {
      if (op !== 'GetQueryResults') return;
      const id = (input as { QueryExecutionId: string }).QueryExecutionId;
      s.s3.put(`s3://standin-results/hunt/${id}.csv`, `${athenaCsv(many(3)).trimEnd()}\n"4","unterminated\n`);
    };
    const { e } = engine({ s3ResultRows: 10 });
    const err = await failure(e.query(q('select 1')));
    expect(err.message).toMatch(/\.csv: result CSV line 5: the file ends inside the quoted value that starts there$/);
  });
});

describe('standard AWS configuration', () => {
  test('AWS_ENDPOINT_URL_ATHENA routes the SDK; credentials and region come from the default chain', async () => {
    s.athena.script({ match: /./, result: small });
    const { e } = engine();
    await e.query(q('select 1'));
    const [start] = s.athena.calls('StartQueryExecution');
    expect(start?.headers['x-amz-target']).toBe('AmazonAthena.StartQueryExecution');
    expect(start?.headers['content-type']).toBe('application/x-amz-json-1.1');
    // SigV4 with the environment's access key, the SDK's region (AWS_REGION) and service
    expect(start?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDSTANDIN\/\d{8}\/us-east-1\/athena\/aws4_request,/,
    );
  });

  test('settings.region overrides the environment region', async () => {
    s.athena.script({ match: /./, result: small });
    const { e } = engine({ region: 'eu-west-3' });
    await e.query(q('select 1'));
    expect(s.athena.calls('StartQueryExecution')[0]?.headers.authorization).toMatch(
      /\/eu-west-3\/athena\/aws4_request,/,
    );
  });

  test('AWS_ENDPOINT_URL (all services) works too', async () => {
    s.athena.script({ match: /./, result: small });
    const specific = process.env.AWS_ENDPOINT_URL_ATHENA;
    delete process.env.AWS_ENDPOINT_URL_ATHENA;
    process.env.AWS_ENDPOINT_URL = s.athena.url;
    try {
      const { e } = engine();
      expect((await e.query(q('select 1'))).rows).toHaveLength(2);
      expect(s.athena.calls('StartQueryExecution')).toHaveLength(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL_ATHENA = specific;
    }
  });

  test('a profile (AWS_PROFILE) gives credentials, region and endpoint, as the SDK reads it', async () => {
    s.athena.script({ match: /./, result: small });
    const dir = mkdtempSync(join(tmpdir(), 'hunt-aws-profile-'));
    writeFileSync(join(dir, 'config'), `[profile standin]\nregion = ap-south-1\nendpoint_url = ${s.athena.url}\n`);
    writeFileSync(
      join(dir, 'credentials'),
      '[standin]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n',
    );
    const saved = { ...process.env };
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL_ATHENA'])
      delete process.env[k];
    Object.assign(process.env, {
      AWS_PROFILE: 'standin',
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });
    try {
      const { e } = engine();
      expect((await e.query(q('select 1'))).rows).toHaveLength(2);
      expect(s.athena.calls('StartQueryExecution')[0]?.headers.authorization).toMatch(
        /Credential=AKIDPROFILE\/\d{8}\/ap-south-1\/athena\//,
      );
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('S3 path-style: on for a custom endpoint from the environment, off for AWS, or as configured', () => {
    expect(s3PathStyle({}, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' })).toBe(true);
    expect(s3PathStyle({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' })).toBe(true);
    expect(s3PathStyle({}, {})).toBe(false);
    expect(s3PathStyle({}, { AWS_ENDPOINT_URL_S3: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBe(
      false,
    );
    expect(s3PathStyle({ s3ForcePathStyle: false }, { AWS_ENDPOINT_URL_S3: 'http://x' })).toBe(false);
    expect(s3PathStyle({ s3ForcePathStyle: true }, {})).toBe(true);
  });
});
