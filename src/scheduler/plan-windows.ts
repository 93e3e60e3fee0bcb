/**
 * Which ledger rows a detection's schedule calls for, as of now: pure, so the catch-up and
 * skip rules are tested without a database.
 */
import type { DateTime } from 'luxon';
import type { Schedule } from '../detections/model.js';
import type { LedgerTrigger, PlannedWindow } from '../store/ledger.js';
import { formatDuration } from '../time/duration.js';
import { isoOf, resolveWindow } from '../time/index.js';
import { fireTimesAfter, lastFireAtOrBefore, nextFireAfter } from './cron.js';

/**
 * Fire times planned per call (one transaction each): a long gap is planned in bounded steps, each
 * committed with its high-water mark, so a crash between steps loses nothing and repeats nothing.
 */
export const PLAN_BATCH = 2_000;

export interface PlanInput {
  detection: { id: string; version: number; name: string };
  schedule: Schedule;
  zone: string;
  now: DateTime;
  /** the last fire time already planned; undefined the first time the detection is scheduled */
  plannedThrough: DateTime | undefined;
  catchUpMs: number;
  rerunLast: number;
  /** at most this many fire times (default PLAN_BATCH); the rest are for the next call */
  batch?: number;
}

export interface PlanOutput {
  rows: PlannedWindow[];
  /** the new high-water mark (undefined: no fire time yet) */
  plannedThrough: DateTime | undefined;
  /** fire times up to now are left after plannedThrough: call again */
  more: boolean;
}

/**
 * The fire times after the high-water mark, oldest first, at most `batch` of them, each a pass-0
 * row: due at its fire time, or skipped (with the reason) when it is older than the catch-up
 * limit. A detection scheduled for the first time starts at its latest fire time: history is
 * what `hunt backfill` is for. With rerun_last N, each window also gets passes 1..N, due at the N
 * fire times after its own, to pick up events that reached the lake after the window's lag.
 *
 * Skipped windows are recorded one row each while they fit in one batch; a longer stretch beyond
 * the catch-up limit (a 1-minute cron down for months) becomes one skipped row spanning it, so
 * the limit bounds the planning work too, not only the running.
 */
export function planWindows(i: PlanInput): PlanOutput {
  const { cron } = i.schedule;
  const batch = Math.max(1, i.batch ?? PLAN_BATCH);
  const last = lastFireAtOrBefore(cron, i.zone, i.now);
  if (!last) return { rows: [], plannedThrough: i.plannedThrough, more: false };
  if (!i.plannedThrough) return { rows: fireRows(i, last), plannedThrough: last, more: false };

  const span = skippedSpan(i, batch);
  if (span) return span;
  const fires = fireTimesAfter(cron, i.zone, i.plannedThrough, i.now, batch + 1);
  const mine = fires.slice(0, batch);
  const rows = mine.flatMap((fire) => fireRows(i, fire));
  return {
    rows,
    plannedThrough: mine.length ? (mine[mine.length - 1] as DateTime) : i.plannedThrough,
    more: fires.length > batch,
  };
}

/** The rows one fire time calls for: a skipped pass 0, or a pending pass 0 and its re-runs. */
function fireRows(i: PlanInput, fire: DateTime): PlannedWindow[] {
  const { cron, earliest, latest } = i.schedule;
  const age = i.now.toMillis() - fire.toMillis();
  const base = {
    detectionId: i.detection.id,
    detectionVersion: i.detection.version,
    detectionName: i.detection.name,
    window: resolveWindow(earliest, latest, { now: fire, zone: i.zone }),
    fireTime: fire,
    trigger: 'schedule' as LedgerTrigger,
    pass: 0,
    dueAt: fire,
  };
  if (age > i.catchUpMs) {
    const error = `not run: found ${formatDuration(age)} after its fire time, beyond schedule.catch_up (${formatDuration(i.catchUpMs)})`;
    return [{ ...base, status: 'skipped', error }];
  }
  const rows: PlannedWindow[] = [{ ...base, status: 'pending' }];
  let due = fire;
  for (let pass = 1; pass <= i.rerunLast; pass++) {
    due = nextFireAfter(cron, i.zone, due);
    // a re-run already due while catching up would see no more than the first run will
    if (due <= i.now) continue;
    rows.push({ ...base, pass, status: 'pending', dueAt: due });
  }
  return rows;
}

/**
 * More than a batch of fire times after the mark are beyond the catch-up limit: one skipped row
 * whose window spans all of theirs, found without walking them (the cron's first fire after
 * the mark and last fire before the limit), naming the backfill that would run them.
 */
function skippedSpan(i: PlanInput, batch: number): PlanOutput | undefined {
  const { cron, earliest, latest } = i.schedule;
  const through = i.plannedThrough as DateTime;
  // a fire time F is skipped when now - F > catchUp, i.e. F <= now - catchUp - 1ms
  const limit = i.now.minus({ milliseconds: i.catchUpMs + 1 });
  if (limit <= through) return undefined;
  if (fireTimesAfter(cron, i.zone, through, limit, batch + 1).length <= batch) return undefined;
  const first = nextFireAfter(cron, i.zone, through);
  const lastSkipped = lastFireAtOrBefore(cron, i.zone, limit) as DateTime;
  const resume = nextFireAfter(cron, i.zone, lastSkipped);
  const a = resolveWindow(earliest, latest, { now: first, zone: i.zone });
  const b = resolveWindow(earliest, latest, { now: lastSkipped, zone: i.zone });
  const age = i.now.toMillis() - lastSkipped.toMillis();
  const row: PlannedWindow = {
    detectionId: i.detection.id,
    detectionVersion: i.detection.version,
    detectionName: i.detection.name,
    window: { earliest: a.earliest, latest: b.latest },
    fireTime: first,
    trigger: 'schedule',
    pass: 0,
    status: 'skipped',
    dueAt: first,
    error:
      `not run: the windows of every fire time from ${isoOf(first)} to ${isoOf(lastSkipped)} (more than ${batch}), ` +
      `found ${formatDuration(age)} or more after their fire times, beyond schedule.catch_up (${formatDuration(i.catchUpMs)}); ` +
      `hunt backfill --from ${isoOf(first)} --to ${isoOf(resume)} runs them`,
  };
  return { rows: [row], plannedThrough: lastSkipped, more: true };
}
