/** `hunt report risk|object|detections|incidents`: reports over the stored history. */
import type { DateTime } from 'luxon';
import type { HuntConfig } from '../../config/config.js';
import type { RiskReportRow } from '../../store/model.js';
import { commandConfig, nowFrom } from '../context.js';
import { UsageError } from '../errors.js';
import { requireOrdered, timeFlagIso } from '../flags.js';
import { withDatabase, type History } from '../history.js';
import { json, type Io } from '../output.js';
import { escapeControlsKeepLines } from '../../text/escape-controls.js';
import { csv, formatOf, terminalTable, type Column, type Format } from './report-output.js';

/** Flags of `hunt report risk|object|detections|incidents`, as commander gives them. */
export interface ReportFlags {
  since?: string;
  until?: string;
  now?: string;
  json?: boolean;
  csv?: boolean;
  config?: string;
  type?: 'user' | 'system' | 'other';
  status?: 'open' | 'closed';
  limit?: number;
}

interface Range {
  since?: string | undefined;
  until?: string | undefined;
}

/** Flags shared by every report: configuration, --now, the output format. */
function setup(opts: ReportFlags, env: NodeJS.ProcessEnv): { config: HuntConfig; now: DateTime; format: Format } {
  const format = formatOf(opts);
  const config = commandConfig(opts, env);
  return { config, now: nowFrom(opts.now), format };
}

/** A time flag (Splunk modifier, ISO 8601, epoch seconds) as ISO UTC; a bad one names the flag. */
function timeFlag(flag: string, value: string | undefined, now: DateTime, config: HuntConfig): string | undefined {
  return value === undefined ? undefined : timeFlagIso(flag, value, now, config.timezone);
}

function rangeOf(opts: ReportFlags, now: DateTime, config: HuntConfig, defaultSince?: string): Range {
  const sinceText = opts.since ?? defaultSince;
  const since = timeFlag('--since', sinceText, now, config);
  const until = timeFlag('--until', opts.until, now, config);
  if (since !== undefined && until !== undefined && sinceText !== undefined && opts.until !== undefined)
    requireOrdered({ flag: '--since', text: sinceText, iso: since }, { flag: '--until', text: opts.until, iso: until });
  return { since, until };
}

const RISK_COLUMNS: Column<RiskReportRow>[] = [
  { name: 'risk_object', value: (r) => r.risk_object },
  { name: 'risk_object_type', value: (r) => r.risk_object_type },
  { name: 'total_score', value: (r) => r.total_score, numeric: true },
  { name: 'events', value: (r) => r.events, numeric: true },
  { name: 'detections', value: (r) => r.detections },
  { name: 'tactics', value: (r) => r.tactics },
  { name: 'techniques', value: (r) => r.techniques },
  { name: 'first_time', value: (r) => r.first_time },
  { name: 'last_time', value: (r) => r.last_time },
];

/** `hunt report risk`: risk objects by total score over [since, until). */
export async function reportRiskCommand(opts: ReportFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { config, now, format } = setup(opts, env);
  const range = rangeOf(opts, now, config);
  const { riskReport } = await import('../../store/reports.js');
  const objects = await withDatabase(
    config,
    env,
    (db) => riskReport(db.pool, { ...range, type: opts.type, limit: opts.limit }),
    'check',
  );
  printRisk(objects, { ...range, type: opts.type ?? null }, format, io);
  return 0;
}

/** The risk report as `hunt demo` prints it after its runs. */
export async function printRiskReport(h: History, range: Range, asJson: boolean, io: Io): Promise<void> {
  const objects = await h.riskReport({
    ...(range.since !== undefined ? { since: range.since } : {}),
    ...(range.until !== undefined ? { until: range.until } : {}),
  });
  printRisk(objects, { ...range, type: null }, asJson ? 'json' : 'table', io);
}

function printRisk(objects: RiskReportRow[], query: Range & { type: string | null }, format: Format, io: Io): void {
  if (format === 'json')
    io.out(json({ since: query.since ?? null, until: query.until ?? null, type: query.type, objects }));
  else if (format === 'csv') io.out(csv(objects, RISK_COLUMNS));
  else terminalTable(io.out, objects, RISK_COLUMNS, '(no risk events)');
}

/** `hunt report object NAME`: the object's risk timeline (default: the last 7 days, as ESCU's drilldown). */
export async function reportObjectCommand(
  name: string,
  opts: ReportFlags,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (name.trim() === '') throw new UsageError('NAME: give the risk object (a user, system, ...)');
  const { config, now, format } = setup(opts, env);
  const range = rangeOf(opts, now, config, '-7d');
  const [{ objectReport }, view] = await Promise.all([
    import('../../store/reports-object.js'),
    import('./report-object-view.js'),
  ]);
  const report = await withDatabase(
    config,
    env,
    (db) => objectReport(db.pool, name, { ...range, type: opts.type }),
    'check',
  );
  if (report.timeline.length === 0) io.err(view.noEventsMessage(name, range, opts.type, report.last_seen));
  if (format === 'json')
    io.out(
      json({
        risk_object: name,
        type: opts.type ?? null,
        since: range.since ?? null,
        until: range.until ?? null,
        ...report,
      }),
    );
  else if (format === 'csv') io.out(csv(report.timeline, view.TIMELINE_COLUMNS));
  else if (report.timeline.length > 0) {
    terminalTable(io.out, report.timeline, view.TIMELINE_TABLE_COLUMNS, '');
    io.out(escapeControlsKeepLines(report.objects.map(view.summaryLine).join('\n')));
  }
  return 0;
}

/** `hunt report detections`: per detection, its runs, windows, findings, risk and data scanned. */
export async function reportDetectionsCommand(opts: ReportFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { config, now, format } = setup(opts, env);
  const range = rangeOf(opts, now, config);
  const { detectionsReport } = await import('../../store/reports-detections.js');
  const detections = await withDatabase(config, env, (db) => detectionsReport(db.pool, range), 'check');
  const { DETECTION_COLUMNS, DETECTION_TABLE_COLUMNS } = await import('./report-detections-view.js');
  if (format === 'json') io.out(json({ since: range.since ?? null, until: range.until ?? null, detections }));
  else if (format === 'csv') io.out(csv(detections, DETECTION_COLUMNS));
  else terminalTable(io.out, detections, DETECTION_TABLE_COLUMNS, '(no runs)');
  return 0;
}

/** `hunt report incidents`: the incidents the risk incident rules raised, newest first. */
export async function reportIncidentsCommand(opts: ReportFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { config, now, format } = setup(opts, env);
  const range = rangeOf(opts, now, config);
  const { incidentsReport } = await import('../../store/reports-incidents.js');
  const incidents = await withDatabase(
    config,
    env,
    (db) => incidentsReport(db.pool, { ...range, status: opts.status, limit: opts.limit }),
    'check',
  );
  const { INCIDENT_COLUMNS, INCIDENT_TABLE_COLUMNS } = await import('./report-incidents-view.js');
  if (format === 'json')
    io.out(json({ since: range.since ?? null, until: range.until ?? null, status: opts.status ?? null, incidents }));
  else if (format === 'csv') io.out(csv(incidents, INCIDENT_COLUMNS));
  else terminalTable(io.out, incidents, INCIDENT_TABLE_COLUMNS, '(no incidents)');
  return 0;
}
