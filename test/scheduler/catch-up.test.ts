/**
 * Catching up after a long gap, through the real store: a 1-minute cron after 90 days down
 * (about 130,000 fire times) is planned in bounded transactions, windows beyond
 * schedule.catch_up cost one row rather than one per fire time, and a crash between
 * transactions loses and repeats nothing. Transactions are counted from the ledger itself:
 * planned_at is the planning transaction's now(), the same for every row it added.
 */
import { DateTime } from 'luxon';
import { sql, type DatabasePool } from 'slonik';
import { beforeEach, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { SCHEDULE_DEFAULTS, type ScheduleSettings } from '../../src/scheduler/config.js';
import { silentLogger } from '../../src/log/logger.js';
import { prepareRule } from '../../src/translate/prepare.js';
import { ManualClock } from '../../src/scheduler/clock.js';
const PLAN_BATCH = 2000;
import { Scheduler, type ScheduledDetection } from '../../src/scheduler/scheduler.js';
import type { Engine } from '../../src/engines/engine.js';
import { addWindows } from '../../src/store/ledger.js';
import { clearHistory, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;
beforeEach(async () => {
  await clearHistory(pool());
});

const config = loadConfig(undefined, {});
const prepared = prepareRule('AWS ECR Container Upload Unknown User', config, 'duckdb');
// every minute, the minute before last
const detection: ScheduledDetection = {
  prepared,
  schedule: { cron: '* * * * *', earliest: '-2m@m', latest: '-1m@m' },
};
const T0 = DateTime.fromISO('2026-08-01T00:00:00Z', { zone: 'utc' });
const DAYS_DOWN = 90;
// planning never runs anything
const noEngine = {} as Engine;

function scheduler(clock: ManualClock, over: Partial<ScheduleSettings>, p: DatabasePool = pool(), planBatch?: number) {
  return new Scheduler({
    pool: p,
    engine: noEngine,
    detections: [detection],
    settings: { ...SCHEDULE_DEFAULTS, ...over },
    zone: 'UTC',
    clock,
    log: silentLogger(),
    ...(planBatch ? { planBatch } : {}),
  });
}

/** Rows added per planning transaction, oldest first. */
async function transactions(): Promise<number[]> {
  const rows = await pool().anyFirst(
    sql.unsafe`SELECT count(*)::int AS n FROM schedule_windows GROUP BY planned_at ORDER BY planned_at`,
  );
  return rows.map(Number);
}

/** Down for 90 days: planned at T0 (its one fire), then found again 90 days and 30 s later. */
async function downFor90Days(over: Partial<ScheduleSettings>, p?: DatabasePool, planBatch?: number) {
  const clock = new ManualClock(T0.plus({ seconds: 30 }));
  await scheduler(clock, over, p, planBatch).plan();
  clock.set(T0.plus({ days: DAYS_DOWN, seconds: 30 }));
  return { clock, report: await scheduler(clock, over, p, planBatch).plan() };
}

describe('catch-up after 90 days down, 1-minute cron', () => {
  test('beyond schedule.catch_up (24h): one skipped row spans the 128,160 old fire times; the last day is planned', async () => {
    const { report } = await downFor90Days({ catchUpMs: 24 * 3_600_000 });
    expect(report).toMatchObject({ planned: 1440, skipped: 1 });
    const skipped = await pool().one(
      sql.unsafe`SELECT window_earliest, window_latest, error FROM schedule_windows WHERE status = 'skipped'`,
    );
    // fire times T0+1m .. T0+89d (the last one more than 24h old), windows [F-2m, F-1m)
    expect(new Date(skipped.window_earliest as number).toISOString()).toBe('2026-07-31T23:59:00.000Z');
    expect(new Date(skipped.window_latest as number).toISOString()).toBe('2026-10-28T23:59:00.000Z');
    expect(skipped.error).toContain('hunt backfill --from 2026-08-01T00:01:00Z --to 2026-10-29T00:01:00Z');
    expect(skipped.error).toContain('schedule.catch_up (1d)');
    // the pending rows: every fire time of the last 24 hours, once, and they tile
    const pending = await pool().one(
      sql.unsafe`SELECT count(*)::int AS n, count(DISTINCT fire_time)::int AS fires, min(fire_time) AS first, max(fire_time) AS last
                 FROM schedule_windows WHERE status = 'pending' AND fire_time > ${T0.toISO()}::timestamptz`,
    );
    expect(pending.n).toBe(1440);
    expect(pending.fires).toBe(1440);
    expect(new Date(pending.first as number).toISOString()).toBe('2026-10-29T00:01:00.000Z');
    expect(new Date(pending.last as number).toISOString()).toBe('2026-10-30T00:00:00.000Z');
    // the first plan; the skipped span; the day in one batch
    expect(await transactions()).toEqual([1, 1, 1440]);
  }, 120_000);

  test('within schedule.catch_up (8d): its 11,520 fire times planned in transactions of at most PLAN_BATCH', async () => {
    const { report } = await downFor90Days({ catchUpMs: 8 * 86_400_000 });
    expect(report).toMatchObject({ planned: 8 * 1440, skipped: 1 });
    const n = await pool().oneFirst(
      sql.unsafe`SELECT count(DISTINCT fire_time)::int FROM schedule_windows WHERE status = 'pending'`,
    );
    expect(n).toBe(1 + 8 * 1440);
    // the first plan; the skipped span; 5 full batches and the rest
    const txs = await transactions();
    expect(txs).toEqual([1, 1, ...Array(5).fill(PLAN_BATCH), 8 * 1440 - 5 * PLAN_BATCH]);
  }, 120_000);

  test('a crash between batches loses nothing and repeats nothing: the next pass plans the rest', async () => {
    const over = { catchUpMs: 24 * 3_600_000 };
    // the connection dies at the fifth planning transaction (after the first plan, the span, two batches)
    let txs = 0;
    const dying = new Proxy(pool(), {
      get(target, prop, receiver) {
        if (prop === 'transaction')
          return (...args: Parameters<DatabasePool['transaction']>) => {
            if (++txs === 5) throw new Error('write EPIPE');
            return target.transaction(...args);
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    await expect(downFor90Days(over, dying, 500)).rejects.toThrow('write EPIPE');
    expect(await transactions()).toEqual([1, 1, 500, 500]);
    // found again a minute later
    const clock = new ManualClock(T0.plus({ days: DAYS_DOWN, minutes: 1, seconds: 30 }));
    await scheduler(clock, over, pool(), 500).plan();
    const r = await pool().one(
      sql.unsafe`SELECT count(*)::int AS n, count(DISTINCT fire_time)::int AS fires FROM schedule_windows WHERE status = 'pending'`,
    );
    // T0's fire, and every fire time of the last 24 hours plus the new minute, once each
    expect(r).toEqual({ n: 1 + 1441, fires: 1 + 1441 });
  }, 120_000);

  test('a backfill plans its windows in chunked transactions too', async () => {
    const fire = (i: number) => T0.plus({ minutes: i + 1 });
    const rows = Array.from({ length: 4_500 }, (_, i) => ({
      detectionId: 'det-1',
      detectionVersion: 1,
      detectionName: 'Detection One',
      window: { earliest: fire(i).minus({ minutes: 2 }), latest: fire(i).minus({ minutes: 1 }) },
      pass: 0,
      fireTime: fire(i),
      trigger: 'backfill' as const,
      status: 'pending' as const,
      dueAt: T0,
    }));
    expect(await addWindows(pool(), rows)).toEqual({ added: 4_500, skipped: 0 });
    expect(await transactions()).toEqual([2_000, 2_000, 500]);
  });
});
