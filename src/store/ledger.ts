/**
 * The schedule's ledger (migrations/002_schedule_ledger.sql): planning windows, claiming them,
 * and recording how each ended. Times that decide what is due or expired come from the caller's
 * clock, never the database's now(), so a test can drive days of schedule in seconds.
 *
 * Exactly once: a runner claims a row (FOR UPDATE SKIP LOCKED: two runners never get the same
 * row) and gets a fencing token (claim_id). It stores its run in the same transaction that marks
 * the row done, and only while the row still carries its token. A runner that crashed leaves a
 * running row whose lease expires; another claims it with a new token, and should the first come
 * back to life its commit finds a foreign token and stores nothing.
 */
import { DateTime } from 'luxon';
import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { isoOf } from '../time/iso.js';
import { windowId, type Window } from '../time/window.js';
import type { RunRecord, RunTrigger } from './model.js';
import { saveRunsIn, type SaveHooks } from './runs.js';
import { pgJson, pgText } from './values.js';

export type LedgerStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
export type LedgerTrigger = Extract<RunTrigger, 'schedule' | 'backfill'>;
export type ErrorKind = 'transient' | 'permanent' | 'skipped';

/** A ledger row's identity: the detection version, its window and the pass over it. */
export interface WindowKey {
  detectionId: string;
  detectionVersion: number;
  window: Window;
  pass: number;
}

export interface PlannedWindow extends WindowKey {
  detectionName: string;
  fireTime: DateTime;
  trigger: LedgerTrigger;
  status: 'pending' | 'skipped';
  dueAt: DateTime;
  error?: string;
}

export interface Claim extends WindowKey {
  claimId: string;
  detectionName: string;
  fireTime: DateTime;
  trigger: LedgerTrigger;
  attempts: number;
  roundAttempts: number;
}

/** A detection version this runner can run: claims are limited to these. */
export interface Runnable {
  id: string;
  version: number;
}

/** The claim was taken over (its lease ran out) or released: nothing was recorded. */
export class LostClaimError extends Error {
  override readonly name = 'LostClaimError';
}

// The edge between Postgres and hunt's times: a timestamptz comes back as a UTC DateTime, and a
// DateTime goes in as isoOf's text (always with Z, so the server's TimeZone never matters).
const time = z
  .union([z.string(), z.number(), z.date()])
  .transform((v) => DateTime.fromMillis(new Date(v).getTime(), { zone: 'utc' }));
const pgTime = (t: DateTime): string => isoOf(t);

const claimRow = z.object({
  detection_id: z.string(),
  detection_version: z.number(),
  window_earliest: time,
  window_latest: time,
  pass: z.number(),
  claim_id: z.string(),
  detection_name: z.string(),
  fire_time: time,
  trigger: z.enum(['schedule', 'backfill']),
  attempts: z.number(),
  round_attempts: z.number(),
});

const toClaim = (r: z.infer<typeof claimRow>): Claim => ({
  detectionId: r.detection_id,
  detectionVersion: r.detection_version,
  window: { earliest: r.window_earliest, latest: r.window_latest },
  pass: r.pass,
  claimId: r.claim_id,
  detectionName: r.detection_name,
  fireTime: r.fire_time,
  trigger: r.trigger,
  attempts: r.attempts,
  roundAttempts: r.round_attempts,
});

/** `(detection, version, window, pass) = (…)` for one row. */
const keyIs = (k: WindowKey) => sql.fragment`
  detection_id = ${k.detectionId} AND detection_version = ${k.detectionVersion}
  AND window_earliest = ${pgTime(k.window.earliest)}::timestamptz
  AND window_latest = ${pgTime(k.window.latest)}::timestamptz AND pass = ${k.pass}`;

/**
 * Plans one detection's windows under a per-detection lock: `decide` gets how far planning had
 * got (undefined the first time) and returns the rows to add and the new high-water mark.
 * Rows that exist already are left as they are, so planning twice (two instances) is harmless.
 */
