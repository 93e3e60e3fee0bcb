/**
 * The CLI with history in a real Postgres: runs are stored and replaced, the demo is
 * repeatable, reports read what was stored, an unreachable database is a clear failure.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, sql, type DatabasePool } from 'slonik';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ct, iamUser } from '../support/events.js';
import { hunt } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-history-'));
let database: TestDatabase;
let pool: DatabasePool;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: database.url };
  pool = await createPool(database.url);
});
afterAll(async () => {
  await pool.end();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (table: 'runs' | 'findings' | 'risk_events', where = sql.fragment`TRUE`): Promise<number> =>
  Number(await pool.oneFirst(sql.unsafe`SELECT count(*) FROM ${sql.identifier([table])} WHERE ${where}`));

interface Report {
  objects: {
    risk_object: string;
    risk_object_type: string;
    total_score: number;
    events: number;
    detections: string[];
    first_time: string;
    last_time: string;
  }[];
}

describe('hunt run stores its run, and re-running the window replaces it', () => {
  test('adhoc runs, stored once per window', async () => {
    const lake = join(dir, 'lake');
    const trail = join(dir, 'trail.json');
    writeFileSync(
      trail,
      JSON.stringify({
        Records: [
          ct({ time: '2026-11-18T21:30:00Z', who: iamUser('mallory') }),
          ct({ time: '2026-11-18T22:30:00Z', who: iamUser('mallory') }),
        ],
      }),
    );
    expect((await hunt(['lake', 'import', '--lake', lake, trail], env)).code).toBe(0);
    const args = [
      'run',
      'AWS ECR Container Upload Outside Business Hours',
      '--lake',
      lake,
      '--earliest',
      '2026-11-18T00:00:00Z',
      '--latest',
      '2026-11-19T00:00:00Z',
      '--json',
    ];
    const first = await hunt(args, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const second = await hunt(args, env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    const adhoc = sql.fragment`run_id IN (SELECT id FROM runs WHERE trigger = 'adhoc')`;
    expect(await count('runs', sql.fragment`trigger = 'adhoc'`)).toBe(1);
    expect(await count('findings', adhoc)).toBe(1);
    expect(await count('risk_events', adhoc)).toBe(1);
    const stored = await pool.one(
      sql.unsafe`SELECT detection_name, window_earliest, window_latest, status, result_count FROM runs WHERE trigger = 'adhoc'`,
    );
    expect(stored).toMatchObject({
      detection_name: 'AWS ECR Container Upload Outside Business Hours',
      status: 'succeeded',
      result_count: 1,
    });

    // another window is another run
    expect(
      (await hunt([...args.slice(0, 4), '--earliest', '2026-11-18T00:00:00Z', '--latest', '2026-11-18T22:00:00Z'], env))
        .code,
    ).toBe(0);
    expect(await count('runs', sql.fragment`trigger = 'adhoc'`)).toBe(2);

    // --no-store stores nothing
    expect(
      (
        await hunt(
          [...args.slice(0, 4), '--earliest', '2026-11-17T00:00:00Z', '--latest', '2026-11-19T00:00:00Z', '--no-store'],
          env,
        )
      ).code,
    ).toBe(0);
    expect(await count('runs', sql.fragment`trigger = 'adhoc'`)).toBe(2);
  });
});

describe('hunt demo and hunt report risk', () => {
  const now = '2026-11-24T10:30:00Z';
  let firstReport: Report;

  test('the demo stores every window of every shipped detection and summarises the risk', async () => {
    const r = await hunt(['demo', '--now', now, '--days', '7'], env, { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/840 runs stored, \d+ findings, \d+ risk events/);
    expect(await count('runs', sql.fragment`trigger = 'demo'`)).toBe(5 * 7 * 24);
    const rep = await hunt(['report', 'risk', '--json'], env);
    expect(rep.code).toBe(0);
    firstReport = JSON.parse(rep.stdout) as Report;
    const top = firstReport.objects[0];
    expect(top).toMatchObject({
      risk_object: 'contractor-dana',
      risk_object_type: 'user',
      total_score: 140,
      events: 4,
    });
    expect(Object.keys(top ?? {})).toEqual([
      'risk_object',
      'risk_object_type',
      'total_score',
      'events',
      'detections',
      'tactics',
      'techniques',
      'first_time',
      'last_time',
    ]);
    expect(top?.detections).toEqual([
      'AWS ECR Container Scanning Findings Medium',
      'AWS ECR Container Upload Unknown User',
    ]);
    // the demo's risk summary is the same report
    expect(r.stdout).toMatch(/contractor-dana\s+│ user\s+│\s+140 │\s+4 │/);
  }, 300_000);

  test('running the demo again gives the same stored totals', async () => {
    const runs = await count('runs');
    const events = await count('risk_events');
    const r = await hunt(['demo', '--now', now, '--days', '7'], env, { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    expect(await count('runs')).toBe(runs);
    expect(await count('risk_events')).toBe(events);
    const rep = await hunt(['report', 'risk', '--json'], env);
    expect(JSON.parse(rep.stdout)).toEqual(firstReport);
  }, 300_000);

  test('--since and --until bound the report (since inclusive, until exclusive)', async () => {
    const dana = firstReport.objects.find((o) => o.risk_object === 'contractor-dana');
    if (!dana) throw new Error('no contractor-dana');
    const until = await hunt(['report', 'risk', '--json', '--until', dana.last_time], env);
    const before = (JSON.parse(until.stdout) as Report).objects.find((o) => o.risk_object === 'contractor-dana');
    expect(before?.events).toBe(dana.events - 1);
    const since = await hunt(['report', 'risk', '--json', '--since', dana.last_time], env);
    expect((JSON.parse(since.stdout) as Report).objects.find((o) => o.risk_object === 'contractor-dana')).toMatchObject(
      {
        events: 1,
        first_time: dana.last_time,
      },
    );
    const relative = await hunt(['report', 'risk', '--json', '--since', '-1d@d', '--now', now], env);
    expect(relative.code).toBe(0);
    for (const o of (JSON.parse(relative.stdout) as Report).objects)
      expect(Date.parse(o.first_time)).toBeGreaterThanOrEqual(Date.parse('2026-11-23T00:00:00Z'));
  });

  test('without --json: a table', async () => {
    const r = await hunt(['report', 'risk'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/risk_object\s+│ risk_object_type\s+│ total_score/);
  });
});

describe('a database that cannot be reached', () => {
  const unreachable = { DATABASE_URL: 'postgres://hunt:secret-password@127.0.0.1:1/hunt' };
  test('hunt run fails with exit 1 before running anything, naming where it tried', async () => {
    const r = await hunt(['run', 'AWS ECR Container Upload Unknown User', '--lake', join(dir, 'lake')], {
      ...env,
      ...unreachable,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(r.stderr).not.toMatch(/secret-password/);
  });
  test('hunt report risk fails with exit 1', async () => {
    const r = await hunt(['report', 'risk'], { ...env, ...unreachable });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
  });
});

describe('without DATABASE_URL: the embedded Postgres under HUNT_HOME', () => {
  test('hunt migrate and hunt report risk start it, use it and stop it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'hunt-cli-embedded-'));
    // as root the server runs as `postgres`, which must be able to enter HUNT_HOME
    chmodSync(home, 0o755);
    try {
      const e = { HUNT_HOME: home, DATABASE_URL: '' };
      const m = await hunt(['migrate'], e);
      expect(m.stderr).toBe('');
      expect(m.code).toBe(0);
      expect(m.stdout).toMatch(/applied 001_/);
      const again = await hunt(['migrate'], e);
      expect(again.stdout).toMatch(/up to date/);
      const r = await hunt(['report', 'risk', '--json'], e);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ since: null, until: null, objects: [] });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
