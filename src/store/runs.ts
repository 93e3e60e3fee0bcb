import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import type { RunRecord, RunTrigger } from './model.js';

export interface SaveHooks {
  /** test seam: runs inside the transaction after the findings are written */
  afterFindings?: () => Promise<void>;
}

/**
 * Stores a run, its findings and risk events in one transaction. A run is identified by
 * (detection id, version, window): storing it again replaces the old one, never adds a second.
 * A crash before commit leaves the previous state as it was.
 */
export async function saveRun(pool: DatabasePool, run: RunRecord, hooks: SaveHooks = {}): Promise<{ runId: string; replaced: boolean }> {
  return pool.transaction(async (tx) => {
    const head = await tx.one(sql.type(z.object({ id: z.coerce.string(), replaced: z.boolean() }))`
      INSERT INTO runs (detection_id, detection_name, detection_version, window_earliest, window_latest,
                        trigger, engine, status, started_at, finished_at, sql, params, warnings, error, stats, result_count)
      VALUES (${run.detectionId}, ${run.detectionName}, ${run.detectionVersion},
              ${run.windowEarliest}::timestamptz, ${run.windowLatest}::timestamptz,
              ${run.trigger}, ${run.engine}, ${run.status}, ${run.startedAt}::timestamptz, ${run.finishedAt}::timestamptz,
              ${run.sql}, ${sql.jsonb(run.params as never)}, ${sql.jsonb(run.warnings)}, ${run.error ?? null},
              ${sql.jsonb(run.stats as never)}, ${run.results.length})
      ON CONFLICT ON CONSTRAINT runs_identity DO UPDATE SET
        detection_name = EXCLUDED.detection_name, trigger = EXCLUDED.trigger, engine = EXCLUDED.engine,
        status = EXCLUDED.status, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
        sql = EXCLUDED.sql, params = EXCLUDED.params, warnings = EXCLUDED.warnings, error = EXCLUDED.error,
        stats = EXCLUDED.stats, result_count = EXCLUDED.result_count, stored_at = now()
      RETURNING id, (xmax <> 0) AS replaced`);
    await replaceChildren(tx, head.id, run, hooks);
    return { runId: head.id, replaced: head.replaced };
  });
}

async function replaceChildren(tx: DatabaseTransactionConnection, runId: string, run: RunRecord, hooks: SaveHooks): Promise<void> {
  await tx.query(sql.unsafe`DELETE FROM findings WHERE run_id = ${runId}`);
  await tx.query(sql.unsafe`DELETE FROM risk_events WHERE run_id = ${runId}`);
  if (run.results.length > 0) {
    // one statement for any number of rows: the rows travel as one jsonb array
    await tx.query(sql.unsafe`
      INSERT INTO findings (run_id, ordinal, row)
      SELECT ${runId}, t.ordinal, t.value
      FROM jsonb_array_elements(${sql.jsonb(run.results as never)}) WITH ORDINALITY AS t(value, ordinal)`);
  }
  if (hooks.afterFindings) await hooks.afterFindings();
  if (run.riskEvents.length > 0) {
    await tx.query(sql.unsafe`
      INSERT INTO risk_events (run_id, risk_time, risk_object, risk_object_type, risk_score, risk_message,
                               detection_id, detection_name, detection_version, mitre_attack_ids, analytic_stories, threat_objects)
      SELECT ${runId}, e.risk_time, e.risk_object, e.risk_object_type, e.risk_score, e.risk_message,
             e.detection_id, e.detection_name, e.detection_version,
             ARRAY(SELECT jsonb_array_elements_text(e.mitre_attack_ids)),
             ARRAY(SELECT jsonb_array_elements_text(e.analytic_stories)),
             e.threat_objects
      FROM jsonb_to_recordset(${sql.jsonb(run.riskEvents as never)}) AS e(
        risk_time timestamptz, risk_object text, risk_object_type text, risk_score numeric, risk_message text,
        detection_id text, detection_name text, detection_version integer,
        mitre_attack_ids jsonb, analytic_stories jsonb, threat_objects jsonb)`);
  }
}

/** Removes every run with this trigger (the demo replaces its own history). */
export async function deleteRuns(pool: DatabasePool, where: { trigger: RunTrigger }): Promise<number> {
  const r = await pool.query(sql.unsafe`DELETE FROM runs WHERE trigger = ${where.trigger}`);
  return r.rowCount;
}
