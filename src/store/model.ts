import type { RiskEvent } from '../risk/model.js';

export type RunTrigger = 'adhoc' | 'schedule' | 'demo' | 'backfill';
export type RunStatus = 'succeeded' | 'failed';
/**
 * Why a failed run failed, as the ledger keeps it for retry decisions: aborted (we stopped it;
 * says nothing about the window), transient (may succeed if tried again), permanent.
 */
export type RunErrorKind = 'aborted' | 'transient' | 'permanent';

/** Everything stored about one run of one detection over one window. */
export interface RunRecord {
  detectionId: string;
  detectionName: string;
  detectionVersion: number;
  /** ISO 8601 UTC; earliest inclusive, latest exclusive */
  windowEarliest: string;
  windowLatest: string;
  trigger: RunTrigger;
  engine: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  sql: string;
  params: unknown[];
  warnings: string[];
  error?: string;
  /** why a failed run failed, for retry decisions (not stored in runs; the ledger keeps it) */
  errorKind?: RunErrorKind;
  /** engine statistics (execution id, bytes scanned, times) */
  stats: Record<string, unknown>;
  results: Record<string, unknown>[];
  riskEvents: RiskEvent[];
}

export interface RiskReportRow {
  risk_object: string;
  risk_object_type: string;
  total_score: number;
  events: number;
  detections: string[];
  /** ATT&CK tactics and technique ids of the object's risk events (distinct, sorted) */
  tactics: string[];
  techniques: string[];
  first_time: string;
  last_time: string;
}
