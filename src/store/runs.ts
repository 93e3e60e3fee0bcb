/**
 * Run history writes. A run is identified by (detection id, version, window): saving it again
 * replaces the run, its findings and its risk events, in one transaction, so readers see the old
 * run or the new one and a crash part-way leaves the old one. Concurrent saves of one identity
 * serialise on the run's row (INSERT … ON CONFLICT DO UPDATE waits for the other's commit).
 */
import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import type { RiskEvent } from '../risk/model.js';
import type { RunRecord, RunTrigger } from './model.js';
import { pgJson, pgText, utcIso } from './values.js';

export interface SaveHooks {
  /**
   * Test seam: runs inside the transaction once the findings are written, before the risk events
   * and the commit (the crash test looks at the uncommitted rows, then kills its process here).
   */
  afterFindings?: (tx: DatabaseTransactionConnection, runId: string) => void | Promise<void>;
}

export interface SaveResult {
  runId: string;
  /** true when a run with the same identity existed and was replaced */
  replaced: boolean;
}

/**
 * Rows per INSERT. Each batch travels as one jsonb parameter; batching bounds its size (and the
 * server's memory for parsing it) however large a run is.
 */
const BATCH_ROWS = 5_000;

const savedRun = z.object({ id: z.string(), replaced: z.boolean() });

export async function saveRun(pool: DatabasePool, run: RunRecord, hooks: SaveHooks = {}): Promise<SaveResult> {
  // Everything that can be rejected is checked before the transaction starts.
  const checked = checkRun(run);
  return pool.transaction((tx) => saveChecked(tx, checked, run, hooks));
}

/**
 * saveRun inside a transaction the caller holds (the scheduler commits a run together with its
 * ledger row, so a run is stored exactly when its window is marked done).
 */
export async function saveRunIn(tx: DatabaseTransactionConnection, run: RunRecord, hooks: SaveHooks = {}): Promise<SaveResult> {
  return saveChecked(tx, checkRun(run), run, hooks);
}

interface CheckedRun {
  head: RunHead;
  events: RiskEventRow[];
}

function checkRun(run: RunRecord): CheckedRun {
  const riskTimes = new Map<string, string>();
  return { head: runHead(run), events: run.riskEvents.map((e, ordinal) => riskEventRow(e, ordinal, riskTimes)) };
}

async function saveChecked(tx: DatabaseTransactionConnection, { head, events }: CheckedRun, run: RunRecord, hooks: SaveHooks): Promise<SaveResult> {
  const { id, replaced } = savedRun.parse(await upsertRun(tx, head));
  if (replaced) {
    await tx.query(sql.unsafe`DELETE FROM findings WHERE run_id = ${id}`);
    await tx.query(sql.unsafe`DELETE FROM risk_events WHERE run_id = ${id}`);
  }
  for (let offset = 0; offset < run.results.length; offset += BATCH_ROWS) {
    const batch = run.results.slice(offset, offset + BATCH_ROWS);
    await tx.query(sql.unsafe`
      INSERT INTO findings (run_id, ordinal, "row")
      SELECT ${id}::uuid, ${offset}::int + t.n::int - 1, t.value
      FROM jsonb_array_elements(${pgJson(batch)}::jsonb) WITH ORDINALITY AS t(value, n)`);
  }
  await hooks.afterFindings?.(tx, id);
  for (let offset = 0; offset < events.length; offset += BATCH_ROWS) {
    const batch = events.slice(offset, offset + BATCH_ROWS);
    await tx.query(sql.unsafe`
      INSERT INTO risk_events (run_id, ordinal, risk_time, risk_object, risk_object_type, risk_score,
                               risk_message, detection_id, detection_name, detection_version,
                               mitre_attack_ids, analytic_stories, threat_objects)
      SELECT ${id}::uuid, e.ordinal, e.risk_time, e.risk_object, e.risk_object_type, e.risk_score,
             e.risk_message, e.detection_id, e.detection_name, e.detection_version,
             coalesce(e.mitre_attack_ids, '{}'), coalesce(e.analytic_stories, '{}'), coalesce(e.threat_objects, '[]')
      FROM jsonb_to_recordset(${pgJson(batch)}::jsonb) AS e(
        ordinal integer, risk_time timestamptz, risk_object text, risk_object_type text, risk_score numeric,
        risk_message text, detection_id text, detection_name text, detection_version integer,
        mitre_attack_ids text[], analytic_stories text[], threat_objects jsonb)`);
  }
  return { runId: id, replaced };
}

