/**
 * `hunt backfill` and `hunt status` as a user runs them: the real CLI process on a real lake and
 * a real Postgres (DATABASE_URL). Backfill skips what the schedule did, resumes after Ctrl-C, and
 * stores exactly the findings a window-by-window run gives; bad ranges exit 2 naming the flag.
 * Status reports the ledger's numbers after real passes.
 */
import type { DetectionStatus } from '../../src/cli/commands/status.js';
import type { BackfillReport } from '../../src/scheduler/backfill.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { EngineError } from '../../src/engines/engine.js';
import { silentLogger } from '../../src/log/logger.js';
import { prepareRule } from '../../src/translate/prepare.js';
import { runWindow } from '../../src/runner/run-window.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { windowOf } from '../../src/time/window.js';
import { hunt } from '../support/cli.js';
import { ct, iamUser } from '../support/events.js';
import { makeLake, type TestLake } from '../support/hunt.js';
import { clearHistory, storePerFile } from '../support/store.js';
import { ProbeEngine } from './probe-engine.js';

const store = storePerFile();
const pool = () => store.db.pool;
const dir = mkdtempSync(join(tmpdir(), 'hunt-backfill-cli-'));
const RULE = 'AWS ECR Container Upload Unknown User';
const STEM = 'aws_ecr_container_upload_unknown_user';

const configFile = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
// small chunks, so an interrupted backfill has done some and not all
const backfillConfig = configFile(
  'backfill.yaml',
  `schedule:\n  backfill_batch_windows: 2\n  lease: 10s\n  enable_all: false\n  detections:\n    ${STEM}:\n      enabled: true\n`,
);
const statusConfig = configFile(
  'status.yaml',
  `schedule:\n  catch_up: 3h\n  rerun_last: 1\n  lease: 10s\n  enable_all: false\n  detections:\n    ${STEM}:\n      enabled: true\n`,
);

let lake: TestLake;
const env = () => ({ DATABASE_URL: store.url, HUNT_HOME: join(dir, 'home') });
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

beforeAll(async () => {
  // a week of pushes: every hour one by u<h mod 3>, every 5th hour a second one by `night`
  const start = utc('2026-11-13T00:00:00Z');
  const events = Array.from({ length: 8 * 24 }, (_, h) => {
    const t = start.plus({ hours: h, minutes: 7 });
    const list = [ct({ time: t.toISO() as string, who: iamUser(`u${h % 3}`) })];
    if (h % 5 === 0) list.push(ct({ time: t.plus({ minutes: 20 }).toISO() as string, who: iamUser('night') }));
    return list;
  }).flat();
  lake = await makeLake({ cloudtrail: events });
});
afterAll(async () => {
  await lake?.close();
});

