/**
 * The schedule ledger on a real Postgres: claims from two pools never overlap, leases expire and
 * are taken over, a stale owner's results are fenced off, failures and releases count attempts
 * as they should, requeueing and superseding touch only the rows they are meant to, and the
 * status report adds up. All times come from the caller's clock, never the database's.
 */
import { DateTime } from 'luxon';
import { sql, type DatabasePool } from 'slonik';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import {
  addWindows,
  claimWindows,
  completeClaim,
  doneWindows,
  failClaim,
  LostClaimError,
  nextDue,
  planDetection,
  releaseClaim,
  renewClaim,
  requeueFailed,
  requeueKeys,
  supersedeOldVersions,
  type Claim,
  type PlannedWindow,
} from '../../src/store/ledger.js';
import { ledgerStatus } from '../../src/store/schedule-status.js';
import { isoOf, windowId } from '../../src/time/index.js';
import { clearHistory, count, makeRun, storePerFile } from '../support/store.js';

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });

const store = storePerFile();
const pool = () => store.db.pool;
// a second pool on the same database: another instance
let other: Database;
beforeAll(async () => {
  other = await openDatabase({ databaseUrl: store.url, huntHome: '/nonexistent/hunt-home' });
});
afterAll(async () => {
  await other?.close();
});
beforeEach(async () => {
  await clearHistory(pool());
});

const T0 = DateTime.fromISO('2026-11-20T00:00:00Z', { zone: 'utc' });
const tm = (minutes: number): DateTime => T0.plus({ minutes });
const at = (minutes: number): string => isoOf(tm(minutes));
const D1 = { id: 'det-1', version: 1 };

/** Hourly windows i = 0..n-1 of a detection: fire at T0 + (i+1)h, window [F-70m, F-10m). */
function windows(n: number, over: Partial<PlannedWindow> = {}, first = 0): PlannedWindow[] {
  return Array.from({ length: n }, (_, k) => {
    const i = first + k;
    const fire = (i + 1) * 60;
    return {
      detectionId: 'det-1',
      detectionVersion: 1,
      detectionName: 'Detection One',
      window: { earliest: tm(fire - 70), latest: tm(fire - 10) },
      pass: 0,
      fireTime: tm(fire),
      trigger: 'schedule',
      status: 'pending',
      dueAt: tm(fire),
      ...over,
    };
  });
}

const claim = (p: DatabasePool, owner: string, now: string, limit = 10, leaseMs = 30_000) =>
  claimWindows(p, { owner, now: utc(now), leaseMs, limit, detections: [D1] });

const runFor = (c: Claim, tag = 'v1') =>
  makeRun({
    detectionId: c.detectionId,
    detectionVersion: c.detectionVersion,
    windowEarliest: isoOf(c.window.earliest),
    windowLatest: isoOf(c.window.latest),
    trigger: 'schedule',
    findings: 2,
    tag,
  });

const outcome = (now: string) => ({ now: utc(now), durationMs: 12, stats: { engine: 'test' } });

const row = (p: DatabasePool, latest: DateTime, pass = 0) =>
  p.one(sql.unsafe`
    SELECT status, attempts, round_attempts, claimed_by, claim_id::text AS claim_id, error, error_kind, run_id::text AS run_id, result_count,
           to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS due_at,
           to_char(lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS lease_until
    FROM schedule_windows WHERE detection_id = 'det-1' AND window_latest = ${isoOf(latest)}::timestamptz AND pass = ${pass}`);

