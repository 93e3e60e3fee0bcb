/** What the HTML report shows: gathered from Postgres (data.ts), rendered by page.ts. */

/** The width of one time bucket of the charts (UTC). */
export type BucketUnit = 'hour' | 'day' | 'week' | 'month';

export interface ReportTotals {
  risk_events: number;
  total_score: number;
  objects: number;
  incidents: number;
  open_incidents: number;
  runs: number;
  failed_runs: number;
  detections: number;
}

export interface TopObject {
  risk_object: string;
  risk_object_type: string;
  total_score: number;
  events: number;
  detections: number;
  /** in ATT&CK order */
  tactics: string[];
  first_time: string;
  last_time: string;
  /** risk score per bucket, aligned with HtmlReportData.buckets */
  series: number[];
}

export interface TacticRisk {
  tactic: string;
  score: number;
  events: number;
  objects: number;
}

export interface BucketActivity {
  runs: number;
  failed: number;
  findings: number;
}

export interface DetectionActivity {
  detection_id: string;
  detection_name: string;
  runs: number;
  failed: number;
  findings: number;
  risk_events: number;
  risk_score: number;
  last_window: string;
  /** aligned with HtmlReportData.buckets */
  activity: BucketActivity[];
}

export interface IncidentRow {
  id: string;
  rule: string;
  risk_object: string;
  risk_object_type: string;
  status: string;
  total_score: number;
  risk_events: number;
  detections: string[];
  tactics: string[];
  first_time: string;
  last_time: string;
  window_end: string;
}

export interface HtmlReportData {
  /** ISO 8601 UTC: the range [since, until) and when the report was made */
  since: string;
  until: string;
  generatedAt: string;
  unit: BucketUnit;
  /** bucket starts, ISO 8601 UTC (`2024-03-01T00:00:00Z`), every bucket of the range in order */
  buckets: string[];
  totals: ReportTotals;
  top: TopObject[];
  /** all 14 ATT&CK tactics in matrix order (0 when none), then any other tactic names stored */
  tactics: TacticRisk[];
  detections: DetectionActivity[];
  incidents: { rows: IncidentRow[]; total: number };
}
