/** Reports over the stored history; their SQL lives in sql/reports/*.sql. */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { RiskReportRow } from './model.js';
import { sqlFileText } from './sql-files.js';
import { fileQuery } from './sqltext.js';
import { utcIso } from './values.js';

const riskRow = z.object({
  risk_object: z.string(),
  risk_object_type: z.string(),
  total_score: z.number(),
  events: z.number().int(),
  detections: z.array(z.string()),
  first_time: z.string(),
  last_time: z.string(),
});

const REPORT_WORK_MEM = '64MB';

export interface RiskReportOptions {
  /** ISO 8601, inclusive; no lower bound when absent */
  since?: string;
  /** ISO 8601, exclusive; no upper bound when absent */
  until?: string;
}

/**
 * Risk per (risk_object, risk_object_type) over [since, until): total score, number of risk
 * events, distinct detection names (sorted), first and last risk_time (ISO 8601 UTC); highest
 * total first, then by object.
 */
export async function riskReport(pool: DatabasePool, opts: RiskReportOptions = {}): Promise<RiskReportRow[]> {
  const params = {
    since: opts.since === undefined ? null : utcIso(opts.since, 'since'),
    until: opts.until === undefined ? null : utcIso(opts.until, 'until'),
  };
  const text = await sqlFileText('reports/risk.sql');
  const rows = await pool.transaction(async (tx) => {
    // The grouping sorts every event in range; with the default 4 MB it spills to disk from about
    // 50,000 events on (and takes twice as long). Raised for this transaction only.
    await tx.query(sql.unsafe`SELECT set_config('work_mem', ${REPORT_WORK_MEM}, true)`);
    return tx.any(fileQuery(riskRow, text, params));
  });
  return rows.map((r) => riskRow.parse(r));
}
