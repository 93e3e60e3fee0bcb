/** `hunt report detections`: per detection, what its runs, windows and risk events add up to. */
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { rangeParams, runReport, type TimeRange } from './reports.js';

const detectionRow = z.object({
  detection_id: z.string(),
  detection_name: z.string(),
  versions: z.array(z.number().int()),
  runs: z.number().int(),
  runs_schedule: z.number().int(),
  runs_backfill: z.number().int(),
  runs_adhoc: z.number().int(),
  runs_demo: z.number().int(),
  runs_failed: z.number().int(),
  windows_succeeded: z.number().int(),
  windows_failed: z.number().int(),
  windows_skipped: z.number().int(),
  windows_pending: z.number().int(),
  findings: z.number().int(),
  risk_events: z.number().int(),
  total_score: z.number(),
  /** Athena's DataScannedInBytes summed; null when no run recorded it (DuckDB) */
  data_scanned_bytes: z.number().nullable(),
  last_run: z.string().nullable(),
  last_error: z.string().nullable(),
});
export type DetectionReportRow = z.infer<typeof detectionRow>;

/** Per detection id over windows ending in [since, until), by name. */
export function detectionsReport(pool: DatabasePool, range: TimeRange = {}): Promise<DetectionReportRow[]> {
  return runReport(pool, 'detections.sql', detectionRow, rangeParams(range));
}
