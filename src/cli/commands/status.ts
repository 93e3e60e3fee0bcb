import { nextFireAfter } from '../../scheduler/cron.js';
import { isoOf } from '../../time/index.js';
import { detectionSchedule } from '../../scheduler/schedules.js';
import { ledgerStatus, type LedgerStatusRow } from '../../store/schedule-status.js';
import { formatDuration } from '../../time/duration.js';
import { compileDirectory } from '../../compile/compile.js';
import { DateTime } from 'luxon';
import { commandConfig, nowFrom } from '../context.js';
import { withDatabase } from '../history.js';
import { json, type Io } from '../output.js';
import { writeRecords } from '../output-table.js';

/** `hunt status` flags as commander gives them. */
export interface StatusFlags {
  now?: string;
  config?: string;
  detections?: string;
  json?: boolean;
}

export interface DetectionStatus {
  detection: string;
  id: string;
  version: number;
  enabled: boolean;
  cron: string;
  /** the latest window whose run is done (pass 0) */
  last_window_done: { earliest: string; latest: string } | null;
  /** seconds from that window's end to now (null: nothing done yet) */
  lag_seconds: number | null;
  succeeded: number;
  failed: number;
  retrying: number;
  skipped: number;
  /** due and waiting for a runner */
  queue: number;
  running: number;
  next_fire: string;
  last_error: string | null;
}

/** `hunt status`: the schedule per detection, from the ledger and the detections' crons. */
export async function statusCommand(opts: StatusFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = commandConfig(opts, env);
  const now = nowFrom(opts.now);
  // the detections themselves give crons and enabled flags; whether they compile does not matter here
  const outcomes = compileDirectory(config.detectionsDir, config, { dialect: 'duckdb' });
  const ledger = await withDatabase(config, env, (db) => ledgerStatus(db.pool, now), 'check');
  const byKey = new Map(ledger.map((r) => [`${r.detection_id}|${r.detection_version}`, r]));
  const rows: DetectionStatus[] = [];
  for (const o of outcomes) {
    const d = o.detection;
    if (!d) continue;
    const s = detectionSchedule(d, config.schedule, config.timezone);
    const l: LedgerStatusRow | undefined = byKey.get(`${d.id}|${d.version}`);
    const last =
      l?.last_done_latest && l.last_done_earliest
        ? { earliest: l.last_done_earliest, latest: l.last_done_latest }
        : null;
    rows.push({
      detection: d.name,
      id: d.id,
      version: d.version,
      enabled: s.enabled && o.translation !== undefined,
      cron: s.schedule.cron,
      last_window_done: last,
      lag_seconds: last
        ? Math.max(0, Math.round((now.toMillis() - DateTime.fromISO(last.latest).toMillis()) / 1000))
        : null,
      succeeded: l?.succeeded ?? 0,
      failed: l?.failed ?? 0,
      retrying: l?.retrying ?? 0,
      skipped: l?.skipped ?? 0,
      queue: l?.queue ?? 0,
      running: l?.running ?? 0,
      next_fire: isoOf(nextFireAfter(s.schedule.cron, config.timezone, now)),
      last_error: l?.last_error ?? (o.translation ? null : `does not compile: ${o.error ?? ''}`),
    });
  }
  if (opts.json) {
    io.out(json({ now: isoOf(now), detections: rows }));
    return 0;
  }
  writeRecords(
    io.out,
    rows.map((r) => ({
      detection: r.detection,
      enabled: r.enabled ? 'yes' : 'no',
      last_window_done: r.last_window_done?.latest ?? '-',
      lag: r.lag_seconds === null ? '-' : formatDuration(r.lag_seconds * 1000),
      failed: r.failed + r.retrying,
      skipped: r.skipped,
      queue: r.queue + r.running,
      next_fire: r.next_fire,
    })),
    ['detection', 'enabled', 'last_window_done', 'lag', 'failed', 'skipped', 'queue', 'next_fire'],
    { empty: '(no results)', hint: '--json' },
  );
  return 0;
}
