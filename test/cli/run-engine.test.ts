/**
 * `hunt run --engine athena|duckdb [--dry-run]` as a user runs it: the real CLI process. A dry
 * run needs no lake, no database and no AWS: it prints what would be sent and read.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { loadCatalog } from '../../src/detections/catalog.js';
import { prepareRule } from '../../src/runner/prepare.js';
import { startStandins, type Standins } from '../engines/athena-helpers.js';
import { TranslationAnswerer } from '../support/athena-answerer.js';
import { ct, iamUser, ocsf, scanFindingsResponse, scanRequest } from '../support/events.js';
import { makeLake, type TestLake } from '../support/hunt.js';
import { hunt } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-engine-'));
const home = join(dir, 'home');
// no lake under HUNT_HOME and no DATABASE_URL: a dry run must need neither
const env = { HUNT_HOME: home, DATABASE_URL: '' };
const trino = new TrinoSQL();

const config = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

const multi = config(
  'multi.yaml',
  "sources:\n  security_lake:\n    regions: [us-east-1, eu-west-1]\n    accounts: ['111122223333']\n",
);
const hour = ['--earliest', '2026-11-18T10:00:00Z', '--latest', '2026-11-18T11:00:00Z'];

interface DryRunDoc {
  detection: { id: string; name: string; version: number };
  window: { earliest: string; latest: string };
  engine: string;
  sql: { dialect: string; text: string; params: (string | number)[] };
  partitions: {
    sourcetype: string;
    table: string;
    columns: string[];
    days: string[];
    regions: string[] | null;
    accounts: string[] | null;
  }[];
  warnings: string[];
}

describe('hunt run --dry-run', () => {
  test('--json: the SQL, the ExecutionParameters as Athena receives them, the partitions each table reads', async () => {
    const r = await hunt(
      [
        'run',
        'ASL AWS ECR Container Upload Unknown User',
        '--engine',
        'athena',
        '--dry-run',
        '--json',
        '--config',
        multi,
        ...hour,
      ],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as DryRunDoc;
    expect(Object.keys(doc)).toEqual(['detection', 'window', 'engine', 'sql', 'partitions', 'warnings']);
    expect(doc.detection).toEqual({
      id: '886a8f46-d7e2-4439-b9ba-aec238e31732',
      name: 'ASL AWS ECR Container Upload Unknown User',
      version: 7,
    });
    expect(doc.window).toEqual({ earliest: '2026-11-18T10:00:00Z', latest: '2026-11-18T11:00:00Z' });
    expect(doc.engine).toBe('athena');
    expect(doc.sql.dialect).toBe('athena');
    expect(trino.validate(doc.sql.text)).toEqual([]);
    // one literal per ?, in order: each branch's partition predicates, then the event-time window
    const branch = (region: string) => [
      "TIMESTAMP '2026-11-18 10:00:00.000'",
      "TIMESTAMP '2026-11-18 11:00:00.000'",
      `'${region}'`,
      "'111122223333'",
    ];
    expect(doc.sql.params).toEqual([
      ...branch('us-east-1'),
      ...branch('eu-west-1'),
      String(Date.parse('2026-11-18T10:00:00Z')),
      String(Date.parse('2026-11-18T11:00:00Z')),
    ]);
    expect(doc.sql.text.match(/\?/g)).toHaveLength(doc.sql.params.length);
    expect(doc.sql.text).not.toMatch(/us-east-1|eu-west-1|111122223333/);
    expect(doc.partitions).toEqual([
      {
        sourcetype: 'aws:asl',
        table: 'amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_cloud_trail_mgmt_2_0',
        columns: ['time_dt', 'region', 'accountid'],
        days: ['2026-11-18'],
        regions: ['us-east-1'],
        accounts: ['111122223333'],
      },
      {
        sourcetype: 'aws:asl',
        table: 'amazon_security_lake_glue_db_eu_west_1.amazon_security_lake_table_eu_west_1_cloud_trail_mgmt_2_0',
        columns: ['time_dt', 'region', 'accountid'],
        days: ['2026-11-18'],
        regions: ['eu-west-1'],
        accounts: ['111122223333'],
      },
    ]);
    // nothing was run or stored: no embedded Postgres, no lake appeared under HUNT_HOME
    expect(existsSync(home)).toBe(false);
  });

  test('a window across midnight reads two days; the CloudTrail projection partitions as strings', async () => {
    const r = await hunt(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--engine',
        'athena',
        '--dry-run',
        '--json',
        '--earliest',
        '2026-11-18T23:30:00Z',
        '--latest',
        '2026-11-19T00:30:00Z',
      ],
      env,
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as DryRunDoc;
    expect(doc.partitions).toEqual([
      {
        sourcetype: 'aws:cloudtrail',
        table: 'default.cloudtrail_logs',
        columns: ['timestamp'],
        days: ['2026-11-18', '2026-11-19'],
        regions: null,
        accounts: null,
      },
    ]);
    expect(doc.sql.params.slice(0, 2)).toEqual(["'2026/11/18'", "'2026/11/19'"]);
    expect(doc.sql.params.slice(2, 4)).toEqual([
      String(Date.parse('2026-11-18T23:30:00Z') / 1000),
      String(Date.parse('2026-11-19T00:30:00Z') / 1000),
    ]);
  });

  test('allow-list values from configuration are ExecutionParameters, quotes doubled, never SQL text', async () => {
    const hostile = config('hostile.yaml', `macros:\n  aws_ecr_users: 'userName IN ("o''neil -- ;*/ é", alice)'\n`);
    const r = await hunt(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--engine',
        'athena',
        '--dry-run',
        '--json',
        '--config',
        hostile,
        ...hour,
      ],
      env,
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as DryRunDoc;
    // a * in a search value is Splunk's wildcard: the value is a LIKE pattern, * become %
    expect(doc.sql.params).toContain("'o''neil -- ;%/ é'");
    expect(doc.sql.params).toContain("'alice'");
    expect(doc.sql.text).not.toMatch(/neil|alice/);
    expect(trino.validate(doc.sql.text)).toEqual([]);
  });

  test('without --json: the SQL laid out, a line per parameter and per table', async () => {
    const r = await hunt(
      [
        'run',
        'ASL AWS ECR Container Upload Unknown User',
        '--engine',
        'athena',
        '--dry-run',
        '--config',
        multi,
        ...hour,
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ASL AWS ECR Container Upload Unknown User \(v7\)\s+2026-11-18T10:00:00Z \.\. 2026-11-18T11:00:00Z\s+\[athena, dry run: nothing was run\]/,
    );
    expect(r.stdout).toMatch(/\) union all\n {4}select /);
    expect(r.stdout).toMatch(
      /Parameters \(ExecutionParameters, in order\):\n {2}\?1 {2}TIMESTAMP '2026-11-18 10:00:00\.000' {4}window start, inclusive/,
    );
    expect(r.stdout).toMatch(/ {2}\?3 {2}'us-east-1' {4}value "us-east-1" from configuration \(string\)/);
    expect(r.stdout).toMatch(
      /Partitions read:\n {2}amazon_security_lake_glue_db_us_east_1\.amazon_security_lake_table_us_east_1_cloud_trail_mgmt_2_0 \(aws:asl\): 1 day 2026-11-18; regions us-east-1; accounts 111122223333\n {2}amazon_security_lake_glue_db_eu_west_1\..*: 1 day 2026-11-18; regions eu-west-1; accounts 111122223333/,
    );
  });

  test('--engine duckdb: the local lake SQL, its parameters as DuckDB binds them', async () => {
    const r = await hunt(
      ['run', 'AWS ECR Container Upload Unknown User', '--engine', 'duckdb', '--dry-run', '--json', ...hour],
      env,
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as DryRunDoc;
    expect(doc.engine).toBe('duckdb');
    expect(doc.sql.dialect).toBe('duckdb');
    expect(doc.sql.params).toEqual([
      '20261118',
      '20261118',
      Date.parse('2026-11-18T10:00:00Z') / 1000,
      Date.parse('2026-11-18T11:00:00Z') / 1000,
    ]);
    expect(doc.partitions).toEqual([
      {
        sourcetype: 'aws:cloudtrail',
        table: 'cloudtrail',
        columns: ['year', 'month', 'day'],
        days: ['2026-11-18'],
        regions: null,
        accounts: null,
      },
    ]);
  });

  test('`engine: athena` in the configuration is the default; --engine overrides it', async () => {
    const athena = config('athena.yaml', 'engine: athena\n');
    const byConfig = await hunt(
      ['run', 'AWS ECR Container Upload Unknown User', '--dry-run', '--json', '--config', athena, ...hour],
      env,
    );
    expect((JSON.parse(byConfig.stdout) as DryRunDoc).engine).toBe('athena');
    const byFlag = await hunt(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--engine',
        'duckdb',
        '--dry-run',
        '--json',
        '--config',
        athena,
        ...hour,
      ],
      env,
    );
    expect((JSON.parse(byFlag.stdout) as DryRunDoc).engine).toBe('duckdb');
  });
});

