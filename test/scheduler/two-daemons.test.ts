/**
 * Issue 5's second "done when": two `hunt schedule` daemons (real processes, the built CLI) on
 * one database and one lake, both catching up the same day of windows at the same time. No
 * window may run twice; between them they run every one; SIGTERM stops both with exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'slonik';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hunt } from '../support/cli.js';
import { buildDemoLake, DAY_END, DAY_START } from '../support/schedule-fixture.js';
import { storePerFile } from '../support/store.js';

const store = storePerFile();
let dir: string;
let lake: string;
let config: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hunt-two-daemons-'));
  lake = join(dir, 'lake');
  await buildDemoLake(lake);
  config = join(dir, 'hunt.yaml');
  writeFileSync(config, 'schedule:\n  concurrency: 4\n  lease: 1m\n');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Daemon {
  proc: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

function startDaemon(now: string): Daemon {
  const proc = spawn(
    process.execPath,
    [
      join(process.cwd(), 'bin', 'hunt.js'),
      'schedule',
      '--now',
      now,
      '--lake',
      lake,
      '--config',
      config,
      '--log-format',
      'json',
    ],
    {
      env: { ...process.env, DATABASE_URL: store.url, HUNT_HOME: join(dir, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout?.resume();
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, stderr: () => err, exit };
}

const logLine = z
  .object({ msg: z.string(), detection: z.string().optional(), window: z.string().optional() })
  .passthrough();
const stored = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => logLine.parse(JSON.parse(l)))
    .filter((l) => l.msg === 'run stored')
    .map((l) => `${l.detection}|${l.window}`);

describe('two daemons on one database', () => {
  it('never run a window twice, and between them run them all', async () => {
    const pool = store.db.pool;
    // the schedule starts at the day's first fire time...
    const first = await hunt(
      ['schedule', '--once', '--now', DAY_START.toISO() as string, '--lake', lake, '--config', config],
      {
        DATABASE_URL: store.url,
        HUNT_HOME: join(dir, 'home'),
      },
    );
    expect(first.code, first.stderr).toBe(0);
    const detections = await pool.oneFirst(sql.unsafe`SELECT count(DISTINCT detection_id)::int FROM schedule_windows`);
    expect(detections).toBe(5);

    // ...and both daemons come up a day later: 24 fire times per detection to catch up
    const a = startDaemon(DAY_END.toISO() as string);
    const b = startDaemon(DAY_END.toISO() as string);
    const total = 25 * Number(detections);
    const deadline = Date.now() + 120_000;
    let done = 0;
    while (Date.now() < deadline) {
      done = Number(
        await pool.oneFirst(sql.unsafe`SELECT count(*)::int FROM schedule_windows WHERE status = 'succeeded'`),
      );
      if (done === total) break;
      await sleep(200);
    }
    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    // a daemon that does not stop within 30 s fails the test with what it logged (then is killed)
    const stopped = (d: Daemon) =>
      Promise.race([d.exit, sleep(30_000).then(() => 'still running' as const)]).then((code) => {
        if (code === 'still running') d.proc.kill('SIGKILL');
        return code;
      });
    const codes = await Promise.all([stopped(a), stopped(b)]);
    expect(codes, `${a.stderr().slice(-3000)}\n---\n${b.stderr().slice(-3000)}`).toEqual([0, 0]);
    expect(done, `${a.stderr()}\n${b.stderr()}`).toBe(total);

    // every window started once (attempts count every claim) and has one run
    const ledger = await pool.one(sql.type(z.object({ rows: z.number(), max_attempts: z.number(), runs: z.number() }))`
      SELECT count(*)::int AS rows, max(attempts)::int AS max_attempts, (SELECT count(*)::int FROM runs) AS runs FROM schedule_windows`);
    expect(ledger).toEqual({ rows: total, max_attempts: 1, runs: total });

    // each daemon's own account: disjoint, together the whole day, both did a share
    const byA = stored(a.stderr());
    const byB = stored(b.stderr());
    expect(byA.filter((w) => byB.includes(w))).toEqual([]);
    expect(new Set([...byA, ...byB]).size).toBe(total - Number(detections));
    expect(byA.length + byB.length).toBe(total - Number(detections));
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    // and both shut down through the scheduler, not by being killed
    for (const d of [a, b]) expect(d.stderr()).toContain('stopping: no new claims');
  }, 240_000);
});
