/**
 * `engine:`, `athena:` and `sources:` in configuration: what a file gives, how it layers on
 * the shipped defaults, and how bad or hostile values are refused: the file and the field
 * named, never a value quoted or escaped into SQL text.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ATHENA_DEFAULTS } from '../../src/engines/athena/settings.js';
import { ATHENA_DEFAULT } from '../../src/sources/bindings.js';
import { configFiles } from '../support/config-files.js';

const { load, refusal } = configFiles('config');

describe('defaults', () => {
  test('duckdb, the AthenaSettings defaults, and the Athena target the compiler uses without configuration', () => {
    const c = loadConfig(undefined, {});
    expect(c.engine).toBe('duckdb');
    expect(c.athena).toEqual(ATHENA_DEFAULTS);
    // config/hunt.yaml ships exactly what ATHENA_DEFAULT is, so compiling with or without it agrees
    expect(c.athenaStorage).toEqual(ATHENA_DEFAULT);
    expect(c.athenaStorage['aws:asl']?.tables.map((t) => t.name)).toEqual([
      ['amazon_security_lake_glue_db_us_east_1', 'amazon_security_lake_table_us_east_1_cloud_trail_mgmt_2_0'],
    ]);
    expect(c.athenaStorage['aws:cloudtrail']?.tables.map((t) => t.name)).toEqual([['default', 'cloudtrail_logs']]);
  });
});

describe('engine and athena settings', () => {
  test('every athena key, in the file`s units; keys left out keep their defaults', () => {
    const c = load(`engine: athena
athena:
  region: eu-west-1
  workgroup: hunt-wg
  output_location: s3://my-results/hunt/
  result_reuse_minutes: 60
  query_timeout: 90s
  s3_result_rows: 20000
`);
    expect(c.engine).toBe('athena');
    expect(c.athena).toEqual({
      region: 'eu-west-1',
      workgroup: 'hunt-wg',
      catalog: 'AwsDataCatalog',
      outputLocation: 's3://my-results/hunt/',
      resultReuseMinutes: 60,
      queryTimeoutMs: 90_000,
      s3ResultRows: 20000,
    });
    expect(load('athena:\n  query_timeout: 2h\n').athena.queryTimeoutMs).toBe(7_200_000);
    expect(load('athena:\n  query_timeout: 30m\n').athena.queryTimeoutMs).toBe(1_800_000);
  });

  test('bad values name the field', () => {
    expect(refusal('engine: spark\n')).toBe('field `engine`: must be duckdb or athena');
    expect(refusal('athena:\n  region: mars-1\n')).toMatch(/^field `athena\.region`: is not an AWS region name/);
    expect(refusal('athena:\n  query_timeout: soon\n')).toMatch(/^field `athena\.query_timeout`: is not a duration/);
    expect(refusal('athena:\n  query_timeout: 0s\n')).toMatch(/^field `athena\.query_timeout`: must be more than 0/);
    expect(refusal('athena:\n  output_location: https://example.com/\n')).toMatch(
      /^field `athena\.output_location`: is not an S3 location/,
    );
    expect(refusal("athena:\n  workgroup: 'a;b'\n")).toMatch(
      /^field `athena\.workgroup`: is not an Athena workgroup name/,
    );
    expect(refusal('athena:\n  result_reuse_minutes: 20000\n')).toMatch(/^field `athena\.result_reuse_minutes`/);
    expect(refusal('athena:\n  bogus: 1\n')).toMatch(/^field `athena`: Unrecognized key\(s\) in object: 'bogus'/);
  });
});

describe('sources', () => {
  test('Security Lake: a table per region, named as Security Lake names them; regions sharing a table are one branch', () => {
    const c = load(`sources:
  security_lake:
    version: 1
    regions: [us-east-1, eu-west-1, ap-southeast-2]
    accounts: ['111122223333']
    tables:
      ap-southeast-2: { database: amazon_security_lake_glue_db_us_east_1, table: amazon_security_lake_table_us_east_1_cloud_trail_mgmt_1_0 }
`);
    const asl = c.athenaStorage['aws:asl'];
    expect(asl?.source?.description).toMatch(/version 1/);
    expect(asl?.tables).toEqual([
      {
        name: ['amazon_security_lake_glue_db_us_east_1', 'amazon_security_lake_table_us_east_1_cloud_trail_mgmt_1_0'],
        partitions: [
          { kind: 'day-range', columns: ['eventday'], format: 'yyyyMMdd' },
          // the rollup table holds ap-southeast-2's events too: one branch keeps both regions
          { kind: 'values', column: 'region', of: 'region', values: ['us-east-1', 'ap-southeast-2'] },
          { kind: 'values', column: 'accountid', of: 'account', values: ['111122223333'] },
        ],
      },
      {
        name: ['amazon_security_lake_glue_db_eu_west_1', 'amazon_security_lake_table_eu_west_1_cloud_trail_mgmt_1_0'],
        partitions: [
          { kind: 'day-range', columns: ['eventday'], format: 'yyyyMMdd' },
          { kind: 'values', column: 'region', of: 'region', values: ['eu-west-1'] },
          { kind: 'values', column: 'accountid', of: 'account', values: ['111122223333'] },
        ],
      },
    ]);
    // a source left out of the file keeps the shipped one
    expect(c.athenaStorage['aws:cloudtrail']).toEqual(ATHENA_DEFAULT['aws:cloudtrail']);
  });

  test('CloudTrail: several tables, region/year/month/day partitions, regions to prune on', () => {
    const c = load(`sources:
  cloudtrail:
    database: logs
    tables: [trail_a, other_db.trail_b]
    partitioning: region-year-month-day
    regions: [us-east-1]
`);
    const rules = [
      { kind: 'day-range', columns: ['year', 'month', 'day'], format: 'yyyyMMdd' },
      { kind: 'values', column: 'region', of: 'region', values: ['us-east-1'] },
    ];
    expect(c.athenaStorage['aws:cloudtrail']?.tables).toEqual([
      { name: ['logs', 'trail_a'], partitions: rules },
      { name: ['other_db', 'trail_b'], partitions: rules },
    ]);
    expect(load('sources:\n  cloudtrail:\n    table: trail\n').athenaStorage['aws:cloudtrail']?.tables).toEqual([
      { name: ['default', 'trail'], partitions: [{ kind: 'day-range', columns: ['timestamp'], format: 'yyyy/MM/dd' }] },
    ]);
  });

  test('bad sources name the field', () => {
    expect(refusal('sources:\n  security_lake:\n    version: 3\n    regions: [us-east-1]\n')).toBe(
      'field `sources.security_lake.version`: must be 1 or 2 (the Security Lake source version)',
    );
    expect(refusal('sources:\n  security_lake:\n    regions: [us-east-1, useast1]\n')).toMatch(
      /^field `sources\.security_lake\.regions\[1\]`: is not an AWS region name/,
    );
    expect(refusal('sources:\n  security_lake:\n    regions: []\n')).toMatch(
      /^field `sources\.security_lake\.regions`: list at least one region/,
    );
    expect(refusal('sources:\n  security_lake:\n    version: 2\n')).toBe(
      'field `sources.security_lake.regions`: is required',
    );
    expect(
      refusal('sources:\n  security_lake:\n    regions: [us-east-1]\n    tables:\n      eu-west-1: { table: x }\n'),
    ).toBe('field `sources.security_lake.tables.eu-west-1`: names a region that is not in `regions`');
    expect(refusal('sources:\n  cloudtrail:\n    database: Default\n')).toMatch(
      /^field `sources\.cloudtrail\.database`: is not a Glue name/,
    );
    expect(refusal('sources:\n  cloudtrail:\n    table: a\n    tables: [b]\n')).toBe(
      'field `sources.cloudtrail.tables`: give `table` or `tables`, not both',
    );
    expect(refusal('sources:\n  cloudtrail:\n    regions: [us-east-1]\n')).toMatch(
      /^field `sources\.cloudtrail\.regions`: the projection layout has no region partition/,
    );
    expect(
      refusal("sources:\n  cloudtrail:\n    partitioning: region-year-month-day\n    accounts: ['111122223333']\n"),
    ).toMatch(/^field `sources\.cloudtrail\.accounts`: neither CloudTrail layout .* has an account partition/);
    expect(refusal('sources:\n  cloudtrail:\n    partitioning: hive\n')).toBe(
      'field `sources.cloudtrail.partitioning`: must be projection or region-year-month-day',
    );
    expect(refusal('sources:\n  vpc_flow: {}\n')).toMatch(
      /^field `sources`: Unrecognized key\(s\) in object: 'vpc_flow'/,
    );
  });
});

describe('hostile values: refused naming the field, whatever they hold', () => {
  const hostile: [string, string][] = [
    ['a quote', "us-east-1' OR '1'='1"],
    ['a comment', 'us-east-1--'],
    ['a statement end', 'us-east-1;DROP TABLE x'],
    ['a block comment end', 'us-east-1*/'],
    ['a newline', 'us-east-1\nus-west-2'],
    ['unicode', 'us-éast-1'],
    ['a double quote', 'us-east-1"'],
    ['1025 characters', `us-east-${'1'.repeat(1017)}`],
  ];

  test.each(hostile)('%s in a region, an account, a database and a table name', (_, value) => {
    expect(value.length === 1025 || value.length < 100).toBe(true);
    const v = JSON.stringify(value);
    expect(refusal(`sources:\n  security_lake:\n    regions: [${v}]\n`)).toMatch(
      /^field `sources\.security_lake\.regions\[0\]`: is not an AWS region name/,
    );
    expect(refusal(`sources:\n  security_lake:\n    regions: [us-east-1]\n    accounts: [${v}]\n`)).toMatch(
      /^field `sources\.security_lake\.accounts\[0\]`: is not a 12-digit AWS account id/,
    );
    expect(
      refusal(
        `sources:\n  security_lake:\n    regions: [us-east-1]\n    tables:\n      us-east-1: { database: ${v} }\n`,
      ),
    ).toMatch(/^field `sources\.security_lake\.tables\.us-east-1\.database`: is not a Glue name/);
    expect(refusal(`sources:\n  cloudtrail:\n    table: ${v}\n`)).toMatch(
      /^field `sources\.cloudtrail\.table`: is not a Glue table name/,
    );
    expect(refusal(`sources:\n  cloudtrail:\n    partitioning: region-year-month-day\n    regions: [${v}]\n`)).toMatch(
      /^field `sources\.cloudtrail\.regions\[0\]`: is not an AWS region name/,
    );
  });

  test('an allow-list value too long for an Athena parameter (1025 characters) is refused naming the macro', () => {
    const long = 'a'.repeat(1025);
    expect(refusal(`macros:\n  aws_ecr_users: 'userName IN (alice, "${long}")'\n`)).toMatch(
      /^field `macros\.aws_ecr_users`: a value of 1025 characters \(at column 21\) is 1027 characters as an Athena parameter; Athena takes at most 1024$/,
    );
    // the longest that fits: 1022 characters and its two quotes
    expect(load(`macros:\n  aws_ecr_users: 'userName IN (alice, "${'a'.repeat(1022)}")'\n`).macros).toHaveLength(1);
    // doubled quotes count: 1022 characters, one a quote (written '' in YAML), are 1025 as a literal
    expect(refusal(`macros:\n  aws_ecr_users: 'userName IN ("${'a'.repeat(1021)}''")'\n`)).toMatch(
      /a value of 1022 characters .* is 1025 characters as an Athena parameter/,
    );
  });
});
