/**
 * The Scheduler driven by a ManualClock over a real DuckDB lake and a real Postgres: retries with
 * backoff, permanent failures and their requeue at the next fire time, one failing detection not
 * holding up the others, the concurrency limit, and late-data re-runs replacing the stored run.
 * The only thing between the scheduler and DuckDB is ProbeEngine, which counts queries in flight
 * and fails chosen queries on purpose.
 */
import { DateTime } from 'luxon';
import { sql } from 'slonik';
import { afterAll, beforeAll, beforeEach, describe, expect, onTestFinished, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { SCHEDULE_DEFAULTS, type ScheduleSettings } from '../../src/scheduler/config.js';
import { EngineError } from '../../src/engines/engine.js';
import { importRecords } from '../../src/lake/import.js';
import { silentLogger } from '../../src/log/logger.js';
import { retryDelay } from '../../src/runner/failure.js';
import { prepareRule } from '../../src/translate/prepare.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { claimWindows } from '../../src/store/ledger.js';
import { Scheduler, type ScheduledDetection } from '../../src/scheduler/scheduler.js';
import { ct, iamUser } from '../support/events.js';
import { makeLake, type TestLake } from '../support/hunt.js';
import { clearHistory, count, storePerFile } from '../support/store.js';
import { ProbeEngine } from './probe-engine.js';

const store = storePerFile();
const pool = () => store.db.pool;
const config = loadConfig(undefined, {});
const UNKNOWN_USER = 'AWS ECR Container Upload Unknown User';
const NAMES = [
  UNKNOWN_USER,
  'AWS ECR Container Upload Outside Business Hours',
  'AWS ECR Container Scanning Findings Medium',
  'ASL AWS ECR Container Upload Unknown User',
  'ASL AWS ECR Container Upload Outside Business Hours',
];
const detections: ScheduledDetection[] = NAMES.map((name) => {
  const prepared = prepareRule(name, config, 'duckdb');
  return { prepared, schedule: prepared.detection.schedule };
});
const byName = (name: string): ScheduledDetection =>
  detections.find((d) => d.prepared.detection.name === name) as ScheduledDetection;
const idOf = (name: string): string => byName(name).prepared.detection.id;

const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
// PutImage by users not in aws_ecr_users: one finding per user per window
const push = (time: string, user: string) => ct({ time, who: iamUser(user) });

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({
    cloudtrail: [
      // windows of the fires 10:00 ([08:50, 09:50)) to 16:00 ([14:50, 15:50)) each hold one push
      ...Array.from({ length: 7 }, (_, i) => push(`2026-11-20T${String(9 + i).padStart(2, '0')}:00:00Z`, `user${i}`)),
    ],
  });
});
afterAll(async () => {
  await lake?.close();
});
beforeEach(async () => {
  await clearHistory(pool());
});

const settings = (over: Partial<ScheduleSettings> = {}): ScheduleSettings => ({
  ...SCHEDULE_DEFAULTS,
  leaseMs: 60_000,
  retryDelayMs: 30_000,
  maxRetryDelayMs: 120_000,
  maxAttempts: 3,
  concurrency: 2,
  ...over,
});

function scheduler(
  engine: ProbeEngine,
  clock: ManualClock,
  ds: ScheduledDetection[],
  over: Partial<ScheduleSettings> = {},
) {
  // random() = 1: the backoff is its cap, so due times can be worked out
  return new Scheduler({
    pool: pool(),
    engine,
    detections: ds,
    settings: settings(over),
    zone: 'UTC',
    clock,
    log: silentLogger(),
    random: () => 1,
  });
}

const ledger = (detectionId: string) =>
  pool().any(sql.unsafe`
    SELECT to_char(fire_time AT TIME ZONE 'UTC', 'HH24:MI') AS fire, pass, status, attempts, round_attempts, error_kind, error,
           to_char(due_at AT TIME ZONE 'UTC', 'HH24:MI:SS') AS due
    FROM schedule_windows WHERE detection_id = ${detectionId} ORDER BY fire_time, pass`);

const storedUsers = (detectionId: string) =>
  pool().anyFirst(sql.unsafe`
    SELECT f."row"->>'user' FROM findings f JOIN runs r ON r.id = f.run_id
    WHERE r.detection_id = ${detectionId} ORDER BY r.window_latest, f.ordinal`);

const throttled = () =>
  new EngineError('Athena: ThrottlingException: rate exceeded', { error: { name: 'ThrottlingException' } });
const noTable = () => new EngineError('DuckDB: Catalog Error: Table with name cloudtrail does not exist!');

