/**
 * `hunt compile` as a user runs it: the real CLI process. One rule prints its SQL file text,
 * a directory a summary, `--json` one document of the documented shape; exit codes 0 / 1 / 2.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';
import { shared } from '../support/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-compile-'));
const env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: '' };
const trino = new TrinoSQL();

interface Doc {
  total: number;
  compiled: number;
  detections: {
    file: string;
    id: string | null;
    name: string | null;
    ok: boolean;
    sql: string | null;
    params: unknown[];
    warnings: string[];
    error: string | null;
  }[];
}

/** A directory with two good detections (copies of shipped ones), a malformed file and one that does not compile. */
function mixedDir(): string {
  const d = join(dir, 'mixed');
  mkdirSync(join(d, 'nested'), { recursive: true });
  writeFileSync(
    join(d, 'aws_ecr_container_upload_unknown_user.yml'),
    readFileSync('detections/aws_ecr_container_upload_unknown_user.yml'),
  );
  writeFileSync(
    join(d, 'nested', 'asl_aws_ecr_container_upload_unknown_user.yml'),
    readFileSync('detections/asl_aws_ecr_container_upload_unknown_user.yml'),
  );
  writeFileSync(join(d, 'broken.yml'), 'name: x\nid: [unclosed\n');
  writeFileSync(
    join(d, 'unsupported.yml'),
    "name: Unsupported\nid: u1\nversion: 1\nsearch: '`cloudtrail` | transaction userName | stats count'\n",
  );
  return d;
}

describe('hunt compile DIR --json', () => {
  test('the ESCU corpus: the documented document, every Athena query parses as Trino', async () => {
    const r = await hunt(['compile', shared('escu'), '--json'], env);
    expect(r.code).toBe(1); // some corpus detections do not compile yet
    const doc = JSON.parse(r.stdout) as Doc;
    expect(Object.keys(doc)).toEqual(['total', 'compiled', 'detections']);
    expect(doc.total).toBe(68);
    expect(doc.detections).toHaveLength(68);
    expect(doc.compiled).toBe(doc.detections.filter((d) => d.ok).length);
    expect(doc.compiled).toBeGreaterThan(50);
    // (every corpus query is checked against the Trino grammar in test/compile/format-sql.test.ts)
    for (const d of doc.detections.slice(0, 10)) if (d.ok) expect(trino.validate(d.sql ?? '')).toEqual([]);
    for (const d of doc.detections) {
      expect(Object.keys(d)).toEqual(['file', 'id', 'name', 'ok', 'sql', 'params', 'warnings', 'error', 'steps']);
      if (d.ok) {
        expect(d.error).toBeNull();
        expect(d.params.length).toBeGreaterThanOrEqual(4);
      } else {
        expect(d.sql).toBeNull();
        expect(d.error).toMatch(/\(at line \d+, column \d+ of the search\)$/);
      }
    }
    const asl = doc.detections.find((d) =>
      d.file.endsWith('asl/asl_aws_ecr_container_upload_outside_business_hours.yml'),
    );
    expect(asl?.warnings).toContain(
      'stats BY bucketName: no source field or earlier command defines bucketName, so every event is dropped and the search returns nothing (at line 1, column 428 of the search)',
    );
    // Security Lake prunes on time_dt (timestamps) and the configured region, then filters on time (epoch ms)
    expect(asl?.params).toEqual([
      { kind: 'window', bound: 'earliest', as: 'timestamp', type: 'timestamp' },
      { kind: 'window', bound: 'latest', as: 'timestamp', type: 'timestamp' },
      { kind: 'value', type: 'string', value: 'us-east-1' },
      { kind: 'window', bound: 'earliest', as: 'epoch_ms', type: 'number' },
      { kind: 'window', bound: 'latest', as: 'epoch_ms', type: 'number' },
    ]);
  });

  test('a malformed file and an unsupported search among good ones: failures with the reason, exit 1', async () => {
    const d = mixedDir();
    const r = await hunt(['compile', d, '--json'], env);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect({ total: doc.total, compiled: doc.compiled }).toEqual({ total: 4, compiled: 2 });
    expect(doc.detections.map((x) => [x.file.replace(`${d}/`, ''), x.ok])).toEqual([
      ['aws_ecr_container_upload_unknown_user.yml', true],
      ['broken.yml', false],
      ['nested/asl_aws_ecr_container_upload_unknown_user.yml', true],
      ['unsupported.yml', false],
    ]);
    expect(doc.detections[1]).toMatchObject({
      id: null,
      name: null,
      sql: null,
      params: [],
      warnings: [],
      error: expect.stringMatching(/^malformed YAML: line \d+/),
    });
    expect(doc.detections[3]).toMatchObject({
      id: 'u1',
      name: 'Unsupported',
      error: 'unsupported command `transaction` (at line 1, column 16 of the search)',
    });
  });

  test('--dialect duckdb: the local lake tables and day partitions', async () => {
    const r = await hunt(['compile', 'detections', '--json', '--dialect', 'duckdb'], env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc).toMatchObject({ total: 5, compiled: 5 });
    const ct = doc.detections.find((x) => x.name === 'AWS ECR Container Upload Unknown User');
    expect(ct?.sql).toContain('from "cloudtrail" as "t"');
    expect(ct?.params[0]).toEqual({ kind: 'window', bound: 'earliest', as: 'day', format: 'yyyyMMdd', type: 'string' });
  });

  test('a macro override from --config is a value slot, never SQL text', async () => {
    const config = join(dir, 'allow.yaml');
    writeFileSync(config, "macros:\n  aws_ecr_users: 'userName IN (ci-bot)'\n");
    const r = await hunt(['compile', 'aws_ecr_container_upload_unknown_user', '--json', '--config', config], env);
    expect(r.code).toBe(0);
    const [d] = (JSON.parse(r.stdout) as Doc).detections;
    expect(d?.params).toContainEqual({ kind: 'value', type: 'string', value: 'ci-bot' });
    expect(d?.sql).not.toContain('ci-bot');
  });
});