describe('hunt run --engine athena, for real', () => {
  // The real CLI process and the real SDK, against the Athena and S3 stand-ins (test/support),
  // which answer by running the DuckDB rendering of the same detection over a local lake.
  let standins: Standins;
  let lake: TestLake;
  let answerer: TranslationAnswerer;
  const athenaConfig = config(
    'athena-real.yaml',
    'engine: athena\nathena:\n  output_location: s3://standin-results/hunt/\n',
  );
  const RULE = 'AWS ECR Container Upload Unknown User';
  const SHIPPED = loadCatalog('detections').detections.map((d) => d.name);
  beforeAll(async () => {
    standins = await startStandins();
    lake = await makeLake({
      cloudtrail: [
        ct({ time: '2026-11-18T10:10:00Z', who: iamUser('mallory') }),
        ct({ time: '2026-11-18T10:20:00Z', who: iamUser('mallory'), name: 'CreateRepository' }),
        ct({
          time: '2026-11-18T10:30:00Z',
          who: iamUser('erin'),
          name: 'DescribeImageScanFindings',
          request: scanRequest('web'),
          response: scanFindingsResponse('web', [{ name: 'CVE-1', severity: 'MEDIUM', description: 'one' }]),
        }),
        ct({ time: '2026-11-18T10:40:00Z', who: iamUser('bob, "the builder"') }),
      ],
      ocsf: [
        ocsf({ time: '2026-11-18T10:15:00Z', userName: 'mallory' }),
        ocsf({ time: '2026-11-18T10:45:00Z', userName: 'dora', agent: 'agent with\nnewline' }),
      ],
    });
    answerer = new TranslationAnswerer(lake.dir);
    standins.athena.answerer = answerer.answer;
    // the pairs the CLI will send: the same configuration, both dialects
    const c = loadConfig(athenaConfig, { ...process.env, HUNT_HOME: home });
    for (const name of SHIPPED)
      answerer.register(prepareRule(name, c, 'athena').translation, prepareRule(name, c, 'duckdb').translation);
  });
  afterAll(async () => {
    await answerer.close();
    await lake.close();
    await standins.close();
  });

  test('--json: the rows DuckDB gives on the same events, from one query', async () => {
    const r = await hunt(['run', RULE, '--config', athenaConfig, '--no-store', '--json', ...hour], {
      ...env,
      ...awsEnv(),
    });
    // (on Node 20 the AWS SDK prints a notice of its own on stderr)
    expect(r.stderr).not.toMatch(/^(hunt|warning):/m);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { sql: { dialect: string }; results: Record<string, unknown>[] };
    expect(doc.sql.dialect).toBe('athena');
    expect(doc.results.map((x) => [x.user, x.count])).toEqual([
      ['bob, "the builder"', 1],
      ['mallory', 1],
    ]);
    expect(standins.athena.requests.filter((q) => q.operation === 'StartQueryExecution')).toHaveLength(1);
  });

  test('each shipped detection: the same rows as --engine duckdb on the same lake', async () => {
    expect(SHIPPED).toHaveLength(5);
    let fired = 0;
    for (const name of SHIPPED) {
      const args = ['run', name, '--config', athenaConfig, '--lake', lake.dir, '--no-store', '--json', ...hour];
      const [a, d] = await Promise.all([
        hunt([...args, '--engine', 'athena'], { ...env, ...awsEnv() }),
        hunt([...args, '--engine', 'duckdb'], env),
      ]);
      expect(a.code, `${name}: ${a.stderr}`).toBe(0);
      expect(d.code, `${name}: ${d.stderr}`).toBe(0);
      const rows = (r: { stdout: string }) => (JSON.parse(r.stdout) as { results: unknown[] }).results;
      expect(rows(a), name).toEqual(rows(d));
      if (rows(d).length > 0) fired++;
    }
    // the events make most of them fire, so equal rows are not just two empty lists
    expect(fired).toBeGreaterThanOrEqual(3);
  });

  test('Ctrl-C stops the query in flight with StopQueryExecution, exit 1', async () => {
    standins.athena.script({ match: /./, hang: true, times: 1 });
    const polled = standins.athena.calls('GetQueryExecution').length;
    const stopped = standins.athena.calls('StopQueryExecution').length;
    // a window of its own: the same run again would get its earlier execution back (same token)
    const args = [
      'run',
      RULE,
      '--config',
      athenaConfig,
      '--no-store',
      '--earliest',
      '2026-11-18T12:00:00Z',
      '--latest',
      '2026-11-18T13:00:00Z',
    ];
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'hunt.js'), ...args], {
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // once the query runs, interrupt
    for (let i = 0; i < 200 && standins.athena.calls('GetQueryExecution').length === polled; i++)
      await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(standins.athena.calls('StopQueryExecution')).toHaveLength(stopped + 1);
    expect(stderr).toMatch(/interrupted \(SIGINT\)/);
  });

  test('a failed query: exit 1 with the error, and no result summary (it is not "0 results")', async () => {
    standins.athena.script({ match: /./, fail: { reason: 'TABLE_NOT_FOUND: no table cloudtrail' }, times: 1 });
    const r = await hunt(
      [
        'run',
        RULE,
        '--config',
        athenaConfig,
        '--no-store',
        '--earliest',
        '2026-11-18T14:00:00Z',
        '--latest',
        '2026-11-18T15:00:00Z',
      ],
      { ...env, ...awsEnv() },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TABLE_NOT_FOUND/);
    expect(r.stdout).not.toMatch(/results?\b|no results|│/);
  });

  test('Athena unreachable: exit 1, saying so', async () => {
    const r = await hunt(['run', RULE, '--config', athenaConfig, '--no-store', ...hour], {
      ...env,
      ...awsEnv(),
      AWS_ENDPOINT_URL_ATHENA: 'http://127.0.0.1:9',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/athena/i);
    expect(r.stdout).not.toMatch(/results?\b/);
  });
});