export async function planDetection(
  pool: DatabasePool,
  detectionId: string,
  decide: (plannedThrough: DateTime | undefined) => { rows: PlannedWindow[]; plannedThrough: DateTime | undefined },
): Promise<{ added: number; skipped: number }> {
  return pool.transaction(async (tx) => {
    await tx.query(sql.unsafe`SELECT pg_advisory_xact_lock(hashtextextended(${`hunt-plan:${detectionId}`}, 0))`);
    const through = await tx.maybeOneFirst(
      sql.type(
        z.object({ t: time }),
      )`SELECT planned_through AS t FROM schedule_state WHERE detection_id = ${detectionId}`,
    );
    const { rows, plannedThrough } = decide(through ?? undefined);
    const added = await insertPlanned(tx, rows);
    if (plannedThrough !== undefined) {
      await tx.query(sql.unsafe`
        INSERT INTO schedule_state (detection_id, planned_through) VALUES (${detectionId}, ${pgTime(plannedThrough)}::timestamptz)
        ON CONFLICT (detection_id) DO UPDATE SET planned_through = greatest(schedule_state.planned_through, EXCLUDED.planned_through), updated_at = now()`);
    }
    return added;
  });
}

/** Rows per statement when adding or requeueing many: a long backfill stays well inside timeouts. */
const CHUNK_ROWS = 2_000;

/**
 * Adds rows that are not there yet (backfill plans without a high-water mark), a chunk per
 * transaction: rows already there are left alone, so a retry after a failed chunk adds the rest.
 */
export async function addWindows(
  pool: DatabasePool,
  rows: PlannedWindow[],
): Promise<{ added: number; skipped: number }> {
  const total = { added: 0, skipped: 0 };
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    const r = await pool.transaction((tx) => insertPlanned(tx, rows.slice(i, i + CHUNK_ROWS)));
    total.added += r.added;
    total.skipped += r.skipped;
  }
  return total;
}

async function insertPlanned(
  tx: DatabaseTransactionConnection,
  rows: PlannedWindow[],
): Promise<{ added: number; skipped: number }> {
  if (rows.length === 0) return { added: 0, skipped: 0 };
  const payload = rows.map((r) => ({
    detection_id: pgText(r.detectionId),
    detection_version: r.detectionVersion,
    window_earliest: pgTime(r.window.earliest),
    window_latest: pgTime(r.window.latest),
    pass: r.pass,
    detection_name: pgText(r.detectionName),
    fire_time: pgTime(r.fireTime),
    trigger: r.trigger,
    status: r.status,
    due_at: pgTime(r.dueAt),
    error: r.error === undefined ? null : pgText(r.error),
    error_kind: r.status === 'skipped' ? 'skipped' : null,
  }));
  const inserted = await tx.any(sql.type(z.object({ status: z.string() }))`
    INSERT INTO schedule_windows (detection_id, detection_version, window_earliest, window_latest, pass, detection_name,
                                  fire_time, trigger, status, due_at, error, error_kind, planned_at)
    SELECT r.detection_id, r.detection_version, r.window_earliest, r.window_latest, r.pass, r.detection_name,
           r.fire_time, r.trigger, r.status, r.due_at, r.error, r.error_kind, now()
    FROM jsonb_to_recordset(${pgJson(payload)}::jsonb) AS r(
      detection_id text, detection_version integer, window_earliest timestamptz, window_latest timestamptz, pass smallint,
      detection_name text, fire_time timestamptz, trigger text, status text, due_at timestamptz, error text, error_kind text)
    ON CONFLICT DO NOTHING
    RETURNING status`);
  return { added: inserted.length, skipped: inserted.filter((r) => r.status === 'skipped').length };
}

/**
 * Puts failed windows whose fire time is at or after `since` back in the queue, due `now`, with a
 * fresh round of attempts: each new fire time gives every recent failure another chance.
 */
export async function requeueFailed(
  pool: DatabasePool,
  detections: Runnable[],
  since: DateTime,
  now: DateTime,
): Promise<number> {
  if (detections.length === 0) return 0;
  const r = await pool.query(sql.unsafe`
    UPDATE schedule_windows SET status = 'pending', due_at = ${pgTime(now)}::timestamptz, round_attempts = 0, updated_at = now()
    WHERE status = 'failed' AND fire_time >= ${pgTime(since)}::timestamptz AND trigger = 'schedule'
      AND (detection_id, detection_version) IN (SELECT * FROM ${runnables(detections)})`);
  return r.rowCount;
}

