/**
 * `hunt run` and `hunt lake import` as a user runs them: the real CLI process over a real lake.
 * These runs use --no-store; storing is covered with Postgres in test/cli/history.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { ct, iamUser, ocsf } from '../support/events.js';
import { hunt } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-'));
const lake = join(dir, 'lake');
const home = join(dir, 'home');
const env = { HUNT_HOME: home, DATABASE_URL: '' };

beforeAll(async () => {
  const trail = {
    Records: [
      ct({ time: '2026-11-18T21:30:00Z', who: iamUser('mallory') }),
      ct({ time: '2026-11-18T10:00:00Z', who: iamUser('alice') }),
    ],
  };
  writeFileSync(join(dir, 'trail.json.gz'), gzipSync(JSON.stringify(trail)));
  writeFileSync(
    join(dir, 'lake.ocsf.jsonl'),
    [ocsf({ time: '2026-11-18T21:40:00Z', userName: 'mallory' })].map((r) => JSON.stringify(r)).join('\n'),
  );
  const r = await hunt(
    ['lake', 'import', '--lake', lake, join(dir, 'trail.json.gz'), join(dir, 'lake.ocsf.jsonl')],
    env,
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/cloudtrail: 2 added, 0 already present; security lake: 1 added/);
});

describe('hunt run --json', () => {
  const window = ['--earliest', '2026-11-18T00:00:00Z', '--latest', '2026-11-19T00:00:00Z'];

  test('the documented JSON document', async () => {
    const r = await hunt(
      ['run', 'AWS ECR Container Upload Outside Business Hours', '--lake', lake, ...window, '--json', '--no-store'],
      env,
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['detection', 'window', 'sql', 'results', 'risk_events', 'warnings']);
    expect(doc.detection).toEqual({
      id: 'd4c4d4eb-3994-41ca-a25e-a82d64e125bb',
      name: 'AWS ECR Container Upload Outside Business Hours',
      version: 8,
    });
    expect(doc.window).toEqual({ earliest: '2026-11-18T00:00:00Z', latest: '2026-11-19T00:00:00Z' });
    const sql = doc.sql as { dialect: string; text: string; params: unknown[] };
    expect(sql.dialect).toBe('duckdb');
    expect(sql.params).toEqual([
      '20261118',
      '20261118',
      Date.parse('2026-11-18T00:00:00Z') / 1000,
      Date.parse('2026-11-19T00:00:00Z') / 1000,
    ]);
    expect(doc.results).toEqual([
      {
        signature: 'PutImage',
        user: 'mallory',
        user_agent: 'docker/24.0.7 go/go1.20.10',
        src: '198.51.100.7',
        vendor_account: '111122223333',
        vendor_region: 'us-east-1',
        vendor_product: 'AWS CloudTrail',
        repository: 'web',
        count: 1,
        firstTime: '2026-11-18T21:30:00',
        lastTime: '2026-11-18T21:30:00',
      },
    ]);
    expect(doc.risk_events).toEqual([
      {
        risk_object: 'mallory',
        risk_object_type: 'user',
        risk_score: 49,
        risk_message: 'Container uploaded outside business hours from mallory',
        risk_time: '2026-11-19T00:00:00Z',
        threat_objects: [{ value: '198.51.100.7', type: 'ip_address' }],
        mitre_attack_ids: ['T1204.003'],
        mitre_tactics: ['Execution'],
        analytic_stories: ['Dev Sec Ops'],
        detection_id: 'd4c4d4eb-3994-41ca-a25e-a82d64e125bb',
        detection_name: 'AWS ECR Container Upload Outside Business Hours',
        detection_version: 8,
      },
    ]);
    expect(doc.warnings).toEqual([]);
  });

  test('the default window is the ESCU schedule window at --now; RULE may be an id, stem or path', async () => {
    const byStem = await hunt(
      [
        'run',
        'asl_aws_ecr_container_upload_outside_business_hours',
        '--lake',
        lake,
        '--now',
        '2026-11-18T22:30:00Z',
        '--json',
        '--no-store',
      ],
      env,
    );
    expect(byStem.code).toBe(0);
    const doc = JSON.parse(byStem.stdout) as { window: unknown; results: { user: string }[] };
    expect(doc.window).toEqual({ earliest: '2026-11-18T21:20:00Z', latest: '2026-11-18T22:20:00Z' });
    expect(doc.results.map((x) => x.user)).toEqual(['arn:aws:iam::111122223333:user/mallory']);

    const byId = await hunt(
      [
        'run',
        '739ed682-27e9-4ba0-80e5-a91b97698213',
        '--lake',
        lake,
        '--now',
        '2026-11-18T22:30:00Z',
        '--json',
        '--no-store',
      ],
      env,
    );
    expect(JSON.parse(byId.stdout)).toEqual(doc);
    const byPath = await hunt(
      [
        'run',
        'detections/asl_aws_ecr_container_upload_outside_business_hours.yml',
        '--lake',
        lake,
        '--now',
        '2026-11-18T22:30:00Z',
        '--json',
        '--no-store',
      ],
      env,
    );
    expect(JSON.parse(byPath.stdout)).toEqual(doc);
  });

  test('--config macros override the allow-list', async () => {
    const config = join(dir, 'config.yaml');
    writeFileSync(config, "macros:\n  aws_ecr_users: 'userName IN (alice, mallory)'\n");
    const plain = await hunt(
      ['run', 'AWS ECR Container Upload Unknown User', '--lake', lake, ...window, '--json', '--no-store'],
      env,
    );
    expect((JSON.parse(plain.stdout) as { results: { user: string }[] }).results.map((x) => x.user)).toEqual([
      'alice',
      'mallory',
    ]);
    const r = await hunt(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--lake',
        lake,
        ...window,
        '--config',
        config,
        '--json',
        '--no-store',
      ],
      env,
    );
    const doc = JSON.parse(r.stdout) as { results: unknown[]; sql: { params: unknown[]; text: string } };
    expect(doc.results).toEqual([]);
    expect(doc.sql.params).toContain('mallory');
    expect(doc.sql.text).not.toContain('mallory');
  });

  test('without --json: a readable table', async () => {
    const r = await hunt(
      ['run', 'AWS ECR Container Upload Outside Business Hours', '--lake', lake, ...window, '--no-store'],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /AWS ECR Container Upload Outside Business Hours \(v8\)\s+2026-11-18T00:00:00Z \.\. 2026-11-19T00:00:00Z/,
    );
    expect(r.stdout).toMatch(/│ PutImage\s+│ mallory/);
    expect(r.stdout).toMatch(/1 result, 1 risk event \(total score 49\)/);
  });

  test('--detections points at another directory (e.g. a security_content checkout)', async () => {
    const r = await hunt(
      [
        'run',
        'AWS ECR Container Upload Outside Business Hours',
        '--detections',
        'test/fixtures/seeds',
        '--lake',
        lake,
        ...window,
        '--json',
        '--no-store',
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { detection: { version: number } }).detection.version).toBe(1);
  });
});

describe('bad input: a clear message naming what is wrong, exit 2', () => {
  const bad = async (args: string[], message: RegExp, extraEnv: NodeJS.ProcessEnv = {}) => {
    const r = await hunt(args, { ...env, ...extraEnv });
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  };

  test('unknown rule', () =>
    bad(['run', 'No Such Detection', '--lake', lake, '--no-store'], /unknown detection No Such Detection/));
  test('bad time modifier', () =>
    bad(
      ['run', 'AWS ECR Container Upload Unknown User', '--lake', lake, '--earliest', '-70x@m', '--no-store'],
      /-70x@m/,
    ));
  test('earliest after latest', () =>
    bad(
      [
        'run',
        'AWS ECR Container Upload Unknown User',
        '--lake',
        lake,
        '--earliest',
        '-1h',
        '--latest',
        '-2h',
        '--no-store',
      ],
      /earliest/,
    ));
  test('a lake that does not exist', () =>
    bad(
      ['run', 'AWS ECR Container Upload Unknown User', '--lake', join(dir, 'nope'), '--no-store'],
      /no lake at .*nope/,
    ));
  test('unknown command', () => bad(['frobnicate'], /unknown command 'frobnicate'/));
  test('missing argument', () => bad(['run'], /missing required argument 'rule'/));

  test('malformed YAML names the file and line', async () => {
    const f = join(dir, 'broken.yml');
    writeFileSync(f, 'name: x\nid: [unclosed\nsearch: y\n');
    await bad(['run', f, '--lake', lake, '--no-store'], /broken\.yml: malformed YAML: line \d+/);
  });

  test('a missing field names the file and field', async () => {
    const f = join(dir, 'nosearch.yml');
    writeFileSync(f, 'name: x\nid: abc\nversion: 1\n');
    await bad(['run', f, '--lake', lake, '--no-store'], /nosearch\.yml: field `search`: is required/);
  });

  test('a wrong type names the field', async () => {
    const f = join(dir, 'badscore.yml');
    const text = readFileSync('detections/aws_ecr_container_upload_unknown_user.yml', 'utf8').replace(
      'score: 49',
      'score: high',
    );
    writeFileSync(f, text);
    await bad(
      ['run', f, '--lake', lake, '--no-store'],
      /field `rba\.risk_objects\[0\]\.score`: expected number, got string/,
    );
  });

  test('unknown macro, with its position', async () => {
    const f = join(dir, 'macro.yml');
    writeFileSync(f, "name: m\nid: m1\nversion: 1\nsearch: '`cloudtrail` | `no_such_macro` | stats count'\n");
    await bad(
      ['run', f, '--lake', lake, '--no-store'],
      /unknown macro `no_such_macro` \(at line 1, column 16 of the search\)/,
    );
  });

  test('SPL the compiler does not support names the command and its position', async () => {
    const f = join(dir, 'unsupported.yml');
    writeFileSync(f, "name: u\nid: u1\nversion: 1\nsearch: '`cloudtrail` | transaction userName | stats count'\n");
    await bad(
      ['run', f, '--lake', lake, '--no-store'],
      /unsupported command `transaction` \(at line 1, column 16 of the search\)/,
    );
  });

  test('a bad config file names the file and field', async () => {
    const f = join(dir, 'badconfig.yaml');
    writeFileSync(f, 'timezone: Mars/Olympus\n');
    await bad(
      ['run', 'AWS ECR Container Upload Unknown User', '--config', f, '--lake', lake, '--no-store'],
      /badconfig\.yaml: field `timezone`: is not an IANA time zone/,
    );
  });
});

describe('hunt lake import', () => {
  test('importing the same file twice adds nothing', async () => {
    const r = await hunt(['lake', 'import', '--lake', lake, join(dir, 'trail.json.gz')], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cloudtrail: 0 added, 2 already present/);
  });

  test('garbled lines are skipped and counted', async () => {
    const f = join(dir, 'partly.jsonl');
    writeFileSync(
      f,
      `${JSON.stringify(ct({ time: '2026-11-18T11:00:00Z' }))}\n{not json\n${JSON.stringify({ hello: 'world' })}\n`,
    );
    const r = await hunt(['lake', 'import', '--lake', lake, f], env);
    expect(r.code).toBe(0);
    // file, kind, added, duplicates, conflicts, skipped, note
    expect(r.stdout).toMatch(
      /partly\.jsonl\s+│ cloudtrail\s+│ 1\s+│ 0\s+│ 0\s+│ 2\s+│ 1 × not a CloudTrail event .*; 1 more reasons/,
    );
    expect(r.stderr).toMatch(/partly\.jsonl: skipped line 2/);
  });

  test('an unreadable file alone imports nothing, exit 2; beside a good one, exit 1', async () => {
    const other = join(dir, 'other-lake');
    mkdirSync(other);
    const garbage = join(dir, 'garbage.gz');
    writeFileSync(garbage, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]));
    const alone = await hunt(['lake', 'import', '--lake', other, garbage], env);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/error: .*garbage\.gz: corrupt or truncated gzip/);
    const search = [
      'run',
      'AWS ECR Container Upload Outside Business Hours',
      '--lake',
      other,
      '--earliest',
      '2026-11-18T00:00:00Z',
      '--latest',
      '2026-11-19T00:00:00Z',
      '--json',
      '--no-store',
    ];
    const none = await hunt(search, env);
    expect((JSON.parse(none.stdout) as { results: unknown[] }).results).toEqual([]);

    const both = await hunt(['lake', 'import', '--lake', other, '--json', join(dir, 'trail.json.gz'), garbage], env);
    expect(both.code).toBe(1);
    const report = JSON.parse(both.stdout) as { exitCode: number; files: { kind: string; added: number }[] };
    expect(report.exitCode).toBe(1);
    expect(report.files.map((f) => [f.kind, f.added])).toEqual([
      ['cloudtrail', 2],
      ['error', 0],
    ]);
  });
});
