/**
 * Issue 5's first "done when": 24 hours of hourly ticks, the daemon down for 5 of them and
 * killed once mid-run, and still every window ran exactly once with the findings a clean run
 * gives. Real DuckDB over a lake of demo traffic, real Postgres, the real scheduler with a
 * clock the test sets; the kill is a real SIGKILL of a child process inside the transaction
 * that stores a run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'slonik';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { silentLogger } from '../../src/log/logger.js';
import { runWindow } from '../../src/runner/run-window.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { Scheduler, type ScheduledDetection } from '../../src/scheduler/scheduler.js';
import { resolveWindow } from '../../src/time/index.js';
import { buildDemoLake, DAY_START, shippedScheduled, testSettings } from '../support/schedule-fixture.js';
import { storePerFile } from '../support/store.js';

const store = storePerFile();
const child = fileURLToPath(new URL('../support/schedule-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
let lakeDir: string;
let engine: DuckdbEngine;
let detections: ScheduledDetection[];

beforeAll(async () => {
  lakeDir = mkdtempSync(join(tmpdir(), 'hunt-sched-lake-'));
  await buildDemoLake(lakeDir);
  engine = await DuckdbEngine.open(lakeDir);
  detections = shippedScheduled();
}, 120_000);

afterAll(async () => {
  await engine?.close();
  rmSync(lakeDir, { recursive: true, force: true });
});

function runChild(env: Record<string, string>): Promise<{ signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (_code, signal) => resolve({ signal, out, err }));
  });
}

const iso = (v: unknown): string => new Date(v as number).toISOString().replace('.000Z', 'Z');
const storedRun = z.object({
  detection_id: z.string(),
  window_earliest: z.number(),
  window_latest: z.number(),
  trigger: z.string(),
  findings: z.array(z.record(z.unknown())),
  risk_events: z.number(),
});

describe('a day of hourly ticks with downtime and a kill', () => {
  it('runs every window exactly once, with the findings of a clean run', async () => {
    const pool = store.db.pool;
    const fires = Array.from({ length: 24 }, (_, h) => DAY_START.plus({ hours: h }));

    // the clean run: every window of the day, one after the other
    const expected = new Map<string, { findings: Record<string, unknown>[]; riskEvents: number }>();
    for (const d of detections) {
      for (const fire of fires) {
        const w = resolveWindow(d.schedule.earliest, d.schedule.latest, { now: fire, zone: 'UTC' });
        const run = await runWindow(engine, d.prepared, w, 'adhoc');
        expect(run.status, run.error).toBe('succeeded');
        expected.set(`${d.prepared.detection.id}|${run.windowEarliest}`, {
          findings: run.results,
          riskEvents: run.riskEvents.length,
        });
      }
    }
    // not vacuous: the day's traffic makes detections fire in many windows
    const firing = [...expected.values()].filter((e) => e.findings.length > 0).length;
    expect(firing).toBeGreaterThanOrEqual(10);

    const clock = new ManualClock(DAY_START);
    const life = (): Scheduler =>
      new Scheduler({ pool, engine, detections, settings: testSettings(), zone: 'UTC', clock, log: silentLogger() });
    // ticks come late by a varying amount: windows still come from the scheduled fire time
    const tickAt = (h: number) => DAY_START.plus({ hours: h, seconds: (h * 37) % 240 });
    const ticks = async (s: Scheduler, from: number, to: number): Promise<void> => {
      for (let h = from; h <= to; h++) {
        clock.set(tickAt(h));
        const r = await s.pass();
        expect(r.failed + r.skipped, `hour ${h}`).toBe(0);
      }
    };

    await ticks(life(), 0, 7);
    // down for hours 8 to 12; back at 13, it catches up the five missed fire times first
    const back = life();
    clock.set(tickAt(13));
    const catchUp = await back.pass();
    expect(catchUp.planned).toBe(6 * detections.length);
    expect(catchUp.succeeded).toBe(6 * detections.length);
    await ticks(back, 14, 17);

    // hour 18 runs in a child that is killed inside the transaction storing its third run
    const killed = await runChild({
      DATABASE_URL: store.url,
      LAKE: lakeDir,
      NOW: tickAt(18).toISO() as string,
      KILL_AT: '3',
    });
    expect(killed.signal, killed.err).toBe('SIGKILL');
    expect(killed.out).toContain('killing myself in run 3');
    const states = await pool.anyFirst(sql.type(z.object({ status: z.string() }))`
      SELECT status FROM schedule_windows WHERE fire_time = ${tickAt(18).startOf('hour').toISO() as string}::timestamptz ORDER BY status`);
    // two stored, the killed one still claimed by the dead process, two never started
    expect(states).toEqual(['pending', 'pending', 'running', 'succeeded', 'succeeded']);

    // a new life 20 minutes later: the dead claim's lease (5 min) has run out and is taken over
    const after = life();
    clock.set(tickAt(18).plus({ minutes: 20 }));
    expect((await after.pass()).succeeded).toBe(3);
    await ticks(after, 19, 23);

    // the ledger: one row per detection and fire time, all done; one extra start, the killed one
    const ledger = await pool.one(sql.type(
      z.object({ rows: z.number(), done: z.number(), attempts: z.number(), retried: z.number() }),
    )`
      SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'succeeded' AND pass = 0)::int AS done,
             sum(attempts)::int AS attempts, count(*) FILTER (WHERE attempts = 2)::int AS retried
      FROM schedule_windows`);
    expect(ledger).toEqual({
      rows: 24 * detections.length,
      done: 24 * detections.length,
      attempts: 24 * detections.length + 1,
      retried: 1,
    });

    // the runs: exactly the clean run's windows, each once, with its findings
    const runs = (
      await pool.any(sql.type(storedRun)`
        SELECT r.detection_id, r.window_earliest, r.window_latest, r.trigger,
               coalesce((SELECT jsonb_agg(f."row" ORDER BY f.ordinal) FROM findings f WHERE f.run_id = r.id), '[]') AS findings,
               (SELECT count(*)::int FROM risk_events e WHERE e.run_id = r.id) AS risk_events
        FROM runs r ORDER BY r.detection_id, r.window_earliest`)
    ).map((r) => storedRun.parse(r));
    expect(runs).toHaveLength(expected.size);
    const got = new Map(
      runs.map((r) => [
        `${r.detection_id}|${iso(r.window_earliest)}`,
        { findings: r.findings, riskEvents: r.risk_events },
      ]),
    );
    expect(got).toEqual(expected);
    expect(new Set(runs.map((r) => r.trigger))).toEqual(new Set(['schedule']));

    // and the windows tile the day: each starts where the previous one ended
    for (const d of detections) {
      const mine = runs.filter((r) => r.detection_id === d.prepared.detection.id);
      for (let i = 1; i < mine.length; i++) expect(mine[i]?.window_earliest).toBe(mine[i - 1]?.window_latest);
      expect(iso(mine[0]?.window_earliest)).toBe(
        DAY_START.minus({ minutes: 70 }).toISO({ suppressMilliseconds: true }),
      );
    }
  }, 240_000);
});