describe('hunt compile without --json', () => {
  test('one rule: its SQL with a header naming version and parameter slots (the checked-in file)', async () => {
    const r = await hunt(['compile', 'AWS ECR Container Upload Unknown User'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(`${r.stdout}`).toBe(
      readFileSync('sql/detections/aws_ecr_container_upload_unknown_user.sql', 'utf8').replace(
        /^-- Generated.*\n/m,
        '',
      ),
    );
  });

  test('a directory: a summary table and the reasons for failures', async () => {
    const r = await hunt(['compile', mixedDir()], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/│ unsupported\.yml\s+│ Unsupported\s+│ FAILED\s+│/);
    expect(r.stdout).toMatch(
      /│ nested\/asl_aws_ecr_container_upload_unknown_user\.yml\s+│ ASL AWS ECR Container Upload Unknown User\s+│ ok\s+│/,
    );
    expect(r.stdout).toMatch(/2 of 4 detections compiled \(athena\)/);
    expect(r.stdout).toMatch(
      /not compiled:\n {2}broken\.yml: malformed YAML: line \d+.*\n {2}unsupported\.yml: unsupported command `transaction`/,
    );
  });

  test('a directory with warnings says so per detection', async () => {
    const r = await hunt(['compile', shared('escu', 'asl')], env);
    expect(r.stdout).toMatch(
      /│ asl_aws_ecr_container_upload_outside_business_hours\.yml\s+│ ASL AWS ECR Container Upload Outside Business Hours\s+│ ok, 5 warnings\s+│/,
    );
  });

  test('no argument: the configured detections directory, all of which compile', async () => {
    const r = await hunt(['compile'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/5 of 5 detections compiled \(athena\)/);
  });

  test('a single rule with warnings prints them on stderr', async () => {
    const r = await hunt(
      ['compile', shared('escu', 'asl', 'asl_aws_ecr_container_upload_outside_business_hours.yml')],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: bare word Saturday names a field/m);
    expect(r.stdout).toMatch(/^-- Warnings:\n-- {3}bare word Saturday/m);
  });
});

describe('--detections DIR and detections: in config', () => {
  test('--detections finds RULE in another directory', async () => {
    const r = await hunt(
      ['compile', 'AWS ECR Container Upload Outside Business Hours', '--detections', 'test/fixtures/seeds', '--json'],
      env,
    );
    expect(r.code).toBe(0);
    const [d] = (JSON.parse(r.stdout) as Doc).detections;
    expect(d?.file).toBe('test/fixtures/seeds/aws_ecr_container_upload_outside_business_hours_v1.yml');
  });

  test('detections: in a config file is the default directory, relative to the file', async () => {
    const config = join(dir, 'seeds.yaml');
    writeFileSync(config, `detections: ${relative(dir, resolve('test/fixtures/seeds'))}\n`);
    const r = await hunt(['compile', '--config', config, '--json'], env);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Doc).detections.map((d) => d.file)).toContain(
      'test/fixtures/seeds/aws_ecr_container_upload_unknown_user_v2.yml',
    );
  });
});

describe('bad input: exit 2 with a message naming what is wrong', () => {
  const bad = async (args: string[], message: RegExp) => {
    const r = await hunt(args, env);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    return r;
  };
  test('unknown RULE', async () => {
    const r = await bad(['compile', 'No Such Detection'], /unknown detection No Such Detection/);
    expect(r.stdout).toBe('');
  });
  test('bad dialect', () => bad(['compile', 'detections', '--dialect', 'mysql'], /--dialect.*mysql.*athena, duckdb/));
  test('an empty directory', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    return bad(['compile', empty, '--json'], /empty: no detection YAML files below it/);
  });
  test('a --detections directory that does not exist', () =>
    bad(['compile', 'x', '--detections', join(dir, 'nope')], /--detections .*nope: not a directory/));
  test('a malformed RULE file', async () => {
    const f = join(dir, 'broken-rule.yml');
    writeFileSync(f, 'name: x\nid: [unclosed\n');
    await bad(['compile', f], /broken-rule\.yml: malformed YAML: line \d+/);
  });
  test('a single RULE that does not compile: exit 2; with --json the document says why', async () => {
    const f = join(dir, 'unsupported-rule.yml');
    writeFileSync(f, "name: U\nid: u2\nversion: 1\nsearch: '`cloudtrail` | transaction userName'\n");
    await bad(
      ['compile', f],
      /unsupported-rule\.yml: unsupported command `transaction` \(at line 1, column 16 of the search\)/,
    );
    const r = await bad(['compile', f, '--json'], /unsupported command `transaction`/);
    expect(JSON.parse(r.stdout)).toMatchObject({
      total: 1,
      compiled: 0,
      detections: [{ ok: false, id: 'u2', error: expect.stringMatching(/transaction/) }],
    });
  });
});
