/**
 * Pointing hunt at your own detections (a security_content checkout): `hunt demo --detections
 * DIR` and `detections:` in config run that directory's detections over the sample lake,
 * listing the ones that do not compile and carrying on; `hunt run` finds RULE there too.
 * Real CLI processes, a real Postgres (test/global-setup.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, sql, type DatabasePool } from 'slonik';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-demo-dir-'));
const detections = join(dir, 'my-detections');
const now = '2026-11-24T10:30:00Z';
let database: TestDatabase;
let pool: DatabasePool;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: database.url };
  pool = await createPool(database.url);
  mkdirSync(join(detections, 'cloud'), { recursive: true });
  // a detection hunt does not ship (a renamed copy), one hunt cannot compile, one malformed file
  const custom = readFileSync('detections/aws_ecr_container_upload_unknown_user.yml', 'utf8')
    .replace(/^name: .*$/m, 'name: Custom ECR Upload Unknown User')
    .replace(/^id: .*$/m, 'id: 0b1e6a52-0000-4000-8000-000000000001');
  writeFileSync(join(detections, 'cloud', 'custom_ecr_upload_unknown_user.yml'), custom);
  writeFileSync(
    join(detections, 'cloud', 'uses_transaction.yml'),
    "name: Uses Transaction\nid: t1\nversion: 1\nsearch: '`cloudtrail` | transaction userName | stats count'\n",
  );
  writeFileSync(join(detections, 'broken.yml'), 'name: x\nid: [unclosed\n');
});
afterAll(async () => {
  await pool.end();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const demoRuns = async (): Promise<{ detection_name: string; status: string }[]> =>
  [...(await pool.any(sql.unsafe`SELECT detection_name, status FROM runs WHERE trigger = 'demo'`))] as {
    detection_name: string;
    status: string;
  }[];

describe('hunt demo --detections DIR', () => {
  test('runs every detection of DIR that compiles over each hourly window, and lists the others with the reason', async () => {
    const r = await hunt(['demo', '--now', now, '--days', '1', '--detections', detections], env, {
      timeoutMs: 300_000,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /skipping 2 of 3 detections that do not compile:\n {2}broken\.yml: malformed YAML: line \d+.*\n {2}cloud\/uses_transaction\.yml: unsupported command `transaction` \(at line 1, column 16 of the search\)\n/,
    );
    expect(r.stderr).toMatch(/running 1 detections over 24 hourly windows/);
    expect(r.stdout).toMatch(/^24 runs stored, \d+ findings, \d+ risk events/);
    const runs = await demoRuns();
    expect(runs).toHaveLength(24);
    expect(new Set(runs.map((x) => `${x.detection_name} ${x.status}`))).toEqual(
      new Set(['Custom ECR Upload Unknown User succeeded']),
    );
  }, 300_000);

  test('detections: in a config file does the same (and replaces the earlier demo runs)', async () => {
    const config = join(dir, 'hunt.yaml');
    writeFileSync(config, 'detections: ./my-detections\n');
    const r = await hunt(['demo', '--now', now, '--days', '1', '--config', config], env, { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipping 2 of 3 detections/);
    expect(await demoRuns()).toHaveLength(24);
  }, 300_000);

  test('hunt run finds a RULE of that directory by name, with --detections or the config', async () => {
    const lake = join(dir, 'home', 'lake');
    const args = ['run', 'Custom ECR Upload Unknown User', '--lake', lake, '--now', now, '--no-store', '--json'];
    const flag = await hunt([...args, '--detections', detections], env);
    expect(flag.code).toBe(0);
    expect((JSON.parse(flag.stdout) as { detection: { name: string } }).detection.name).toBe(
      'Custom ECR Upload Unknown User',
    );
    const viaConfig = await hunt([...args, '--config', join(dir, 'hunt.yaml')], env);
    expect(viaConfig.code).toBe(0);
    expect(JSON.parse(viaConfig.stdout)).toEqual(JSON.parse(flag.stdout));
    // the shipped directory does not have it
    const shipped = await hunt(args, env);
    expect(shipped.code).toBe(2);
    expect(shipped.stderr).toMatch(/unknown detection Custom ECR Upload Unknown User/);
  });

  test('a directory where nothing compiles: exit 2 before any lake is built', async () => {
    const none = join(dir, 'nothing');
    mkdirSync(none);
    writeFileSync(
      join(none, 'uses_transaction.yml'),
      "name: T\nid: t2\nversion: 1\nsearch: '`cloudtrail` | transaction userName'\n",
    );
    const r = await hunt(['demo', '--now', now, '--days', '1', '--detections', none], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing: no detection there compiles, nothing to run/);
    expect(r.stderr).not.toMatch(/building the sample lake/);
    expect(await demoRuns()).toHaveLength(24);
  });
});