/** The stand-ins' AWS environment (startStandins sets it on this process) for a child process. */
const awsEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_'))) as NodeJS.ProcessEnv;

describe('bad input: exit 2, naming what is wrong', () => {
  const bad = async (args: string[], message: RegExp) => {
    const r = await hunt(args, env);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  };

  test('an unknown --engine', () =>
    bad(
      ['run', 'AWS ECR Container Upload Unknown User', '--engine', 'spark', '--dry-run'],
      /argument 'spark' is invalid\. Allowed choices are duckdb, athena/,
    ));
  test('an unknown engine in the configuration names the file and field', () =>
    bad(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--dry-run',
        '--config',
        config('bad-engine.yaml', 'engine: spark\n'),
      ],
      /bad-engine\.yaml: field `engine`: must be duckdb or athena/,
    ));
  test('a bad region names the file and field', () =>
    bad(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--dry-run',
        '--config',
        config('bad-region.yaml', 'sources:\n  security_lake:\n    regions: ["us-east-1\'; --"]\n'),
      ],
      /bad-region\.yaml: field `sources\.security_lake\.regions\[0\]`: is not an AWS region name/,
    ));
  test('a bad database name names the file and field', () =>
    bad(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--dry-run',
        '--config',
        config('bad-db.yaml', 'sources:\n  cloudtrail:\n    database: "logs\\"; DROP"\n'),
      ],
      /bad-db\.yaml: field `sources\.cloudtrail\.database`: is not a Glue name/,
    ));
  test('Security Lake version 3 names the file and field', () =>
    bad(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--dry-run',
        '--config',
        config('v3.yaml', 'sources:\n  security_lake:\n    version: 3\n    regions: [us-east-1]\n'),
      ],
      /v3\.yaml: field `sources\.security_lake\.version`: must be 1 or 2/,
    ));
  test('a lake that does not exist still fails a real duckdb run', () =>
    bad(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--engine',
        'duckdb',
        '--no-store',
        '--lake',
        join(dir, 'nope'),
        ...hour,
      ],
      /no lake at .*nope/,
    ));
});
