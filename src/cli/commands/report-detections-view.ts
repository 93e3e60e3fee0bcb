/** How `hunt report detections` shows its rows. */
import type { DetectionReportRow } from '../../store/reports-detections.js';
import { bytes, type Column } from './report-output.js';

type R = DetectionReportRow;
const n = (name: keyof R & string): Column<R> => ({ name, value: (r) => r[name] as number, numeric: true });

/** Every key (CSV). */
export const DETECTION_COLUMNS: Column<R>[] = [
  { name: 'detection_id', value: (r) => r.detection_id },
  { name: 'detection_name', value: (r) => r.detection_name },
  { name: 'versions', value: (r) => r.versions.map(String) },
  ...(['runs', 'runs_schedule', 'runs_backfill', 'runs_adhoc', 'runs_demo', 'runs_failed'] as const).map(n),
  ...(
    [
      'windows_succeeded',
      'windows_failed',
      'windows_skipped',
      'windows_pending',
      'findings',
      'risk_events',
      'total_score',
    ] as const
  ).map(n),
  { name: 'data_scanned_bytes', value: (r) => r.data_scanned_bytes, numeric: true },
  { name: 'last_run', value: (r) => r.last_run },
  { name: 'last_error', value: (r) => r.last_error },
];

export const DETECTION_TABLE_COLUMNS: Column<R>[] = [
  { name: 'detection', value: (r) => `${r.detection_name} v${r.versions.join(',')}` },
  { name: 'runs', value: (r) => r.runs, numeric: true },
  { name: 'failed', value: (r) => r.runs_failed, numeric: true },
  {
    name: 'windows ok/failed/skipped',
    value: (r) => `${r.windows_succeeded}/${r.windows_failed}/${r.windows_skipped}`,
    numeric: true,
  },
  { name: 'findings', value: (r) => r.findings, numeric: true },
  { name: 'risk_events', value: (r) => r.risk_events, numeric: true },
  { name: 'total_score', value: (r) => r.total_score, numeric: true },
  {
    name: 'data_scanned',
    value: (r) => r.data_scanned_bytes,
    numeric: true,
    display: (r) => bytes(r.data_scanned_bytes),
  },
  { name: 'last_run', value: (r) => r.last_run },
  { name: 'last_error', value: (r) => r.last_error },
];