/**
 * Windows of older versions of these detections still waiting to run: this runner cannot run
 * them (it has only the current version), so they are recorded as skipped, naming why.
 */
export async function supersedeOldVersions(pool: DatabasePool, detections: Runnable[]): Promise<number> {
  if (detections.length === 0) return 0;
  const r = await pool.query(sql.unsafe`
    UPDATE schedule_windows w
    SET status = 'skipped', error_kind = 'skipped', error = 'superseded by version ' || d.version, updated_at = now()
    FROM ${runnables(detections)} AS d(id, version)
    WHERE w.detection_id = d.id AND w.detection_version < d.version AND w.status IN ('pending', 'failed')`);
  return r.rowCount;
}

const runnables = (ds: Runnable[]) =>
  sql.fragment`unnest(${sql.array(
    ds.map((d) => d.id),
    'text',
  )}::text[], ${sql.array(
    ds.map((d) => d.version),
    'int4',
  )}::int[])`;

export interface ClaimOptions {
  owner: string;
  now: DateTime;
  leaseMs: number;
  limit: number;
  detections: Runnable[];
  /** only these rows (backfill claims the windows it planned) */
  keys?: WindowKey[];
}

/**
 * Claims up to `limit` due rows, oldest window first: pending rows due by `now`, and running rows
 * whose lease has run out (their runner died). Rows another runner is claiming right now are
 * skipped, not waited for.
 */
export async function claimWindows(pool: DatabasePool, o: ClaimOptions): Promise<Claim[]> {
  if (o.limit <= 0 || o.detections.length === 0) return [];
  const only = o.keys ? sql.fragment`AND ${keyIn(o.keys)}` : sql.fragment``;
  const now = pgTime(o.now);
  const rows = await pool.any(sql.type(claimRow)`
    WITH due AS (
      SELECT detection_id, detection_version, window_earliest, window_latest, pass
      FROM schedule_windows
      WHERE status IN ('pending', 'running')
        AND ((status = 'pending' AND due_at <= ${now}::timestamptz) OR (status = 'running' AND lease_until < ${now}::timestamptz))
        AND (detection_id, detection_version) IN (SELECT * FROM ${runnables(o.detections)})
        ${only}
      ORDER BY window_latest, pass, detection_id
      LIMIT ${o.limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE schedule_windows w
    SET status = 'running', claimed_by = ${o.owner}, claim_id = gen_random_uuid(),
        lease_until = ${now}::timestamptz + make_interval(secs => ${o.leaseMs / 1000}),
        attempts = w.attempts + 1, round_attempts = w.round_attempts + 1,
        started_at = ${now}::timestamptz, first_started_at = coalesce(w.first_started_at, ${now}::timestamptz),
        updated_at = now()
    FROM due
    WHERE (w.detection_id, w.detection_version, w.window_earliest, w.window_latest, w.pass)
        = (due.detection_id, due.detection_version, due.window_earliest, due.window_latest, due.pass)
    RETURNING w.detection_id, w.detection_version, w.window_earliest, w.window_latest, w.pass, w.claim_id::text AS claim_id,
              w.detection_name, w.fire_time, w.trigger, w.attempts, w.round_attempts`);
  return rows.map(toClaim).sort((a, b) => a.window.latest.toMillis() - b.window.latest.toMillis() || a.pass - b.pass);
}

/** `(key columns) IN (these keys)` */
const keyIn = (
  keys: WindowKey[],
) => sql.fragment`(detection_id, detection_version, window_earliest, window_latest, pass) IN (
  SELECT k.detection_id, k.detection_version, k.window_earliest, k.window_latest, k.pass
  FROM jsonb_to_recordset(${pgJson(keys.map(keyJson))}::jsonb) AS k(
    detection_id text, detection_version integer, window_earliest timestamptz, window_latest timestamptz, pass smallint))`;

const keyJson = (k: WindowKey) => ({
  detection_id: k.detectionId,
  detection_version: k.detectionVersion,
  window_earliest: pgTime(k.window.earliest),
  window_latest: pgTime(k.window.latest),
  pass: k.pass,
});

