/**
 * Which detections the schedule runs, and on what cron and window: the detection's own ESCU
 * schedule, with `schedule.detections.<id|name|stem>` of the configuration on top.
 */
import { basename } from 'node:path';
import { DateTime } from 'luxon';
import type { DetectionScheduleOverride, ScheduleSettings } from './config.js';
import type { Detection, Schedule } from '../detections/model.js';
import { resolveWindow } from '../time/index.js';
import { checkCron } from './cron.js';

export interface DetectionSchedule {
  schedule: Schedule;
  enabled: boolean;
}

/** The configured override for a detection, by id, then name, then file stem. */
export function overrideFor(
  d: Detection,
  s: ScheduleSettings,
): { key: string; value: DetectionScheduleOverride } | undefined {
  const stem = basename(d.file).replace(/\.ya?ml$/i, '');
  for (const key of [d.id, d.name, stem]) {
    if (s.detections[key]) return { key, value: s.detections[key] as DetectionScheduleOverride };
  }
  return undefined;
}

/**
 * The schedule one detection runs on. Bad overrides throw naming the configuration key, so the
 * daemon refuses to start rather than run a detection on a schedule nobody meant.
 */
export function detectionSchedule(d: Detection, s: ScheduleSettings, zone: string): DetectionSchedule {
  const o = overrideFor(d, s);
  const schedule: Schedule = {
    cron: o?.value.cron ?? d.schedule.cron,
    earliest: o?.value.earliest ?? d.schedule.earliest,
    latest: o?.value.latest ?? d.schedule.latest,
  };
  try {
    checkCron(schedule.cron, zone);
    // a window that cannot be resolved would fail every run: check it once, now
    resolveWindow(schedule.earliest, schedule.latest, { now: NOON, zone });
  } catch (err) {
    const message = (err as Error).message;
    // the key first (what to fix), then the file it is in
    if (o)
      throw new ScheduleConfigError(
        `schedule.detections.${o.key}: ${message}${o.value.file ? ` (in ${o.value.file})` : ''}`,
      );
    throw new ScheduleConfigError(`${d.name} (its cron_schedule and earliest/latest, in ${d.file}): ${message}`);
  }
  return { schedule, enabled: o?.value.enabled ?? s.enableAll };
}

/** Names of `schedule.detections` keys that match no loaded detection (likely typos). */
export function unmatchedOverrides(ds: Detection[], s: ScheduleSettings): string[] {
  const matched = new Set(ds.flatMap((d) => overrideFor(d, s)?.key ?? []));
  return Object.keys(s.detections).filter((k) => !matched.has(k));
}

export class ScheduleConfigError extends Error {
  override readonly name = 'ScheduleConfigError';
}

// any instant will do for checking that the window's modifiers resolve
const NOON = DateTime.fromISO('2026-01-01T12:00:00Z', { zone: 'utc' });
