/**
 * Which ledger rows a detection's schedule calls for, as of now: pure, so the catch-up and
 * skip rules are tested without a database.
 */
import type { DateTime } from 'luxon';
import type { Schedule } from '../detections/model.js';
import type { LedgerTrigger, PlannedWindow } from '../store/ledger.js';
import { formatDuration } from '../time/duration.js';
import { isoOf, resolveWindow } from '../time/index.js';
import { fireTimesBetween, lastFireAtOrBefore, nextFireAfter } from './cron.js';

export interface PlanInput {
  detection: { id: string; version: number; name: string };
  schedule: Schedule;
  zone: string;
  now: DateTime;
  /** the last fire time already planned; undefined the first time the detection is scheduled */
  plannedThrough: DateTime | undefined;
  catchUpMs: number;
  rerunLast: number;
}

export interface PlanOutput {
  rows: PlannedWindow[];
  /** the new high-water mark (undefined: no fire time yet) */
  plannedThrough: DateTime | undefined;
}

/**
 * Every fire time after the high-water mark up to now becomes a pass-0 row: due at its fire time,
 * or skipped (with the reason) when it is older than the catch-up limit. A detection scheduled
 * for the first time starts at its latest fire time: history is what `hunt backfill` is for.
 * With rerun_last N, each window also gets passes 1..N, due at the N fire times after its own,
 * to pick up events that reached the lake after the window's lag.
 */
export function planWindows(i: PlanInput): PlanOutput {
  const { cron, earliest, latest } = i.schedule;
  const last = lastFireAtOrBefore(cron, i.zone, i.now);
  if (!last) return { rows: [], plannedThrough: i.plannedThrough };
  const fires = i.plannedThrough ? fireTimesBetween(cron, i.zone, i.plannedThrough, i.now) : [last];
  const rows: PlannedWindow[] = [];
  for (const fire of fires) {
    const w = resolveWindow(earliest, latest, { now: fire, zone: i.zone });
    const age = i.now.toMillis() - fire.toMillis();
    const base = {
      detectionId: i.detection.id,
      detectionVersion: i.detection.version,
      detectionName: i.detection.name,
      windowEarliest: isoOf(w.earliest),
      windowLatest: isoOf(w.latest),
      fireTime: isoOf(fire),
      trigger: 'schedule' as LedgerTrigger,
    };
    if (age > i.catchUpMs) {
      rows.push({
        ...base,
        pass: 0,
        status: 'skipped',
        dueAt: isoOf(fire),
        error: `not run: found ${formatDuration(age)} after its fire time, beyond schedule.catch_up (${formatDuration(i.catchUpMs)})`,
      });
      continue;
    }
    rows.push({ ...base, pass: 0, status: 'pending', dueAt: isoOf(fire) });
    let due = fire;
    for (let pass = 1; pass <= i.rerunLast; pass++) {
      due = nextFireAfter(cron, i.zone, due);
      // a re-run already due while catching up would see no more than the first run will
      if (due <= i.now) continue;
      rows.push({ ...base, pass, status: 'pending', dueAt: isoOf(due) });
    }
  }
  return { rows, plannedThrough: fires.length ? (fires[fires.length - 1] as DateTime) : i.plannedThrough };
}