/** Extends the lease of a claim still held; false when it was lost. */
export async function renewClaim(pool: DatabasePool, c: Claim, now: DateTime, leaseMs: number): Promise<boolean> {
  const r = await pool.query(sql.unsafe`
    UPDATE schedule_windows SET lease_until = ${pgTime(now)}::timestamptz + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
    WHERE ${keyIs(c)} AND claim_id = ${c.claimId}::uuid`);
  return r.rowCount === 1;
}

export interface Outcome {
  now: DateTime;
  durationMs: number;
  stats: Record<string, unknown>;
}

/**
 * Stores the run and marks its row succeeded, in one transaction, while the claim is still held;
 * otherwise LostClaimError and nothing is stored.
 */
export async function completeClaim(
  pool: DatabasePool,
  c: Claim,
  run: RunRecord,
  o: Outcome,
  hooks: SaveHooks = {},
): Promise<{ runId: string }> {
  const { stored } = await completeClaims(pool, [{ claim: c, run, outcome: o }], hooks);
  const runId = stored[0]?.runId;
  if (runId === undefined)
    throw new LostClaimError(
      `${c.detectionName} ${isoOf(c.window.earliest)}..${isoOf(c.window.latest)}: the claim was taken over; not stored`,
    );
  return { runId };
}

/**
 * Records a failure while the claim is held: due again at `retryAt` (a transient error with
 * attempts left), else failed for good (until a later fire time requeues it). Returns false when
 * the claim was lost.
 */
export async function failClaim(
  pool: DatabasePool,
  c: Claim,
  f: Outcome & { error: string; kind: Exclude<ErrorKind, 'skipped'>; retryAt?: DateTime },
): Promise<boolean> {
  const status: LedgerStatus = f.retryAt ? 'pending' : 'failed';
  const r = await pool.query(sql.unsafe`
    UPDATE schedule_windows
    SET status = ${status}, due_at = coalesce(${f.retryAt ? pgTime(f.retryAt) : null}::timestamptz, due_at),
        claimed_by = NULL, claim_id = NULL, lease_until = NULL, finished_at = ${pgTime(f.now)}::timestamptz,
        duration_ms = ${Math.round(f.durationMs)}, stats = ${pgJson(f.stats)}::jsonb,
        error = ${pgText(f.error)}, error_kind = ${f.kind}, updated_at = now()
    WHERE ${keyIs(c)} AND claim_id = ${c.claimId}::uuid`);
  return r.rowCount === 1;
}

/** Gives a claim back untouched (shutdown): due again at once, the interrupted start not counted. */
export async function releaseClaim(pool: DatabasePool, c: Claim): Promise<boolean> {
  const r = await pool.query(sql.unsafe`
    UPDATE schedule_windows
    SET status = 'pending', claimed_by = NULL, claim_id = NULL, lease_until = NULL,
        attempts = greatest(attempts - 1, 0), round_attempts = greatest(round_attempts - 1, 0), updated_at = now()
    WHERE ${keyIs(c)} AND claim_id = ${c.claimId}::uuid`);
  return r.rowCount === 1;
}

const doneRow = z.object({ window_earliest: time, window_latest: time });

/**
 * Windows of this detection version with pass 0 done within `span`: what a backfill skips. Keyed
 * by windowId.
 */
export async function doneWindows(pool: DatabasePool, d: Runnable, span: Window): Promise<Set<string>> {
  const rows = await pool.any(sql.type(doneRow)`
    SELECT window_earliest, window_latest FROM schedule_windows
    WHERE detection_id = ${d.id} AND detection_version = ${d.version} AND pass = 0 AND status = 'succeeded'
      AND window_earliest >= ${pgTime(span.earliest)}::timestamptz AND window_latest <= ${pgTime(span.latest)}::timestamptz`);
  return new Set(rows.map((r) => windowId({ earliest: r.window_earliest, latest: r.window_latest })));
}

