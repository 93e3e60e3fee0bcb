/**
 * Translator fixes found while writing the per-detection tests of test/corpus/cloudtrail
 * (second set), each with a focused test: real events, real importer, real DuckDB. (That every
 * corpus detection's Athena SQL parses as Trino is test/translate/corpus.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { translateSearch } from '../../src/translate/translate.js';
import { consoleLogin, signinUser } from '../support/events-ct2.js';
import { macrosWith, makeLake, runSearch, type TestLake } from '../support/hunt.js';

describe('dc(_raw) counts distinct events (ESCU brute-force detections count failed logins so)', () => {
  const alice = signinUser('alice');
  const first = consoleLogin({ time: '2026-11-18T10:00:01Z', who: alice, ok: false, mfa: 'No' });
  const events = [
    first,
    // the same record delivered twice: one _raw text, one event for dc(_raw)
    { ...first },
    // same second, same user, same IP, same agent: a different event all the same
    consoleLogin({ time: '2026-11-18T10:00:01Z', who: alice, ok: false, mfa: 'No' }),
    consoleLogin({ time: '2026-11-18T10:00:05Z', who: alice, ok: false, mfa: 'No' }),
    consoleLogin({ time: '2026-11-18T10:00:07Z', who: signinUser('bob'), ok: false, mfa: 'No' }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('per group, and no warning', async () => {
    const { rows, translation } = await runSearch(
      lake,
      '`cloudtrail` eventName=ConsoleLogin | stats dc(_raw) as n count(_raw) as c by user_name',
    );
    // every event has a _raw, so count(_raw) is count (the lake keeps a re-delivered record once)
    expect(rows).toEqual([
      { user_name: 'alice', n: 3, c: 3 },
      { user_name: 'bob', n: 1, c: 1 },
    ]);
    expect(translation.warnings).toEqual([]);
  });

  test('after bucket and rename, as the detections use it', async () => {
    const { rows } = await runSearch(
      lake,
      '`cloudtrail` eventName=ConsoleLogin | bucket span=10m _time | rename user_name as user | stats dc(_raw) as failed by _time',
    );
    expect(rows).toEqual([{ _time: Date.parse('2026-11-18T10:00:00Z') / 1000, failed: 4 }]);
  });

  test('after stats _raw is gone: refused, naming it (never a silent 0)', () => {
    expect(() =>
      translateSearch('`cloudtrail` eventName=ConsoleLogin | stats count by user_name | stats dc(_raw) as n', {
        dialect: 'duckdb',
        macros: macrosWith(),
        zone: 'UTC',
      }),
    ).toThrow(/^dc\(_raw\): the raw events are gone at this point/);
  });

  test('other functions of _raw read its text, and are refused once the events are gone', () => {
    expect(() =>
      translateSearch('`cloudtrail` eventName=ConsoleLogin | stats count by user_name | stats values(_raw) as raw', {
        dialect: 'duckdb',
        macros: macrosWith(),
        zone: 'UTC',
      }),
    ).toThrow(/^values\(_raw\) is not supported: hunt has no raw event text here, only dc\(_raw\) and count\(_raw\)/);
  });

  test('the Athena rendering counts distinct event ids', () => {
    const t = translateSearch(
      '`cloudtrail` eventName=ConsoleLogin | bucket span=10m _time | stats dc(_raw) as failed by _time',
      {
        dialect: 'athena',
        macros: macrosWith(),
        zone: 'UTC',
      },
    );
    expect(t.sql).toContain('"t"."eventid" as "raw_id"');
    expect(t.sql).toContain('count(DISTINCT "s1"."raw_id")');
  });
});
