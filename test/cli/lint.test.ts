/**
 * `hunt lint` as a user runs it: the real CLI process over the shipped detections (clean),
 * the ESCU corpus (the upstream bugs), single rules and bad usage. Exit 1 on errors, else 0.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';
import { shared } from '../support/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-lint-'));
const env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: '' };

interface Doc {
  total: number;
  errors: number;
  warnings: number;
  not_compiled: number;
  findings: {
    rule: string;
    severity: string;
    file: string;
    detection: string | null;
    message: string;
    position: string | null;
  }[];
}

describe('hunt lint', () => {
  test('the shipped detections (the default directory): no findings, exit 0', async () => {
    const r = await hunt(['lint'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('5 detections: 0 errors, 0 warnings\n');
  });

  test('the ESCU corpus --json: findings with rule, severity, file, detection, message, position; exit 1', async () => {
    const r = await hunt(['lint', shared('escu'), '--json'], env);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(Object.keys(doc)).toEqual(['total', 'errors', 'warnings', 'not_compiled', 'findings']);
    expect(doc.total).toBe(68);
    expect(doc.errors).toBe(doc.findings.filter((f) => f.severity === 'error').length);
    expect(doc.warnings).toBe(doc.findings.length - doc.errors);
    for (const f of doc.findings)
      expect(Object.keys(f)).toEqual(['rule', 'severity', 'file', 'detection', 'message', 'position']);
    expect(doc.findings).toContainEqual({
      rule: 'stats-by-unknown-field',
      severity: 'error',
      file: shared('escu', 'asl', 'asl_aws_ecr_container_upload_outside_business_hours.yml'),
      detection: 'ASL AWS ECR Container Upload Outside Business Hours',
      message:
        'stats BY bucketName: no source field or earlier command defines bucketName, so every event is dropped and the search returns nothing',
      position: 'line 1, column 428 of the search',
    });
  });

  test('readable: one line per finding and a summary', async () => {
    const r = await hunt(['lint', shared('escu', 'asl')], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /asl_aws_ecr_container_upload_outside_business_hours\.yml: warning \[bare-word-field\] ASL AWS ECR Container Upload Outside Business Hours: bare word Saturday names a field .* \(at line 1, column 172 of the search\)\n/,
    );
    expect(r.stdout).toMatch(/\n25 detections: \d+ errors?, \d+ warnings?\n$/);
  });

  test('a single RULE, by path; warnings alone exit 0', async () => {
    const f = join(dir, 'warn_only.yml');
    writeFileSync(
      f,
      "name: Warn Only\nid: w1\nversion: 1\nsearch: '`cloudtrail` eventName=PutImage | stats count by userName | rename userName as user'\nrba:\n  message: upload by $user$\n  risk_objects:\n  - field: user\n    type: user\n    score: 5\n",
    );
    const r = await hunt(['lint', f], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /warn_only\.yml: warning \[missing-filter-macro\] Warn Only: the search does not end with `warn_only_filter`/,
    );
    expect(r.stdout).toMatch(/1 detection: 0 errors, 1 warning\n$/);
  });

  test('a single RULE by file stem in --detections DIR', async () => {
    const r = await hunt(
      [
        'lint',
        'asl_aws_ecr_container_upload_outside_business_hours_v10',
        '--detections',
        resolve('test/fixtures/seeds'),
        '--json',
      ],
      env,
    );
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.total).toBe(1);
    expect(doc.findings.map((f) => f.rule)).toContain('stats-by-unknown-field');
  });

  test('detections: in a config file', async () => {
    const config = join(dir, 'corpus.yaml');
    writeFileSync(config, `detections: ${shared('escu', 'cloudtrail')}\n`);
    const r = await hunt(['lint', '--config', config, '--json'], env);
    expect((JSON.parse(r.stdout) as Doc).total).toBe(43);
  });
});

describe('bad usage: exit 2', () => {
  test('unknown RULE', async () => {
    const r = await hunt(['lint', 'No Such Detection'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown detection No Such Detection/);
  });
  test('an empty directory', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await hunt(['lint', empty], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no detection YAML files below it/);
  });
  test('an unknown option', async () => {
    const r = await hunt(['lint', '--dialect', 'duckdb'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--dialect'/);
  });
});