/** When the next row becomes claimable (a retry's due time, a lease running out), if any. */
export async function nextDue(pool: DatabasePool, detections: Runnable[]): Promise<DateTime | undefined> {
  if (detections.length === 0) return undefined;
  const t = await pool.oneFirst(sql.type(z.object({ t: time.nullable() }))`
    SELECT min(CASE WHEN status = 'pending' THEN due_at ELSE lease_until END) AS t FROM schedule_windows
    WHERE status IN ('pending', 'running') AND (detection_id, detection_version) IN (SELECT * FROM ${runnables(detections)})`);
  return t ?? undefined;
}

/**
 * Backfill takes over windows the schedule gave up on: failed or skipped rows among these keys go
 * back to pending (due `now`), so the backfill's claim can take them.
 */
export async function requeueKeys(pool: DatabasePool, keys: WindowKey[], now: DateTime): Promise<number> {
  let n = 0;
  for (let i = 0; i < keys.length; i += CHUNK_ROWS) {
    const r = await pool.query(sql.unsafe`
      UPDATE schedule_windows SET status = 'pending', due_at = ${pgTime(now)}::timestamptz, round_attempts = 0, error_kind = NULL, updated_at = now()
      WHERE status IN ('failed', 'skipped')
        AND ${keyIn(keys.slice(i, i + CHUNK_ROWS))}`);
    n += r.rowCount;
  }
  return n;
}

export interface Completion {
  claim: Claim;
  run: RunRecord;
  outcome: Outcome;
}

/**
 * Stores the runs and marks their rows succeeded in one transaction (a backfill chunk: one commit
 * instead of one per window), each only while its claim is still held; the others are returned
 * as `lost`, with nothing stored for them.
 */
export async function completeClaims(
  pool: DatabasePool,
  items: Completion[],
  hooks: SaveHooks = {},
): Promise<{ stored: { claim: Claim; runId: string }[]; lost: Claim[] }> {
  if (items.length === 0) return { stored: [], lost: [] };
  return pool.transaction(async (tx) => {
    const payload = items.map(({ claim, run, outcome }) => ({
      ...keyJson(claim),
      claim_id: claim.claimId,
      finished_at: pgTime(outcome.now),
      duration_ms: Math.round(outcome.durationMs),
      result_count: run.results.length,
      stats: outcome.stats,
    }));
    const held = await tx.anyFirst(sql.type(z.object({ claim_id: z.string() }))`
      UPDATE schedule_windows w
      SET status = 'succeeded', claimed_by = NULL, claim_id = NULL, lease_until = NULL, finished_at = c.finished_at,
          duration_ms = c.duration_ms, result_count = c.result_count, stats = c.stats, error = NULL, error_kind = NULL, updated_at = now()
      FROM jsonb_to_recordset(${pgJson(payload)}::jsonb) AS c(
        detection_id text, detection_version integer, window_earliest timestamptz, window_latest timestamptz, pass smallint,
        claim_id uuid, finished_at timestamptz, duration_ms integer, result_count integer, stats jsonb)
      WHERE (w.detection_id, w.detection_version, w.window_earliest, w.window_latest, w.pass, w.claim_id)
          = (c.detection_id, c.detection_version, c.window_earliest, c.window_latest, c.pass, c.claim_id)
      RETURNING c.claim_id::text AS claim_id`);
    const mine = new Set(held);
    const kept = items.filter((i) => mine.has(i.claim.claimId));
    const saved = await saveRunsIn(
      tx,
      kept.map((i) => i.run),
      hooks,
    );
    const links = kept.map(({ claim }, i) => ({ ...keyJson(claim), run_id: saved[i]?.runId as string }));
    if (links.length > 0) {
      await tx.query(sql.unsafe`
        UPDATE schedule_windows w SET run_id = l.run_id
        FROM jsonb_to_recordset(${pgJson(links)}::jsonb) AS l(
          detection_id text, detection_version integer, window_earliest timestamptz, window_latest timestamptz, pass smallint, run_id uuid)
        WHERE (w.detection_id, w.detection_version, w.window_earliest, w.window_latest, w.pass)
            = (l.detection_id, l.detection_version, l.window_earliest, l.window_latest, l.pass)`);
    }
    return {
      stored: kept.map(({ claim }, i) => ({ claim, runId: saved[i]?.runId as string })),
      lost: items.filter((i) => !mine.has(i.claim.claimId)).map((i) => i.claim),
    };
  });
}