describe('failures', () => {
  test('transient failures are retried with backoff, then succeed; the run is stored once', async () => {
    const engine = new ProbeEngine(lake.engine);
    const clock = new ManualClock(utc('2026-11-20T10:05:00Z'));
    const s = scheduler(engine, clock, [byName(UNKNOWN_USER)]);
    const id = idOf(UNKNOWN_USER);
    engine.failNext(id, throttled(), throttled());

    const first = await s.pass();
    expect(first).toMatchObject({ planned: 1, retrying: 1, succeeded: 0, failed: 0 });
    // attempt 1 failed: due again after retryDelay(1) = 30s (the cap, with random() = 1)
    expect(retryDelay(1, 30_000, 120_000, () => 1)).toBe(30_000);
    expect(await ledger(id)).toMatchObject([
      { fire: '10:00', status: 'pending', attempts: 1, error_kind: 'transient', due: '10:05:30' },
    ]);

    clock.advance(29_000);
    expect(await s.pass()).toMatchObject({ retrying: 0, succeeded: 0 });
    expect(engine.started).toHaveLength(1);

    clock.advance(1_000);
    expect(await s.pass()).toMatchObject({ retrying: 1 });
    // attempt 2 failed: twice the delay
    expect(await ledger(id)).toMatchObject([{ status: 'pending', attempts: 2, due: '10:06:30' }]);

    clock.advance(60_000);
    expect(await s.pass()).toMatchObject({ succeeded: 1, retrying: 0 });
    expect(await ledger(id)).toMatchObject([{ status: 'succeeded', attempts: 3, error: null, error_kind: null }]);
    expect(await count(pool(), 'runs')).toBe(1);
    expect(await storedUsers(id)).toEqual(['user0']);
  });

  test('a transient failure on every attempt of the round ends failed after max_attempts', async () => {
    const engine = new ProbeEngine(lake.engine);
    const clock = new ManualClock(utc('2026-11-20T10:05:00Z'));
    const s = scheduler(engine, clock, [byName(UNKNOWN_USER)], { maxAttempts: 2 });
    const id = idOf(UNKNOWN_USER);
    engine.failNext(id, throttled(), throttled());
    await s.pass();
    clock.advance(30_000);
    expect(await s.pass()).toMatchObject({ failed: 1, retrying: 0 });
    expect(await ledger(id)).toMatchObject([
      { status: 'failed', attempts: 2, error_kind: 'transient', error: 'Athena: ThrottlingException: rate exceeded' },
    ]);
    expect(await count(pool(), 'runs')).toBe(0);
  });

  test('a permanent failure is recorded failed, not retried; one failing detection does not hold up the others; the next fire requeues it', async () => {
    const engine = new ProbeEngine(lake.engine);
    const clock = new ManualClock(utc('2026-11-20T10:05:00Z'));
    const s = scheduler(engine, clock, detections);
    const id = idOf(UNKNOWN_USER);
    engine.failNext(id, noTable());

    const first = await s.pass();
    // the other four all ran in the same pass
    expect(first).toMatchObject({ planned: 5, succeeded: 4, failed: 1, retrying: 0 });
    expect(await ledger(id)).toMatchObject([
      {
        fire: '10:00',
        status: 'failed',
        attempts: 1,
        error_kind: 'permanent',
        error: expect.stringMatching(/Table with name cloudtrail/),
      },
    ]);
    expect(await count(pool(), 'runs')).toBe(4);

    // no retry within the hour: nothing is due however long we wait before the next fire
    clock.set(utc('2026-11-20T10:59:00Z'));
    expect(await s.pass()).toMatchObject({ succeeded: 0, failed: 0 });

    // the 11:00 fire gives it another round: its 10:00 window runs again (and now succeeds), oldest first
    clock.set(utc('2026-11-20T11:00:10Z'));
    const second = await s.pass();
    expect(second).toMatchObject({ planned: 5, requeued: 1, succeeded: 6, failed: 0 });
    expect(await ledger(id)).toMatchObject([
      { fire: '10:00', status: 'succeeded', attempts: 2, round_attempts: 1, error: null },
      { fire: '11:00', status: 'succeeded', attempts: 1 },
    ]);
    expect(await storedUsers(id)).toEqual(['user0', 'user1']);
  });
});

