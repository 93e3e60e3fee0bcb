/**
 * Risk incidents (migrations/003): after a run is stored, every incident rule looks at each
 * risk object the run touched, at every risk time the run's events can change — from the run's
 * own risk time up to one rule window later — and opens or extends the object's incident.
 * Looking forward too makes the outcome independent of the order runs are stored in (a
 * backfill, a late-data re-run). Runs in the same transaction as the save; a per (rule, object)
 * advisory lock keeps two runners from opening the same incident twice.
 */
import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { firingSpans, type IncidentRule, type Span } from '../risk/incident-rules.js';
import type { RiskEvent } from '../risk/model.js';
import { utcIso } from './values.js';

export interface IncidentOutcome {
  opened: number;
  updated: number;
}

interface Touched {
  object: string;
  type: string;
  /** epoch ms: the earliest and latest risk time of the run's events for the object */
  from: number;
  to: number;
}

/** The objects the runs' risk events touched, with the span of their risk times. */
export function touchedBy(events: Pick<RiskEvent, 'risk_object' | 'risk_object_type' | 'risk_time'>[]): Touched[] {
  const byKey = new Map<string, Touched>();
  for (const e of events) {
    const key = JSON.stringify([e.risk_object_type, e.risk_object]);
    const t = Date.parse(utcIso(e.risk_time, 'risk_time'));
    const seen = byKey.get(key);
    if (seen) {
      seen.from = Math.min(seen.from, t);
      seen.to = Math.max(seen.to, t);
    } else byKey.set(key, { object: e.risk_object, type: e.risk_object_type, from: t, to: t });
  }
  // a fixed order: locks are always taken in the same order, so two runners cannot deadlock
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
}

const aggregateRow = z.object({ at: z.number(), total_score: z.number(), detections: z.number(), tactics: z.number() });
const overlapping = z.object({ id: z.string(), start_ms: z.number(), end_ms: z.number() });

export async function evaluateIncidents(
  tx: DatabaseTransactionConnection,
  rules: readonly IncidentRule[],
  events: Pick<RiskEvent, 'risk_object' | 'risk_object_type' | 'risk_time'>[],
): Promise<IncidentOutcome> {
  const outcome: IncidentOutcome = { opened: 0, updated: 0 };
  const touched = touchedBy(events);
  for (const rule of rules) {
    for (const t of touched) {
      await tx.query(
        sql.unsafe`SELECT pg_advisory_xact_lock(hashtextextended(${`hunt-incident:${rule.name}|${t.type}|${t.object}`}, 0))`,
      );
      const aggregates = await pointsFor(tx, rule, t);
      for (const span of firingSpans(rule, aggregates)) {
        if (await upsertIncident(tx, rule, t, span)) outcome.opened++;
        else outcome.updated++;
      }
    }
  }
  return outcome;
}

/** The rule's view at each risk time of the object from `from` to one window after `to`. */
async function pointsFor(tx: DatabaseTransactionConnection, rule: IncidentRule, t: Touched) {
  const w = sql.fragment`make_interval(secs => ${rule.windowMs / 1000})`;
  const inWindow = sql.fragment`e.risk_object = ${t.object} AND e.risk_object_type = ${t.type} AND e.risk_time > p.t - ${w} AND e.risk_time <= p.t`;
  const rows = await tx.any(sql.type(aggregateRow)`
    WITH p AS (
      SELECT DISTINCT risk_time AS t FROM risk_events
      WHERE risk_object = ${t.object} AND risk_object_type = ${t.type}
        AND risk_time >= ${new Date(t.from).toISOString()}::timestamptz AND risk_time < ${new Date(t.to).toISOString()}::timestamptz + ${w}
    )
    SELECT (extract(epoch FROM p.t) * 1000)::float8 AS at,
           (SELECT coalesce(sum(e.risk_score), 0)::float8 FROM risk_events e WHERE ${inWindow}) AS total_score,
           (SELECT count(DISTINCT e.detection_id)::int FROM risk_events e WHERE ${inWindow}) AS detections,
           (SELECT count(DISTINCT tactic)::int FROM risk_events e CROSS JOIN LATERAL unnest(e.mitre_tactics) AS tactic WHERE ${inWindow}) AS tactics
    FROM p`);
  return rows.map((r) => ({ at: r.at, totalScore: r.total_score, detections: r.detections, tactics: r.tactics }));
}

