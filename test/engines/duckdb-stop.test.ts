/**
 * The DuckDB engine stops a query when its signal fires and when it runs past the query
 * timeout, whether DuckDB is executing it (interrupt) or still planning it (a query of tens of
 * thousands of ORs ignores an interrupt there), and runs the next query afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { EngineError } from '../../src/engines/engine.js';
import { classifyEngineFailure } from '../../src/engines/registry.js';
import { makeLake, type TestLake } from '../support/hunt.js';

// seconds of work for DuckDB whatever the machine: a sum over 10^11 rows, executing
const EXECUTING = 'SELECT sum(hash(i)) AS s FROM range(100000000000) t(i)';
// ~10 s in DuckDB's planner (an OR it folds term by term), where it does not look at interrupts
const PLANNING = `SELECT count(*) AS n FROM (SELECT 'a' AS x) WHERE ${Array.from({ length: 12000 }, (_, i) => `x = 'v${i}'`).join(' OR ')}`;

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({});
});
afterAll(async () => {
  await lake?.close();
});

/** The engine's error for `run`, and how long it took to come. */
async function failure(run: () => Promise<unknown>): Promise<{ err: EngineError; ms: number }> {
  const t = performance.now();
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    return { err: err as EngineError, ms: performance.now() - t };
  }
  throw new Error('the query was not stopped');
}

describe('DuckDB query timeout (duckdb.query_timeout)', () => {
  test.each([
    ['executing', EXECUTING],
    ['still planning', PLANNING],
  ])('a query %s past the timeout fails naming the timeout, and the engine runs the next query', async (_, sql) => {
    const engine = await DuckdbEngine.open(lake.dir, { queryTimeoutMs: 500 });
    try {
      const { err, ms } = await failure(() => engine.query({ sql, params: [] }));
      expect(err.message).toBe(
        'DuckDB: query did not finish within the query timeout of 500ms (query_timeout under duckdb: in the configuration); interrupted it',
      );
      expect(err.details).toMatchObject({ reason: 'timeout', timeoutMs: 500 });
      expect(classifyEngineFailure('duckdb', err)).toBe('transient');
      expect(ms).toBeLessThan(10_000);
      const next = await engine.query({ sql: 'SELECT 42 AS answer', params: [] });
      expect(next.rows).toEqual([{ answer: 42 }]);
    } finally {
      await engine.close();
    }
  });

  test('a query within the timeout is not touched', async () => {
    const engine = await DuckdbEngine.open(lake.dir, { queryTimeoutMs: 60_000 });
    try {
      const r = await engine.query({ sql: 'SELECT count(*) AS n FROM range(1000) t(i)', params: [] });
      expect(r.rows).toEqual([{ n: '1000' }]);
    } finally {
      await engine.close();
    }
  });
});

describe('DuckDB query signal', () => {
  test.each([
    ['executing', EXECUTING],
    ['still planning', PLANNING],
  ])('a query %s stops when its signal fires, as aborted', async (_, sql) => {
    const engine = await DuckdbEngine.open(lake.dir);
    try {
      const stop = new AbortController();
      setTimeout(() => stop.abort(new Error('interrupted (SIGINT)')), 300);
      const { err, ms } = await failure(() => engine.query({ sql, params: [], signal: stop.signal }));
      expect(err.message).toBe('DuckDB: query was aborted (interrupted (SIGINT)); interrupted it');
      expect(classifyEngineFailure('duckdb', err)).toBe('aborted');
      expect(ms).toBeLessThan(10_000);
      expect((await engine.query({ sql: 'SELECT 1 AS one', params: [] })).rows).toEqual([{ one: 1 }]);
    } finally {
      await engine.close();
    }
  });

  test('a query queued behind a stopped one still runs', async () => {
    const engine = await DuckdbEngine.open(lake.dir);
    try {
      const stop = new AbortController();
      const first = engine.query({ sql: PLANNING, params: [], signal: stop.signal });
      const second = engine.query({ sql: 'SELECT 2 AS two', params: [] });
      setTimeout(() => stop.abort(new Error('shutdown')), 300);
      await expect(first).rejects.toThrow('DuckDB: query was aborted (shutdown); interrupted it');
      expect((await second).rows).toEqual([{ two: 2 }]);
    } finally {
      await engine.close();
    }
  });
});