describe('runners that die', () => {
  test('a window whose runners keep dying is failed after max_attempts takeovers, not taken over forever', async () => {
    const engine = new ProbeEngine(lake.engine);
    const clock = new ManualClock(utc('2026-11-20T10:05:00Z'));
    const id = idOf(UNKNOWN_USER);
    const s = scheduler(engine, clock, [byName(UNKNOWN_USER)], { maxAttempts: 2 });
    await s.plan();
    // two runners claim it in turn and die (their leases, 60s, run out)
    for (const owner of ['dead-1', 'dead-2']) {
      expect(
        await claimWindows(pool(), {
          owner,
          now: clock.now(),
          leaseMs: 60_000,
          limit: 1,
          detections: [{ id, version: byName(UNKNOWN_USER).prepared.detection.version }],
        }),
      ).toHaveLength(1);
      clock.advance(61_000);
    }
    // one more death than max_attempts allows: the next claim records it failed without running it
    expect(await s.drain()).toMatchObject({ failed: 1, succeeded: 0 });
    expect(engine.started).toHaveLength(0);
    expect(await ledger(id)).toMatchObject([
      {
        status: 'failed',
        attempts: 3,
        error_kind: 'permanent',
        error: expect.stringMatching(/started 2 times this round/),
      },
    ]);
    // the next fire time gives it a fresh round, and it runs
    clock.set(utc('2026-11-20T11:00:10Z'));
    expect(await s.pass()).toMatchObject({ requeued: 1, succeeded: 2 });
  });

  test('with max_attempts takeovers it still runs (the 24-hour simulation kills one runner)', async () => {
    const engine = new ProbeEngine(lake.engine);
    const clock = new ManualClock(utc('2026-11-20T10:05:00Z'));
    const id = idOf(UNKNOWN_USER);
    const s = scheduler(engine, clock, [byName(UNKNOWN_USER)], { maxAttempts: 2 });
    await s.plan();
    await claimWindows(pool(), {
      owner: 'dead-1',
      now: clock.now(),
      leaseMs: 60_000,
      limit: 1,
      detections: [{ id, version: byName(UNKNOWN_USER).prepared.detection.version }],
    });
    clock.advance(61_000);
    expect(await s.drain()).toMatchObject({ failed: 0, succeeded: 1 });
  });
});

describe('concurrency', () => {
  test('a backlog of 5 detections x 6 windows runs at most `concurrency` queries at once, and all of them', async () => {
    const engine = new ProbeEngine(lake.engine, 15);
    const clock = new ManualClock(utc('2026-11-20T10:05:00Z'));
    const s = scheduler(engine, clock, detections, { concurrency: 3 });
    await s.pass();
    // down until 16:05: six fires (11:00..16:00) each
    clock.set(utc('2026-11-20T16:05:00Z'));
    const r = await s.pass();
    expect(r).toMatchObject({ planned: 30, succeeded: 30, failed: 0 });
    expect(engine.maxInFlight).toBe(3);
    expect(engine.started).toHaveLength(35);
    expect(await count(pool(), 'runs')).toBe(35);
    // every window of the unknown-user detection found its one push
    expect(await storedUsers(idOf(UNKNOWN_USER))).toEqual([
      'user0',
      'user1',
      'user2',
      'user3',
      'user4',
      'user5',
      'user6',
    ]);
  });

  test('concurrency 1: strictly one at a time', async () => {
    const engine = new ProbeEngine(lake.engine, 5);
    const clock = new ManualClock(utc('2026-11-20T10:05:00Z'));
    const s = scheduler(engine, clock, detections, { concurrency: 1 });
    expect(await s.pass()).toMatchObject({ succeeded: 5 });
    expect(engine.maxInFlight).toBe(1);
  });
});

describe('late data', () => {
  test('rerun_last 1: an event imported after the first run is picked up by pass 1, which replaces the stored run', async () => {
    // a lake of its own: this test adds to it
    const own = await makeLake({
      cloudtrail: [push('2026-11-20T09:00:00Z', 'user0'), push('2026-11-20T10:00:00Z', 'user1')],
    });
    onTestFinished(() => own.close());
    const engine = new ProbeEngine(own.engine);
    const clock = new ManualClock(utc('2026-11-20T10:05:00Z'));
    const s = scheduler(engine, clock, [byName(UNKNOWN_USER)], { rerunLast: 1 });
    const id = idOf(UNKNOWN_USER);
    expect(await s.pass()).toMatchObject({ planned: 2, succeeded: 1 });
    expect(await storedUsers(id)).toEqual(['user0']);
    const [before] = await pool().anyFirst(sql.unsafe`SELECT id FROM runs`);

    // a push at 09:40 (inside [08:50, 09:50)) reaches the lake only now, after the 10-minute lag
    await importRecords(own.dir, { cloudtrail: [push('2026-11-20T09:40:00Z', 'latecomer')], ocsf: [] });

    clock.set(utc('2026-11-20T11:00:05Z'));
    // 11:00: pass 1 of the 10:00 window, pass 0 of the 11:00 window (its pass 1 is due at 12:00)
    expect(await s.pass()).toMatchObject({ planned: 2, succeeded: 2 });
    expect(await ledger(id)).toMatchObject([
      { fire: '10:00', pass: 0, status: 'succeeded' },
      { fire: '10:00', pass: 1, status: 'succeeded' },
      { fire: '11:00', pass: 0, status: 'succeeded' },
      { fire: '11:00', pass: 1, status: 'pending', due: '12:00:00' },
    ]);
    // one run per window: the 10:00 window's run was replaced, now with both pushes
    expect(await count(pool(), 'runs')).toBe(2);
    expect(await pool().anyFirst(sql.unsafe`SELECT id FROM runs WHERE window_latest = '2026-11-20T09:50:00Z'`)).toEqual(
      [before],
    );
    expect(await storedUsers(id)).toEqual(['latecomer', 'user0', 'user1']);
  });
});