describe('claims', () => {
  test('many concurrent claimWindows from two pools: every due row claimed exactly once', async () => {
    const rows = windows(300);
    expect(await addWindows(pool(), rows)).toEqual({ added: 300, skipped: 0 });
    const now = at(400 * 60);
    const claimed: Claim[] = [];
    // 16 claimers (8 per pool), each claiming small batches until nothing is left
    const claimer = async (p: DatabasePool, owner: string) => {
      for (;;) {
        const got = await claim(p, owner, now, 7);
        if (got.length === 0) return;
        claimed.push(...got);
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, i) => claimer(i % 2 ? other.pool : pool(), `owner-${i}`)));
    expect(claimed).toHaveLength(300);
    expect(new Set(claimed.map((c) => isoOf(c.window.latest))).size).toBe(300);
    expect(new Set(claimed.map((c) => c.claimId)).size).toBe(300);
    expect(new Set(claimed.map((c) => isoOf(c.window.latest)))).toEqual(
      new Set(rows.map((r) => isoOf(r.window.latest))),
    );
    // both pools really competed
    const owners = await pool().anyFirst(sql.unsafe`SELECT DISTINCT claimed_by FROM schedule_windows`);
    expect(owners.length).toBeGreaterThan(2);
    expect(
      await pool().oneFirst(
        sql.unsafe`SELECT count(*)::int FROM schedule_windows WHERE status = 'running' AND attempts = 1`,
      ),
    ).toBe(300);
  });

  test('oldest window first; rows not yet due, and other detections, are not claimed', async () => {
    await addWindows(pool(), [...windows(5), ...windows(2, { detectionId: 'det-2' })]);
    // at T0+3h30: fires 1h, 2h, 3h are due (due_at = fire time)
    const got = await claim(pool(), 'a', at(210));
    expect(got.map((c) => isoOf(c.fireTime))).toEqual([at(60), at(120), at(180)]);
    expect(got.every((c) => c.detectionId === 'det-1' && c.attempts === 1 && c.roundAttempts === 1)).toBe(true);
    expect(await claim(pool(), 'b', at(210))).toEqual([]);
  });

  test('an expired lease is taken over; the stale owner can neither store, fail, renew nor release it', async () => {
    await addWindows(pool(), windows(1));
    const [a] = await claim(pool(), 'owner-a', at(60), 10, 30_000);
    expect(a).toBeDefined();
    const stale = a as Claim;
    // within the lease: nobody else gets it, and the owner can renew
    expect(await claim(other.pool, 'owner-b', at(60.4))).toEqual([]);
    expect(await renewClaim(pool(), stale, tm(60.25), 30_000)).toBe(true); // lease now to 60:45
    expect(await claim(other.pool, 'owner-b', at(60.7))).toEqual([]);
    // past it: owner B takes over, with a new fencing token, the attempt counted
    const [b] = await claim(other.pool, 'owner-b', at(61));
    expect(b?.claimId).toBeDefined();
    expect(b?.claimId).not.toBe(stale.claimId);
    expect(b?.attempts).toBe(2);
    expect(await row(pool(), stale.window.latest)).toMatchObject({
      status: 'running',
      claimed_by: 'owner-b',
      lease_until: '2026-11-20T01:01:30Z',
    });

    // A comes back to life: its commit finds a foreign token and stores nothing
    await expect(completeClaim(pool(), stale, runFor(stale, 'stale'), outcome(at(62)))).rejects.toBeInstanceOf(
      LostClaimError,
    );
    expect(await count(pool(), 'runs')).toBe(0);
    expect(await count(pool(), 'findings')).toBe(0);
    expect(await failClaim(pool(), stale, { ...outcome(at(62)), error: 'x', kind: 'permanent' })).toBe(false);
    expect(await renewClaim(pool(), stale, tm(62), 30_000)).toBe(false);
    expect(await releaseClaim(pool(), stale)).toBe(false);
    expect(await row(pool(), stale.window.latest)).toMatchObject({
      status: 'running',
      claimed_by: 'owner-b',
      attempts: 2,
      error: null,
    });

    // B's result is the one stored, with the ledger row pointing at it
    const { runId } = await completeClaim(other.pool, b as Claim, runFor(b as Claim, 'b'), outcome(at(62)));
    expect(await count(pool(), 'runs')).toBe(1);
    expect(await pool().anyFirst(sql.unsafe`SELECT DISTINCT "row"->>'tag' FROM findings`)).toEqual(['b']);
    expect(await row(pool(), stale.window.latest)).toMatchObject({
      status: 'succeeded',
      claim_id: null,
      claimed_by: null,
      run_id: runId,
      result_count: 2,
    });
    // done rows are never claimed again
    expect(await claim(pool(), 'owner-c', at(600))).toEqual([]);
  });

  test('failClaim with retryAt: pending, its error kept, not claimable before retryAt, claimable at it', async () => {
    await addWindows(pool(), windows(1));
    const [c] = await claim(pool(), 'a', at(60));
    expect(
      await failClaim(pool(), c as Claim, {
        ...outcome(at(61)),
        error: 'Athena throttled',
        kind: 'transient',
        retryAt: tm(65),
      }),
    ).toBe(true);
    expect(await row(pool(), (c as Claim).window.latest)).toMatchObject({
      status: 'pending',
      due_at: '2026-11-20T01:05:00Z',
      error: 'Athena throttled',
      error_kind: 'transient',
      attempts: 1,
      round_attempts: 1,
      claim_id: null,
    });
    expect((await nextDue(pool(), [D1]))?.toISO()).toBe('2026-11-20T01:05:00.000Z');
    expect(await claim(pool(), 'a', at(64.9))).toEqual([]);
    const [again] = await claim(pool(), 'a', at(65));
    expect(again).toMatchObject({ attempts: 2, roundAttempts: 2 });
    // without retryAt: failed for good (until requeued), due time untouched
    expect(
      await failClaim(pool(), again as Claim, { ...outcome(at(66)), error: 'no such table', kind: 'permanent' }),
    ).toBe(true);
    expect(await row(pool(), (c as Claim).window.latest)).toMatchObject({
      status: 'failed',
      error_kind: 'permanent',
      error: 'no such table',
      due_at: '2026-11-20T01:05:00Z',
    });
    expect(await claim(pool(), 'a', at(600))).toEqual([]);
    expect(await nextDue(pool(), [D1])).toBeUndefined();
  });

  test('releaseClaim gives the row back due at once with the interrupted start not counted', async () => {
    await addWindows(pool(), windows(1));
    const [first] = await claim(pool(), 'a', at(60));
    await failClaim(pool(), first as Claim, {
      ...outcome(at(61)),
      error: 'timeout',
      kind: 'transient',
      retryAt: tm(62),
    });
    const [second] = await claim(pool(), 'a', at(62));
    expect(second).toMatchObject({ attempts: 2, roundAttempts: 2 });
    expect(await releaseClaim(pool(), second as Claim)).toBe(true);
    expect(await row(pool(), (second as Claim).window.latest)).toMatchObject({
      status: 'pending',
      attempts: 1,
      round_attempts: 1,
      claim_id: null,
      claimed_by: null,
      lease_until: null,
    });
    // another runner can take it right away
    expect(await claim(other.pool, 'b', at(62))).toHaveLength(1);
  });
});

