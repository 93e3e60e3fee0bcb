import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import type { RiskReportRow } from './model.js';
import { sqlFile } from './sql-file.js';

const iso = z.union([z.date(), z.number(), z.string()]).transform((v) => new Date(v).toISOString());

const riskRow = z.object({
  risk_object: z.string(),
  risk_object_type: z.string(),
  total_score: z.coerce.number(),
  events: z.coerce.number(),
  detections: z.array(z.string()),
  first_time: iso,
  last_time: iso,
});

/** Risk per object over [since, until), highest total first (sql/reports/risk.sql). */
export async function riskReport(pool: DatabasePool, opts: { since?: string; until?: string }): Promise<RiskReportRow[]> {
  const rows = await pool.any(sqlFile('reports/risk.sql', riskRow, { since: opts.since ?? null, until: opts.until ?? null }));
  return rows.map((r) => ({ ...r }));
}