/** Deletes the runs with this trigger (findings and risk events go with them); returns how many. */
export async function deleteRuns(pool: DatabasePool, where: { trigger: RunTrigger }): Promise<number> {
  const result = await pool.query(sql.unsafe`DELETE FROM runs WHERE trigger = ${where.trigger}`);
  return result.rowCount;
}

interface RunHead {
  detectionId: string;
  detectionName: string;
  detectionVersion: number;
  windowEarliest: string;
  windowLatest: string;
  trigger: RunTrigger;
  engine: string;
  status: RunRecord['status'];
  startedAt: string;
  finishedAt: string;
  sql: string;
  params: string;
  warnings: string;
  error: string | null;
  stats: string;
  resultCount: number;
  resultColumns: string[];
}

function runHead(run: RunRecord): RunHead {
  if (!Number.isInteger(run.detectionVersion)) {
    throw new RangeError(`detectionVersion: not an integer: ${run.detectionVersion}`);
  }
  return {
    detectionId: pgText(run.detectionId),
    detectionName: pgText(run.detectionName),
    detectionVersion: run.detectionVersion,
    windowEarliest: utcIso(run.windowEarliest, 'windowEarliest'),
    windowLatest: utcIso(run.windowLatest, 'windowLatest'),
    trigger: run.trigger,
    engine: pgText(run.engine),
    status: run.status,
    startedAt: utcIso(run.startedAt, 'startedAt'),
    finishedAt: utcIso(run.finishedAt, 'finishedAt'),
    sql: pgText(run.sql),
    params: pgJson(run.params),
    warnings: pgJson(run.warnings),
    error: run.error === undefined ? null : pgText(run.error),
    stats: pgJson(run.stats),
    resultCount: run.results.length,
    resultColumns: columnsOf(run.results),
  };
}

/**
 * `xmax <> 0` on the returned row tells an update (the conflict path: the run existed) from a
 * fresh insert — the long-standing Postgres idiom, as RETURNING OLD needs Postgres 18.
 */
function upsertRun(tx: DatabaseTransactionConnection, h: RunHead): Promise<unknown> {
  return tx.one(sql.type(savedRun)`
    INSERT INTO runs (detection_id, detection_version, window_earliest, window_latest, detection_name,
                      trigger, engine, status, started_at, finished_at, sql, params, warnings, error, stats,
                      result_count, result_columns)
    VALUES (${h.detectionId}, ${h.detectionVersion}, ${h.windowEarliest}::timestamptz, ${h.windowLatest}::timestamptz,
            ${h.detectionName}, ${h.trigger}, ${h.engine}, ${h.status},
            ${h.startedAt}::timestamptz, ${h.finishedAt}::timestamptz, ${h.sql},
            ${h.params}::jsonb, ${h.warnings}::jsonb, ${h.error}, ${h.stats}::jsonb,
            ${h.resultCount}, ${sql.array(h.resultColumns, 'text')})
    ON CONFLICT ON CONSTRAINT runs_identity DO UPDATE SET
      detection_name = EXCLUDED.detection_name,
      trigger        = EXCLUDED.trigger,
      engine         = EXCLUDED.engine,
      status         = EXCLUDED.status,
      started_at     = EXCLUDED.started_at,
      finished_at    = EXCLUDED.finished_at,
      sql            = EXCLUDED.sql,
      params         = EXCLUDED.params,
      warnings       = EXCLUDED.warnings,
      error          = EXCLUDED.error,
      stats          = EXCLUDED.stats,
      result_count   = EXCLUDED.result_count,
      result_columns = EXCLUDED.result_columns,
      saved_at       = now()
    RETURNING id::text AS id, (xmax <> 0) AS replaced`);
}

/** Result field names in first-seen order (jsonb keeps no key order). */
function columnsOf(rows: Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen].map(pgText);
}

interface RiskEventRow extends Omit<RiskEvent, 'risk_time'> {
  ordinal: number;
  risk_time: string;
}

function riskEventRow(e: RiskEvent, ordinal: number, times: Map<string, string>): RiskEventRow {
  // A run's events usually share one risk_time (the window end): parse each distinct value once.
  let riskTime = times.get(e.risk_time);
  if (riskTime === undefined) {
    riskTime = utcIso(e.risk_time, `riskEvents[${ordinal}].risk_time`);
    times.set(e.risk_time, riskTime);
  }
  if (typeof e.risk_score !== 'number' || !Number.isFinite(e.risk_score)) {
    throw new RangeError(`riskEvents[${ordinal}].risk_score: not a finite number: ${String(e.risk_score)}`);
  }
  return { ...e, ordinal, risk_time: riskTime };
}
