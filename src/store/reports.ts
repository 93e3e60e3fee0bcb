/** Reports over the stored history; their SQL lives in sql/reports/*.sql. */
import { sql, type DatabasePool, type PrimitiveValueExpression } from 'slonik';
import { z, type ZodTypeAny } from 'zod';
import type { RiskReportRow } from './model.js';
import { sqlFileText } from './sql-files.js';
import { fileQuery } from './sqltext.js';
import { utcIso } from './values.js';

const REPORT_WORK_MEM = '64MB';

/** The object types ESCU risk objects have (rba.risk_objects[].type). */
export const RISK_OBJECT_TYPES = ['user', 'system', 'other'] as const;
export type RiskObjectType = (typeof RISK_OBJECT_TYPES)[number];

export interface TimeRange {
  /** ISO 8601, inclusive; no lower bound when absent */
  since?: string | undefined;
  /** ISO 8601, exclusive; no upper bound when absent */
  until?: string | undefined;
}

/** The range as query parameters (NULL: unbounded), times checked and normalised to UTC. */
export function rangeParams(range: TimeRange): { since: string | null; until: string | null } {
  return {
    since: range.since === undefined ? null : utcIso(range.since, 'since'),
    until: range.until === undefined ? null : utcIso(range.until, 'until'),
  };
}

/** A report's rows: `sql/reports/<file>` with its :params, each row checked by `row`. */
export async function runReport<T extends ZodTypeAny>(
  pool: DatabasePool,
  file: string,
  row: T,
  params: Readonly<Record<string, PrimitiveValueExpression>>,
): Promise<z.infer<T>[]> {
  const text = await sqlFileText(`reports/${file}`);
  const rows = await pool.transaction(async (tx) => {
    // Grouping sorts or hashes every event in range; with the default 4 MB it spills to disk
    // from about 50,000 events on (and takes twice as long). Raised for this transaction only.
    await tx.query(sql.unsafe`SELECT set_config('work_mem', ${REPORT_WORK_MEM}, true)`);
    return tx.any(fileQuery(row, text, params));
  });
  return rows.map((r) => row.parse(r) as z.infer<T>);
}

const riskRow = z.object({
  risk_object: z.string(),
  risk_object_type: z.string(),
  total_score: z.number(),
  events: z.number().int(),
  detections: z.array(z.string()),
  tactics: z.array(z.string()),
  techniques: z.array(z.string()),
  first_time: z.string(),
  last_time: z.string(),
});

export interface RiskReportOptions extends TimeRange {
  /** only objects of this type */
  type?: RiskObjectType | undefined;
  /** at most this many objects (the riskiest) */
  limit?: number | undefined;
}

/**
 * Risk per (risk_object, risk_object_type) over [since, until): total score, number of risk
 * events, distinct detection names, ATT&CK tactics and techniques (each sorted), first and last
 * risk_time (ISO 8601 UTC); highest total first, then by object.
 */
export async function riskReport(pool: DatabasePool, opts: RiskReportOptions = {}): Promise<RiskReportRow[]> {
  return runReport(pool, 'risk.sql', riskRow, {
    ...rangeParams(opts),
    type: opts.type ?? null,
    limit: opts.limit ?? null,
  });
}
