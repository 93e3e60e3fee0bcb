import type { Detection } from '../detections/model.js';
import { tacticsOf } from './attack-tactics.js';
import type { RiskEvent, ThreatObject } from './model.js';

export type ResultRow = Record<string, unknown>;

/** The values of a result field: one for a single value, each for a multivalue field. */
function valuesOf(row: ResultRow, field: string): string[] {
  const v = row[field];
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined && x !== '').map(String);
  return [String(v)];
}

/**
 * `$field$` tokens replaced from the row (multivalue fields joined with ", "). A token whose
 * field the row lacks stays as written, so the gap is visible (hunt lint reports it).
 */
export function riskMessage(template: string, row: ResultRow): string {
  return template.replace(/\$([^$\s]+)\$/g, (token, field: string) => {
    const values = valuesOf(row, field);
    return values.length ? values.join(', ') : token;
  });
}

/**
 * Splunk ES risk-based alerting: every result row gives one risk event per risk object value,
 * with the detection's score, message, threat objects, ATT&CK ids and stories. Pure.
 */
export function riskEvents(detection: Detection, rows: ResultRow[], riskTime: string): RiskEvent[] {
  const out: RiskEvent[] = [];
  const tactics = tacticsOf(detection.mitreAttackIds);
  for (const row of rows) {
    const threats: ThreatObject[] = detection.rba.threatObjects.flatMap((t) =>
      valuesOf(row, t.field).map((value) => ({ value, type: t.type })),
    );
    const message = riskMessage(detection.rba.message, row);
    for (const ro of detection.rba.riskObjects) {
      for (const value of valuesOf(row, ro.field)) {
        out.push({
          risk_object: value,
          risk_object_type: ro.type,
          risk_score: ro.score,
          risk_message: message,
          risk_time: riskTime,
          threat_objects: threats,
          mitre_attack_ids: detection.mitreAttackIds,
          mitre_tactics: tactics,
          analytic_stories: detection.analyticStories,
          detection_id: detection.id,
          detection_name: detection.name,
          detection_version: detection.version,
        });
      }
    }
  }
  return out;
}
