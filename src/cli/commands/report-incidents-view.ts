/** How `hunt report incidents` shows its rows. */
import type { IncidentReportRow } from '../../store/reports-incidents.js';
import type { Column } from './report-output.js';

type R = IncidentReportRow;

/** Every key (CSV). */
export const INCIDENT_COLUMNS: Column<R>[] = [
  { name: 'id', value: (r) => r.id },
  { name: 'rule', value: (r) => r.rule },
  { name: 'risk_object', value: (r) => r.risk_object },
  { name: 'risk_object_type', value: (r) => r.risk_object_type },
  { name: 'window_start', value: (r) => r.window_start },
  { name: 'window_end', value: (r) => r.window_end },
  { name: 'total_score', value: (r) => r.total_score, numeric: true },
  { name: 'risk_events', value: (r) => r.risk_events, numeric: true },
  { name: 'detections', value: (r) => r.detections },
  { name: 'tactics', value: (r) => r.tactics },
  { name: 'techniques', value: (r) => r.techniques },
  { name: 'status', value: (r) => r.status },
  { name: 'first_time', value: (r) => r.first_time },
  { name: 'last_time', value: (r) => r.last_time },
  { name: 'created_at', value: (r) => r.created_at },
  { name: 'updated_at', value: (r) => r.updated_at },
];

export const INCIDENT_TABLE_COLUMNS: Column<R>[] = [
  { name: 'rule', value: (r) => r.rule },
  { name: 'object', value: (r) => `${r.risk_object} (${r.risk_object_type})` },
  { name: 'window', value: (r) => `${r.window_start} – ${r.window_end}` },
  { name: 'score', value: (r) => r.total_score, numeric: true },
  { name: 'events', value: (r) => r.risk_events, numeric: true },
  { name: 'detections', value: (r) => r.detections },
  { name: 'tactics', value: (r) => r.tactics },
  { name: 'status', value: (r) => r.status },
  { name: 'created_at', value: (r) => r.created_at },
  { name: 'updated_at', value: (r) => r.updated_at },
];
