/**
 * Translator fixes found while writing the per-detection tests of test/corpus/cloudtrail
 * (second set), each with a focused test: real events, real importer, real DuckDB. And, in one
 * place (one parser, warmed once: per file it costs seconds each), the check that the Athena SQL
 * of each of those detections parses as Trino SQL.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { translateDetection, translateSearch } from '../../src/translate/translate.js';
import { corpusDetection } from '../support/corpus.js';
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
    const { rows, translation } = await runSearch(lake, '`cloudtrail` eventName=ConsoleLogin | stats dc(_raw) as n count(_raw) as c by user_name');
    // every event has a _raw, so count(_raw) is count (the lake keeps a re-delivered record once)
    expect(rows).toEqual([
      { user_name: 'alice', n: 3, c: 3 },
      { user_name: 'bob', n: 1, c: 1 },
    ]);
    expect(translation.warnings).toEqual([]);
  });

  test('after bucket and rename, as the detections use it', async () => {
    const { rows } = await runSearch(lake, '`cloudtrail` eventName=ConsoleLogin | bucket span=10m _time | rename user_name as user | stats dc(_raw) as failed by _time');
    expect(rows).toEqual([{ _time: Date.parse('2026-11-18T10:00:00Z') / 1000, failed: 4 }]);
  });

  test('after stats _raw is gone: a warning names it and the count is 0', async () => {
    const { rows, translation } = await runSearch(lake, '`cloudtrail` eventName=ConsoleLogin | stats count by user_name | stats dc(_raw) as n');
    expect(rows).toEqual([{ n: 0 }]);
    expect(translation.warnings.map((w) => w.message)).toEqual(['dc(_raw): no source field or earlier command defines _raw']);
  });

  test('other uses of _raw stay unknown (hunt keeps no event text)', async () => {
    const { translation } = await runSearch(lake, '`cloudtrail` eventName=ConsoleLogin | stats values(_raw) as raw');
    expect(translation.warnings.map((w) => w.message)).toEqual(['values(_raw): no source field or earlier command defines _raw']);
  });

  test('the Athena rendering parses as Trino SQL', () => {
    const t = translateSearch('`cloudtrail` eventName=ConsoleLogin | bucket span=10m _time | stats dc(_raw) as failed by _time', {
      dialect: 'athena',
      macros: macrosWith(),
      zone: 'UTC',
    });
    expect(new TrinoSQL().validate(t.sql)).toEqual([]);
    expect(t.sql).toContain('"t"."eventid" as "raw_identity"');
    expect(t.sql).toContain('count(DISTINCT "s1"."raw_identity")');
  });
});

describe('the Athena SQL of the second CloudTrail corpus set parses as Trino SQL', () => {
  const files = [
    'aws_excessive_security_scanning.yml',
    'aws_exfiltration_via_batch_service.yml',
    'aws_exfiltration_via_datasync_task.yml',
    'aws_high_number_of_failed_authentications_for_user.yml',
    'aws_high_number_of_failed_authentications_from_ip.yml',
    'aws_iam_accessdenied_discovery_events.yml',
    'aws_iam_failure_group_deletion.yml',
    'aws_iam_successful_group_deletion.yml',
    'aws_lambda_updatefunctioncode.yml',
    'aws_multiple_failed_mfa_requests_for_user.yml',
    'aws_network_access_control_list_deleted.yml',
    'aws_new_mfa_method_registered_for_user.yml',
    'aws_setdefaultpolicyversion.yml',
    'aws_successful_single_factor_authentication.yml',
    'detect_new_open_s3_buckets_over_aws_cli.yml',
  ];
  const trino = new TrinoSQL();
  test.each(files)('%s', (file) => {
    const t = translateDetection(corpusDetection('cloudtrail', file), { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(trino.validate(t.sql)).toEqual([]);
    // window bounds travel as parameters
    expect(t.slots.filter((x) => x.kind === 'window').length).toBeGreaterThanOrEqual(4);
  });
});
