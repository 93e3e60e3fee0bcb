/** `hunt report incidents`: the incidents table, newest first. */
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { rangeParams, runReport, type TimeRange } from './reports.js';

export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

const incidentRow = z.object({
  id: z.string(),
  rule: z.string(),
  risk_object: z.string(),
  risk_object_type: z.string(),
  window_start: z.string(),
  window_end: z.string(),
  total_score: z.number(),
  risk_events: z.number().int(),
  detections: z.array(z.string()),
  tactics: z.array(z.string()),
  techniques: z.array(z.string()),
  status: z.enum(INCIDENT_STATUSES),
  first_time: z.string(),
  last_time: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type IncidentReportRow = z.infer<typeof incidentRow>;

export interface IncidentReportOptions extends TimeRange {
  status?: IncidentStatus | undefined;
  limit?: number | undefined;
}

/** Incidents whose window ends in [since, until), newest first. */
export function incidentsReport(pool: DatabasePool, opts: IncidentReportOptions = {}): Promise<IncidentReportRow[]> {
  return runReport(pool, 'incidents.sql', incidentRow, {
    ...rangeParams(opts),
    status: opts.status ?? null,
    limit: opts.limit ?? null,
  });
}
