/**
 * Run history writes. A run is identified by (detection id, version, window): saving it again
 * replaces the run, its findings and its risk events, in one transaction, so readers see the old
 * run or the new one and a crash part-way leaves the old one. Concurrent saves of one identity
 * serialise on the run's row (INSERT … ON CONFLICT DO UPDATE waits for the other's commit).
 */
import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import type { IncidentRule } from '../risk/incident-rules.js';
import type { RiskEvent } from '../risk/model.js';
import { dropUnsupportedIncidents, evaluateIncidents } from './incidents.js';
import type { RunRecord, RunTrigger } from './model.js';
import { pgJson, pgText, utcIso } from './values.js';

export interface SaveHooks {
  /**
   * Test seam: runs inside the transaction once the findings are written, before the risk events
   * and the commit (the crash test looks at the uncommitted rows, then kills its process here).
   */
  afterFindings?: (tx: DatabaseTransactionConnection, runId: string) => void | Promise<void>;
  /** evaluated on the runs' risk events in the same transaction (src/store/incidents.ts) */
  incidentRules?: readonly IncidentRule[];
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

export async function saveRun(pool: DatabasePool, run: RunRecord, hooks: SaveHooks = {}): Promise<SaveResult> {
  // Everything that can be rejected is checked before the transaction starts.
  const checked = checkRun(run);
  return pool.transaction(async (tx) => (await saveChecked(tx, [checked], [run], hooks))[0] as SaveResult);
}

interface CheckedRun {
  head: RunHead;
  events: RiskEventRow[];
}

function checkRun(run: RunRecord): CheckedRun {
  const riskTimes = new Map<string, string>();
  return { head: runHead(run), events: run.riskEvents.map((e, ordinal) => riskEventRow(e, ordinal, riskTimes)) };
}

/** Deletes the runs with this trigger (findings, risk events and incidents resting on them go too); returns how many. */
export async function deleteRuns(pool: DatabasePool, where: { trigger: RunTrigger }): Promise<number> {
  return pool.transaction(async (tx) => {
    const result = await tx.query(sql.unsafe`DELETE FROM runs WHERE trigger = ${where.trigger}`);
    // incidents raised only from those runs' risk events go with them
    await dropUnsupportedIncidents(tx);
    return result.rowCount;
  });
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

const savedMany = z.object({ id: z.string(), replaced: z.boolean(), key: z.string() });

/**
 * saveRun for many runs of distinct identities inside a transaction the caller holds (the ledger
 * stores runs in the transaction that marks their windows done): one INSERT … ON
 * CONFLICT for the runs, then their findings and risk events in batches, instead of several
 * statements per run. Same result as saving them one by one; returns the run ids in input order.
 */
export async function saveRunsIn(
  tx: DatabaseTransactionConnection,
  runs: RunRecord[],
  hooks: SaveHooks = {},
): Promise<SaveResult[]> {
  return saveChecked(tx, runs.map(checkRun), runs, hooks);
}

/**
 * The runs (distinct identities) upserted in one statement; a replaced run loses its old findings
 * and risk events. `xmax <> 0` on a returned row tells an update (the run existed) from a fresh
 * insert — the long-standing Postgres idiom, as RETURNING OLD needs Postgres 18.
 */
async function saveChecked(
  tx: DatabaseTransactionConnection,
  checked: CheckedRun[],
  runs: RunRecord[],
  hooks: SaveHooks,
): Promise<SaveResult[]> {
  if (runs.length === 0) return [];
  const keyOf = (h: { detectionId: string; detectionVersion: number; windowEarliest: string; windowLatest: string }) =>
    `${h.detectionId}|${h.detectionVersion}|${Date.parse(h.windowEarliest)}|${Date.parse(h.windowLatest)}`;
  const heads = checked.map(({ head }, i) => {
    const run = runs[i] as RunRecord;
    return {
      detection_id: head.detectionId,
      detection_version: head.detectionVersion,
      window_earliest: head.windowEarliest,
      window_latest: head.windowLatest,
      detection_name: head.detectionName,
      trigger: head.trigger,
      engine: head.engine,
      status: head.status,
      started_at: head.startedAt,
      finished_at: head.finishedAt,
      sql: head.sql,
      params: run.params,
      warnings: run.warnings,
      error: head.error,
      stats: run.stats,
      result_count: head.resultCount,
      result_columns: head.resultColumns,
    };
  });
  const saved = await tx.any(sql.type(savedMany)`
    INSERT INTO runs (detection_id, detection_version, window_earliest, window_latest, detection_name,
                      trigger, engine, status, started_at, finished_at, sql, params, warnings, error, stats,
                      result_count, result_columns)
    SELECT r.detection_id, r.detection_version, r.window_earliest, r.window_latest, r.detection_name,
           r.trigger, r.engine, r.status, r.started_at, r.finished_at, r.sql, r.params, r.warnings, r.error, r.stats,
           r.result_count, r.result_columns
    FROM jsonb_to_recordset(${pgJson(heads)}::jsonb) AS r(
      detection_id text, detection_version integer, window_earliest timestamptz, window_latest timestamptz, detection_name text,
      trigger text, engine text, status text, started_at timestamptz, finished_at timestamptz, sql text, params jsonb,
      warnings jsonb, error text, stats jsonb, result_count integer, result_columns text[])
    ON CONFLICT ON CONSTRAINT runs_identity DO UPDATE SET
      detection_name = EXCLUDED.detection_name, trigger = EXCLUDED.trigger, engine = EXCLUDED.engine,
      status = EXCLUDED.status, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
      sql = EXCLUDED.sql, params = EXCLUDED.params, warnings = EXCLUDED.warnings, error = EXCLUDED.error,
      stats = EXCLUDED.stats, result_count = EXCLUDED.result_count, result_columns = EXCLUDED.result_columns,
      saved_at = now()
    RETURNING id::text AS id, (xmax <> 0) AS replaced,
      detection_id || '|' || detection_version || '|' || (extract(epoch FROM window_earliest) * 1000)::bigint
        || '|' || (extract(epoch FROM window_latest) * 1000)::bigint AS key`);
  const byKey = new Map(saved.map((s) => [s.key, s]));
  const results = checked.map(({ head }) => {
    const s = byKey.get(keyOf(head));
    if (!s) throw new Error(`saving runs: no row came back for ${keyOf(head)} (two runs with one identity?)`);
    return { runId: s.id, replaced: s.replaced };
  });
  const replaced = results.filter((r) => r.replaced).map((r) => r.runId);
  if (replaced.length > 0) {
    await tx.query(sql.unsafe`DELETE FROM findings WHERE run_id = ANY(${sql.array(replaced, 'uuid')})`);
    await tx.query(sql.unsafe`DELETE FROM risk_events WHERE run_id = ANY(${sql.array(replaced, 'uuid')})`);
  }
  await insertFindings(
    tx,
    runs.flatMap((run, i) =>
      run.results.map((row, ordinal) => ({ run_id: results[i]?.runId as string, ordinal, row })),
    ),
  );
  for (const r of results) await hooks.afterFindings?.(tx, r.runId);
  await insertRiskEvents(
    tx,
    checked.flatMap(({ head, events }, i) =>
      events.map((e) => ({
        ...e,
        run_id: results[i]?.runId as string,
        window_earliest: head.windowEarliest,
        window_latest: head.windowLatest,
      })),
    ),
  );
  if (hooks.incidentRules?.length)
    await evaluateIncidents(
      tx,
      hooks.incidentRules,
      runs.flatMap((r) => r.riskEvents),
    );
  return results;
}

/** Findings rows, in batches of BATCH_ROWS, each batch one jsonb parameter. */
async function insertFindings(
  tx: DatabaseTransactionConnection,
  rows: { run_id: string; ordinal: number; row: unknown }[],
): Promise<void> {
  for (let offset = 0; offset < rows.length; offset += BATCH_ROWS) {
    await tx.query(sql.unsafe`
      INSERT INTO findings (run_id, ordinal, "row")
      SELECT f.run_id, f.ordinal, f."row"
      FROM jsonb_to_recordset(${pgJson(rows.slice(offset, offset + BATCH_ROWS))}::jsonb) AS f(run_id uuid, ordinal integer, "row" jsonb)`);
  }
}

async function insertRiskEvents(
  tx: DatabaseTransactionConnection,
  rows: (RiskEventRow & { run_id: string; window_earliest: string; window_latest: string })[],
): Promise<void> {
  for (let offset = 0; offset < rows.length; offset += BATCH_ROWS) {
    await tx.query(sql.unsafe`
      INSERT INTO risk_events (run_id, ordinal, risk_time, risk_object, risk_object_type, risk_score,
                               risk_message, detection_id, detection_name, detection_version,
                               mitre_attack_ids, mitre_tactics, analytic_stories, threat_objects, window_earliest, window_latest)
      SELECT e.run_id, e.ordinal, e.risk_time, e.risk_object, e.risk_object_type, e.risk_score,
             e.risk_message, e.detection_id, e.detection_name, e.detection_version,
             coalesce(e.mitre_attack_ids, '{}'), coalesce(e.mitre_tactics, '{}'), coalesce(e.analytic_stories, '{}'),
             coalesce(e.threat_objects, '[]'), e.window_earliest, e.window_latest
      FROM jsonb_to_recordset(${pgJson(rows.slice(offset, offset + BATCH_ROWS))}::jsonb) AS e(
        run_id uuid, ordinal integer, risk_time timestamptz, risk_object text, risk_object_type text, risk_score numeric,
        risk_message text, detection_id text, detection_name text, detection_version integer,
        mitre_attack_ids text[], mitre_tactics text[], analytic_stories text[], threat_objects jsonb,
        window_earliest timestamptz, window_latest timestamptz)`);
  }
}