describe('planning and requeueing', () => {
  test('planDetection from two pools at once: each row added once, the mark only moves forward', async () => {
    const decide = (through: DateTime | undefined) => ({ rows: windows(10), plannedThrough: through ?? tm(600) });
    const results = await Promise.all([
      planDetection(pool(), 'det-1', decide),
      planDetection(other.pool, 'det-1', decide),
    ]);
    expect(results.map((r) => r.added).sort()).toEqual([0, 10]);
    expect(await pool().oneFirst(sql.unsafe`SELECT count(*)::int FROM schedule_windows`)).toBe(10);
    await planDetection(pool(), 'det-1', () => ({ rows: [], plannedThrough: tm(60) }));
    let seen: DateTime | undefined;
    await planDetection(pool(), 'det-1', (through) => {
      seen = through;
      return { rows: [], plannedThrough: undefined };
    });
    expect(seen?.toISO()).toBe('2026-11-20T10:00:00.000Z');
  });

  test('requeueFailed: only failed schedule rows with fire time since the cutoff, of these detections, due now with a fresh round', async () => {
    await addWindows(pool(), [
      ...windows(6),
      ...windows(2, { trigger: 'backfill' }, 6),
      ...windows(1, { detectionId: 'det-2' }),
    ]);
    await pool().query(
      sql.unsafe`UPDATE schedule_windows SET status = 'failed', error = 'boom', error_kind = 'permanent', attempts = 3, round_attempts = 3`,
    );
    // keep one succeeded: never requeued
    await pool().query(
      sql.unsafe`UPDATE schedule_windows SET status = 'succeeded' WHERE detection_id = 'det-1' AND fire_time = ${at(360)}::timestamptz`,
    );
    // cutoff: fire times from T0+3h on (windows 2..5 of det-1; 5 is succeeded)
    const n = await requeueFailed(pool(), [D1], tm(180), tm(500));
    expect(n).toBe(3);
    const states = await pool().any(sql.unsafe`
      SELECT to_char(fire_time AT TIME ZONE 'UTC', 'HH24:MI') AS fire, detection_id, trigger, status, round_attempts, attempts,
             to_char(due_at AT TIME ZONE 'UTC', 'HH24:MI') AS due
      FROM schedule_windows ORDER BY detection_id, fire_time`);
    expect(states.map((s) => [s.detection_id, s.fire, s.trigger, s.status, s.round_attempts])).toEqual([
      ['det-1', '01:00', 'schedule', 'failed', 3],
      ['det-1', '02:00', 'schedule', 'failed', 3],
      ['det-1', '03:00', 'schedule', 'pending', 0],
      ['det-1', '04:00', 'schedule', 'pending', 0],
      ['det-1', '05:00', 'schedule', 'pending', 0],
      ['det-1', '06:00', 'schedule', 'succeeded', 3],
      ['det-1', '07:00', 'backfill', 'failed', 3],
      ['det-1', '08:00', 'backfill', 'failed', 3],
      ['det-2', '01:00', 'schedule', 'failed', 3],
    ]);
    // attempts over the row's life are kept; due now
    expect(states.filter((s) => s.status === 'pending').every((s) => s.attempts === 3 && s.due === '08:20')).toBe(true);
  });

  test('supersedeOldVersions: pending and failed rows of older versions are skipped naming the version; the rest untouched', async () => {
    await addWindows(pool(), [
      ...windows(3),
      ...windows(3, { detectionVersion: 2 }),
      ...windows(1, { detectionId: 'det-2' }),
    ]);
    await pool().query(
      sql.unsafe`UPDATE schedule_windows SET status = 'succeeded' WHERE detection_version = 1 AND fire_time = ${at(60)}::timestamptz AND detection_id = 'det-1'`,
    );
    await pool().query(
      sql.unsafe`UPDATE schedule_windows SET status = 'failed' WHERE detection_version = 1 AND fire_time = ${at(120)}::timestamptz`,
    );
    expect(await supersedeOldVersions(pool(), [{ id: 'det-1', version: 2 }])).toBe(2);
    const v1 = await pool().any(
      sql.unsafe`SELECT status, error, error_kind FROM schedule_windows WHERE detection_id = 'det-1' AND detection_version = 1 ORDER BY fire_time`,
    );
    expect(v1).toEqual([
      { status: 'succeeded', error: null, error_kind: null },
      { status: 'skipped', error: 'superseded by version 2', error_kind: 'skipped' },
      { status: 'skipped', error: 'superseded by version 2', error_kind: 'skipped' },
    ]);
    expect(
      await pool().anyFirst(
        sql.unsafe`SELECT DISTINCT status FROM schedule_windows WHERE detection_version = 2 OR detection_id = 'det-2'`,
      ),
    ).toEqual(['pending']);
  });

  test('doneWindows and requeueKeys (backfill): done pass-0 windows in range; failed and skipped rows back to pending', async () => {
    const rows = windows(4);
    await addWindows(pool(), [...rows, ...windows(1, { pass: 1 }, 3)]);
    await pool().query(
      sql.unsafe`UPDATE schedule_windows SET status = 'succeeded' WHERE fire_time IN (${at(60)}::timestamptz, ${at(240)}::timestamptz)`,
    );
    await pool().query(
      sql.unsafe`UPDATE schedule_windows SET status = 'failed', error_kind = 'permanent' WHERE fire_time = ${at(120)}::timestamptz`,
    );
    await pool().query(
      sql.unsafe`UPDATE schedule_windows SET status = 'skipped', error_kind = 'skipped' WHERE fire_time = ${at(180)}::timestamptz`,
    );
    const done = await doneWindows(pool(), D1, { earliest: tm(-10), latest: tm(230) });
    expect([...done]).toEqual([
      windowId({ earliest: tm(-10), latest: tm(50) }),
      windowId({ earliest: tm(170), latest: tm(230) }),
    ]);
    expect(await requeueKeys(pool(), rows, tm(900))).toBe(2);
    expect(
      await pool().anyFirst(sql.unsafe`SELECT status FROM schedule_windows WHERE pass = 0 ORDER BY fire_time`),
    ).toEqual(['succeeded', 'pending', 'pending', 'succeeded']);
  });
});

