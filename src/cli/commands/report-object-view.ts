/** How `hunt report object` shows a timeline: its columns, the summary line, the empty message. */
import type { ObjectSummary, TimelineEvent } from '../../store/reports-object.js';
import type { Column } from './report-output.js';

const threats = (e: TimelineEvent): string[] => e.threat_objects.map((t) => `${t.type}:${t.value}`);

/** Every key of a timeline event (CSV). */
export const TIMELINE_COLUMNS: Column<TimelineEvent>[] = [
  { name: 'risk_time', value: (e) => e.risk_time },
  { name: 'risk_object', value: (e) => e.risk_object },
  { name: 'risk_object_type', value: (e) => e.risk_object_type },
  { name: 'risk_score', value: (e) => e.risk_score, numeric: true },
  { name: 'running_total', value: (e) => e.running_total, numeric: true },
  { name: 'detection_id', value: (e) => e.detection_id },
  { name: 'detection_name', value: (e) => e.detection_name },
  { name: 'detection_version', value: (e) => e.detection_version, numeric: true },
  { name: 'risk_message', value: (e) => e.risk_message },
  { name: 'tactics', value: (e) => e.tactics },
  { name: 'techniques', value: (e) => e.techniques },
  { name: 'threat_objects', value: threats },
  { name: 'window_earliest', value: (e) => e.window_earliest },
  { name: 'window_latest', value: (e) => e.window_latest },
  { name: 'run_id', value: (e) => e.run_id },
];

/** What fits on a terminal. */
export const TIMELINE_TABLE_COLUMNS: Column<TimelineEvent>[] = [
  { name: 'risk_time', value: (e) => e.risk_time },
  { name: 'object', value: (e) => `${e.risk_object} (${e.risk_object_type})` },
  { name: 'score', value: (e) => e.risk_score, numeric: true },
  { name: 'total', value: (e) => e.running_total, numeric: true },
  { name: 'detection', value: (e) => `${e.detection_name} v${e.detection_version}` },
  { name: 'message', value: (e) => e.risk_message },
  { name: 'tactics', value: (e) => e.tactics },
  { name: 'techniques', value: (e) => e.techniques },
  { name: 'threat_objects', value: threats },
  { name: 'window', value: (e) => `${e.window_earliest} – ${e.window_latest}` },
  { name: 'run_id', value: (e) => e.run_id },
];

export function summaryLine(s: ObjectSummary): string {
  const list = (xs: string[]): string => (xs.length ? xs.join(', ') : 'none');
  return (
    `${s.risk_object} (${s.risk_object_type}): total ${s.total_score} from ${s.events} risk event${s.events === 1 ? '' : 's'}, ` +
    `${s.detections.length} detection${s.detections.length === 1 ? '' : 's'} (${list(s.detections)}), tactics: ${list(s.tactics)}; ` +
    `first ${s.first_time}, last ${s.last_time}`
  );
}

/** An empty timeline says so, and whether the name has ever had risk (a typo shows). */
export function noEventsMessage(
  name: string,
  range: { since?: string | undefined; until?: string | undefined },
  type: string | undefined,
  lastSeen: string | null,
): string {
  const what = type ? `${name} (${type})` : name;
  const when = `${range.since ? ` since ${range.since}` : ''}${range.until ? ` until ${range.until}` : ''}`;
  const why = lastSeen ? `its last was at ${lastSeen}` : 'none at any time: check the name';
  return `no risk events for ${what}${when} (${why})`;
}