/**
 * The object's incident for this rule whose evidence overlaps the span is extended to cover it
 * (several that the span now bridges become one); without one, an incident is opened. Either
 * way its figures are those of all its evidence. Returns true when it opened one.
 */
async function upsertIncident(
  tx: DatabaseTransactionConnection,
  rule: IncidentRule,
  t: Touched,
  span: Span,
): Promise<boolean> {
  const found = await tx.any(sql.type(overlapping)`
    SELECT id::text AS id, (extract(epoch FROM window_start) * 1000)::float8 AS start_ms, (extract(epoch FROM window_end) * 1000)::float8 AS end_ms
    FROM incidents
    WHERE rule = ${rule.name} AND risk_object = ${t.object} AND risk_object_type = ${t.type}
      AND window_start < ${new Date(span.end).toISOString()}::timestamptz AND window_end > ${new Date(span.start).toISOString()}::timestamptz
    ORDER BY created_at, id`);
  const start = new Date(Math.min(span.start, ...found.map((f) => f.start_ms))).toISOString();
  const end = new Date(Math.max(span.end, ...found.map((f) => f.end_ms))).toISOString();
  const [keep, ...merged] = found;
  if (merged.length > 0)
    await tx.query(
      sql.unsafe`DELETE FROM incidents WHERE id = ANY(${sql.array(
        merged.map((m) => m.id),
        'uuid',
      )})`,
    );
  const evidence = sql.fragment`e.risk_object = ${t.object} AND e.risk_object_type = ${t.type}
    AND e.risk_time > ${start}::timestamptz AND e.risk_time <= ${end}::timestamptz`;
  const figures = sql.fragment`
    (SELECT coalesce(sum(e.risk_score), 0) FROM risk_events e WHERE ${evidence}),
    (SELECT count(*)::int FROM risk_events e WHERE ${evidence}),
    (SELECT coalesce(array_agg(DISTINCT e.detection_name ORDER BY e.detection_name), '{}') FROM risk_events e WHERE ${evidence}),
    (SELECT coalesce(array_agg(DISTINCT tactic ORDER BY tactic), '{}') FROM risk_events e CROSS JOIN LATERAL unnest(e.mitre_tactics) AS tactic WHERE ${evidence}),
    (SELECT coalesce(array_agg(DISTINCT technique ORDER BY technique), '{}') FROM risk_events e CROSS JOIN LATERAL unnest(e.mitre_attack_ids) AS technique WHERE ${evidence}),
    (SELECT min(e.risk_time) FROM risk_events e WHERE ${evidence}),
    (SELECT max(e.risk_time) FROM risk_events e WHERE ${evidence})`;
  if (keep) {
    await tx.query(sql.unsafe`
      UPDATE incidents SET window_start = ${start}::timestamptz, window_end = ${end}::timestamptz,
        (total_score, risk_events, detections, tactics, techniques, first_time, last_time) = (SELECT ${figures}),
        updated_at = now()
      WHERE id = ${keep.id}::uuid`);
    return false;
  }
  await tx.query(sql.unsafe`
    INSERT INTO incidents (rule, risk_object, risk_object_type, window_start, window_end,
                           total_score, risk_events, detections, tactics, techniques, first_time, last_time)
    SELECT ${rule.name}, ${t.object}, ${t.type}, ${start}::timestamptz, ${end}::timestamptz, ${figures}`);
  return true;
}

/** Incidents none of whose evidence is stored any more (its runs were deleted or pruned). */
export async function dropUnsupportedIncidents(tx: DatabaseTransactionConnection): Promise<number> {
  const r = await tx.query(sql.unsafe`
    DELETE FROM incidents i WHERE NOT EXISTS (
      SELECT 1 FROM risk_events e
      WHERE e.risk_object = i.risk_object AND e.risk_object_type = i.risk_object_type
        AND e.risk_time > i.window_start AND e.risk_time <= i.window_end)`);
  return r.rowCount;
}