describe('status report', () => {
  test('per detection version: last window done, succeeded, failed, retrying, skipped, queue, running, last error', async () => {
    await addWindows(pool(), [
      ...windows(8),
      ...windows(2, { status: 'skipped', error: 'not run: beyond schedule.catch_up' }, 8),
      ...windows(1, { detectionId: 'det-2', detectionName: 'Detection Two' }),
    ]);
    const now = at(11 * 60);
    // 0, 1, 2 succeed; 3 fails for good; 4 waits for a retry (due later); 5 running; 6, 7 queued
    for (let i = 0; i < 3; i++) {
      const [c] = await claim(pool(), 'a', now, 1);
      await completeClaim(pool(), c as Claim, runFor(c as Claim), outcome(now));
    }
    const [f] = await claim(pool(), 'a', now, 1);
    await failClaim(pool(), f as Claim, { ...outcome(now), error: 'no such table: cloudtrail', kind: 'permanent' });
    const [r] = await claim(pool(), 'a', now, 1);
    await failClaim(pool(), r as Claim, {
      ...outcome(at(11 * 60 + 1)),
      error: 'throttled',
      kind: 'transient',
      retryAt: tm(12 * 60),
    });
    await claim(pool(), 'a', now, 1);
    const status = await ledgerStatus(pool(), utc(now));
    expect(status).toEqual([
      {
        detection_id: 'det-1',
        detection_version: 1,
        detection_name: 'Detection One',
        // window 2: fire T0+3h, [01:50, 02:50)
        last_done_earliest: '2026-11-20T01:50:00Z',
        last_done_latest: '2026-11-20T02:50:00Z',
        succeeded: 3,
        failed: 1,
        retrying: 1,
        // the two skipped rows (fires 09:00, 10:00) are not due work
        skipped: 2,
        queue: 2,
        running: 1,
        last_error: 'throttled',
      },
      {
        detection_id: 'det-2',
        detection_version: 1,
        detection_name: 'Detection Two',
        last_done_earliest: null,
        last_done_latest: null,
        succeeded: 0,
        failed: 0,
        retrying: 0,
        skipped: 0,
        queue: 1,
        running: 0,
        last_error: null,
      },
    ]);
    // once the lease has run out, the running row counts as queue again (it is claimable)
    const later = await ledgerStatus(pool(), tm(11 * 60 + 5));
    expect(later[0]).toMatchObject({ running: 0, queue: 3 });
  });
});