describe('hunt backfill', () => {
  const range = ['--from', '2026-11-16T00:00:00Z', '--to', '2026-11-20T00:00:00Z', '--now', '2026-11-20T12:00:00Z'];

  test('skips the window the schedule ran; Ctrl-C after the first chunk, run again, it completes: every window exactly one run, the findings window by window', async () => {
    await clearHistory(pool());
    // the schedule ran the 2026-11-17 06:00 fire: backfill leaves it alone
    const sched = await hunt(
      ['schedule', '--once', '--now', '2026-11-17T06:05:00Z', '--lake', lake.dir, '--config', backfillConfig, '--json'],
      env(),
    );
    expect(sched.code, sched.stderr).toBe(0);
    expect(JSON.parse(sched.stdout)).toMatchObject({ planned: 1, succeeded: 1 });

    // first run: interrupted as soon as it reports its first chunk
    const args = ['backfill', RULE, ...range, '--lake', lake.dir, '--config', backfillConfig, '--json'];
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'hunt.js'), ...args], {
      env: { ...process.env, ...env() },
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (!signalled && /backfill: \d+ windows done/.test(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(signalled, stderr).toBe(true);
    expect(code, stderr).toBe(1);
    const first = JSON.parse(stdout) as BackfillReport;
    // 4 days of hourly fires, one of them done by the schedule
    expect(first).toMatchObject({ windows: 96, alreadyDone: 1, failed: 0, interrupted: true });
    expect(first.succeeded).toBeGreaterThanOrEqual(2);
    expect(first.succeeded).toBeLessThan(95);
    // what was interrupted was given back, not left running
    expect(await pool().oneFirst(sql.unsafe`SELECT count(*)::int FROM schedule_windows WHERE status = 'running'`)).toBe(
      0,
    );

    const second = await hunt(args, env());
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as BackfillReport;
    expect(report).toMatchObject({
      windows: 96,
      alreadyDone: 1 + first.succeeded,
      succeeded: 95 - first.succeeded,
      failed: 0,
      interrupted: false,
    });
    // chunks of 2 tiled windows, one query each (a chunk cut short by the schedule's window may be 1)
    expect(report.batched).toBeGreaterThanOrEqual(report.succeeded - 2);

    // again: nothing left to do
    const third = JSON.parse((await hunt(args, env())).stdout) as BackfillReport;
    expect(third).toMatchObject({ alreadyDone: 96, succeeded: 0, chunks: 0 });

    // every window exactly one run, one ledger row, succeeded
    const runs = await pool().any(sql.unsafe`
      SELECT id, trigger, to_char(window_earliest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS earliest,
             to_char(window_latest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS latest
      FROM runs ORDER BY window_latest`);
    expect(runs).toHaveLength(96);
    expect(new Set(runs.map((r) => r.latest)).size).toBe(96);
    expect(runs.filter((r) => r.trigger === 'schedule').map((r) => r.latest)).toEqual(['2026-11-17T05:50:00Z']);
    expect(await pool().anyFirst(sql.unsafe`SELECT DISTINCT status FROM schedule_windows`)).toEqual(['succeeded']);
    expect(await pool().oneFirst(sql.unsafe`SELECT count(*)::int FROM schedule_windows`)).toBe(96);
    // the windows tile the range: [2026-11-15T22:50, 2026-11-19T22:50) without a gap
    expect(runs[0]?.earliest).toBe('2026-11-15T22:50:00Z');
    expect(runs[95]?.latest).toBe('2026-11-19T22:50:00Z');
    for (let i = 1; i < runs.length; i++) expect(runs[i]?.earliest).toBe(runs[i - 1]?.latest);

    // the stored findings of each window are exactly what running that window alone gives
    const prepared = prepareRule(RULE, loadConfig(backfillConfig, {}), 'duckdb');
    let total = 0;
    for (const r of runs) {
      const alone = await runWindow(lake.engine, prepared, windowOf(r.earliest as string, r.latest as string), 'adhoc');
      const stored = await pool().anyFirst(
        sql.unsafe`SELECT "row" FROM findings WHERE run_id = ${r.id as string} ORDER BY ordinal`,
      );
      expect(stored, `${r.earliest}`).toEqual(alone.results);
      total += stored.length;
    }
    expect(total).toBe(96 + 19); // one push an hour, plus `night` every 5th hour (h = 75, 80, … 165)
    expect(first.findings + report.findings).toBe(total - 1);

    // and what `hunt run` prints for one of them
    const one = await hunt(
      [
        'run',
        RULE,
        '--lake',
        lake.dir,
        '--no-store',
        '--json',
        '--earliest',
        '2026-11-16T07:50:00Z',
        '--latest',
        '2026-11-16T08:50:00Z',
      ],
      env(),
    );
    const stored = await pool().anyFirst(
      sql.unsafe`SELECT "row" FROM findings f JOIN runs r ON r.id = f.run_id WHERE r.window_latest = '2026-11-16T08:50:00Z' ORDER BY ordinal`,
    );
    expect((JSON.parse(one.stdout) as { results: unknown[] }).results).toEqual(stored);
    expect(stored.length).toBe(2);
  });

  test('--all backfills every enabled detection batched: one query per chunk, not one per window', async () => {
    await clearHistory(pool());
    const r = await hunt(
      [
        'backfill',
        '--all',
        '--from',
        '2026-11-19T00:00:00Z',
        '--to',
        '2026-11-20T00:00:00Z',
        '--now',
        '2026-11-20T12:00:00Z',
        '--lake',
        lake.dir,
        '--json',
      ],
      env(),
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as BackfillReport;
    // the five shipped detections, 24 windows each, one chunk (a week) each
    expect(report).toMatchObject({ windows: 120, succeeded: 120, batched: 120, chunks: 5, failed: 0 });
    expect(Number(await pool().oneFirst(sql.unsafe`SELECT count(DISTINCT stats->'batch')::int FROM runs`))).toBe(1);
  });

  const bad = async (args: string[], message: RegExp) => {
    const r = await hunt(['backfill', ...args, '--lake', lake.dir, '--now', '2026-11-20T12:00:00Z'], env());
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  };
  test('--to before --from: exit 2 naming both', () =>
    bad(
      [RULE, '--from', '2026-11-15T00:00:00Z', '--to', '2026-11-14T00:00:00Z'],
      /--from 2026-11-15T00:00:00Z \.\. --to 2026-11-14T00:00:00Z: the range is empty/,
    ));
  test('--to in the future: exit 2 naming --to', () =>
    bad([RULE, '--from', '-2d', '--to', '+1h'], /--to \+1h: 2026-11-20T13:00:00Z is in the future/));
  test('neither RULE nor --all, or both: exit 2', async () => {
    await bad(['--from', '-2d'], /backfill: name one RULE, or give --all/);
    await bad([RULE, '--all', '--from', '-2d'], /backfill: name one RULE, or give --all/);
  });
  test('a bad --from: exit 2 naming the flag', () =>
    bad([RULE, '--from', 'yesterday-ish'], /--from yesterday-ish: invalid time modifier/));
});

interface StatusDoc {
  now: string;
  detections: DetectionStatus[];
}

describe('hunt status --json', () => {
  test('after real passes: last window done, lag, failed, skipped, queue and next fire', async () => {
    await clearHistory(pool());
    const once = (now: string) =>
      hunt(['schedule', '--once', '--now', now, '--lake', lake.dir, '--config', statusConfig, '--json'], env());
    // 06:05: first start runs the 06:00 fire (its late-data pass is due at 07:00)
    expect((await once('2026-11-19T06:05:00Z')).code).toBe(0);
    // down until 11:20, catch-up 3h: 07:00 and 08:00 are skipped; 09:00, 10:00, 11:00 run, and 06:00's pass 1
    const r = await once('2026-11-19T11:20:00Z');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ planned: 4, skipped: 2, succeeded: 4, failed: 0 });
    // 12:05: both runs due (11:00's pass 1, 12:00's pass 0) fail for good on an engine that refuses them
    const config = loadConfig(statusConfig, {});
    const prepared = prepareRule(RULE, config, 'duckdb');
    const engine = new ProbeEngine(lake.engine);
    engine.failNext(
      prepared.detection.id,
      new EngineError('DuckDB: IO Error: no such file'),
      new EngineError('DuckDB: IO Error: no such file'),
    );
    const s = new Scheduler({
      pool: pool(),
      engine,
      detections: [{ prepared, schedule: prepared.detection.schedule }],
      settings: config.schedule,
      zone: 'UTC',
      clock: new ManualClock(utc('2026-11-19T12:05:00Z')),
      log: silentLogger(),
    });
    expect(await s.pass()).toMatchObject({ succeeded: 0, failed: 2 });

    const st = await hunt(['status', '--json', '--now', '2026-11-19T13:30:00Z', '--config', statusConfig], env());
    expect(st.code, st.stderr).toBe(0);
    const doc = JSON.parse(st.stdout) as StatusDoc;
    expect(doc.now).toBe('2026-11-19T13:30:00Z');
    expect(doc.detections).toHaveLength(5);
    const mine = doc.detections.find((d) => d.detection === RULE);
    expect(mine).toEqual({
      detection: RULE,
      id: prepared.detection.id,
      version: prepared.detection.version,
      enabled: true,
      cron: '0 * * * *',
      // the 11:00 fire's window; 12:00's failed
      last_window_done: { earliest: '2026-11-19T09:50:00Z', latest: '2026-11-19T10:50:00Z' },
      lag_seconds: 2 * 3600 + 40 * 60,
      // 06:00 (both passes), 09:00, 10:00, 11:00
      succeeded: 5,
      failed: 2,
      retrying: 0,
      skipped: 2,
      // 12:00's late-data pass, due at 13:00
      queue: 1,
      running: 0,
      next_fire: '2026-11-19T14:00:00Z',
      last_error: 'DuckDB: IO Error: no such file',
    });
    for (const d of doc.detections.filter((x) => x.detection !== RULE)) {
      expect(d).toMatchObject({
        enabled: false,
        last_window_done: null,
        lag_seconds: null,
        succeeded: 0,
        queue: 0,
        next_fire: '2026-11-19T14:00:00Z',
      });
    }

    // the table says the same
    const text = await hunt(['status', '--now', '2026-11-19T13:30:00Z', '--config', statusConfig], env());
    expect(text.code).toBe(0);
    // a cli-table3 box: │ cell │ cell │ …
    const line = text.stdout.split('\n').find((l) => l.includes(`│ ${RULE} `)) ?? '';
    expect(
      line
        .split('│')
        .map((c) => c.trim())
        .filter(Boolean),
    ).toEqual([RULE, 'yes', '2026-11-19T10:50:00Z', '2h40m', '2', '2', '1', '2026-11-19T14:00:00Z']);
  });
});
