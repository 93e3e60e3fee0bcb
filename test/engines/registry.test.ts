/**
 * The engine registry: the names `--engine` and `engine:` take, each engine's configuration
 * section composed into the configuration file's, dry-run parameters and failure
 * classification per engine.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DUCKDB_DEFAULTS } from '../../src/engines/duckdb/config.js';
import { EngineError } from '../../src/engines/engine.js';
import {
  classifyEngineFailure,
  defaultEngineSettings,
  ENGINE_NAMES,
  engineSpec,
  parameterLimits,
} from '../../src/engines/registry.js';
import { configFiles } from '../support/config-files.js';

const { load, refusal } = configFiles('engines-registry');

describe('registry', () => {
  test('lists duckdb (the default) and athena, each with its dialect', () => {
    expect(ENGINE_NAMES).toEqual(['duckdb', 'athena']);
    expect(ENGINE_NAMES.map((n) => engineSpec(n).dialect)).toEqual(['duckdb', 'athena']);
    expect(ENGINE_NAMES.map((n) => engineSpec(n).readsLake)).toEqual([true, false]);
    expect(parameterLimits()).toEqual([{ engine: 'Athena', maxLength: 1024, worstLength: expect.any(Function) }]);
    // quotes doubled, and \\ % _ escaped should the value be a LIKE pattern
    expect(parameterLimits()[0]?.worstLength("a'b%")).toBe(8);
  });

  test('dry runs show the parameters as each engine receives them', () => {
    const bound = [
      { type: 'string' as const, value: "it's" },
      { type: 'number' as const, value: 1.5 },
      { type: 'timestamp' as const, value: '2026-11-18 10:00:00.000' },
    ];
    expect(engineSpec('duckdb').dryRun.params(bound)).toEqual(["it's", 1.5, '2026-11-18 10:00:00.000']);
    expect(engineSpec('athena').dryRun.params(bound)).toEqual([
      "'it''s'",
      '1.5E0',
      "TIMESTAMP '2026-11-18 10:00:00.000'",
    ]);
  });
});

describe('configuration sections from the registry', () => {
  test('duckdb: defaults to a 30m query timeout; query_timeout sets it', () => {
    expect(loadConfig(undefined, {}).duckdb).toEqual(DUCKDB_DEFAULTS);
    expect(defaultEngineSettings().duckdb).toEqual({ queryTimeoutMs: 1_800_000 });
    expect(load('duckdb:\n  query_timeout: 90s\n').duckdb.queryTimeoutMs).toBe(90_000);
    // one engine's section leaves the other's settings alone
    expect(load('duckdb:\n  query_timeout: 90s\n').athena.queryTimeoutMs).toBe(1_800_000);
  });

  test.each([
    ['duckdb:\n  query_timeout: soon\n', /^field `duckdb\.query_timeout`: is not a duration/],
    ['duckdb:\n  query_timeout: 0s\n', /^field `duckdb\.query_timeout`: must be more than 0/],
    ['duckdb:\n  threads: 4\n', /^field `duckdb`: Unrecognized key\(s\) in object: 'threads'/],
    ['engine: spark\n', /^field `engine`: must be duckdb or athena/],
  ])('%j is refused naming its field', (yaml, message) => {
    expect(refusal(yaml)).toMatch(message);
  });
});

describe('failure classification by engine', () => {
  const athenaFailed = new EngineError('Athena query q FAILED', {
    athenaError: { errorCategory: 1, errorType: 401, retryable: true },
  });
  const throttled = new EngineError(
    'Athena StartQueryExecution still throttled after 3 attempts, giving up: TooManyRequestsException',
  );
  test.each([
    ['athena', athenaFailed, 'transient'],
    ['athena', throttled, 'transient'],
    ['athena', new EngineError('Athena query q FAILED: TABLE_NOT_FOUND'), 'permanent'],
    ['duckdb', new EngineError('DuckDB: Catalog Error: Table with name x does not exist!'), 'permanent'],
    ['duckdb', new EngineError('DuckDB: query was aborted (shutdown)', { reason: 'aborted' }), 'aborted'],
    ['duckdb', new EngineError('DuckDB: query did not finish', { reason: 'timeout' }), 'transient'],
    // shared rules hold for every engine, and for one the registry does not know (a test's stand-in)
    ['duckdb', new EngineError('x', { error: { name: 'ThrottlingException' } }), 'transient'],
    ['probe', new EngineError('x', { error: { httpStatus: 503 } }), 'transient'],
    ['probe', Object.assign(new Error('socket'), { code: 'ECONNRESET' }), 'transient'],
    ['probe', new Error('anything else'), 'permanent'],
  ] as const)('%s: %s → %s', (engine, err, kind) => {
    expect(classifyEngineFailure(engine, err)).toBe(kind);
  });
});
