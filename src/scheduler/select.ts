/**
 * From compiled detections to the ones the schedule runs: compiled, enabled, each with its
 * schedule. Detections that did not compile are returned with the reason, to be reported.
 */
import type { ScheduleSettings } from './config.js';
import type { Detection } from '../detections/model.js';
import type { PreparedOutcome } from '../translate/prepare.js';
import type { ScheduledDetection } from './scheduler.js';
import { detectionSchedule, unmatchedOverrides } from './schedules.js';

export interface Selection<O extends PreparedOutcome = PreparedOutcome> {
  scheduled: ScheduledDetection[];
  disabled: Detection[];
  notCompiled: O[];
  /** schedule.detections keys matching no detection */
  unmatched: string[];
}

export function selectScheduled<O extends PreparedOutcome>(
  outcomes: O[],
  settings: ScheduleSettings,
  zone: string,
): Selection<O> {
  const out: Selection<O> = { scheduled: [], disabled: [], notCompiled: [], unmatched: [] };
  const ids = new Map<string, string>();
  for (const o of outcomes) {
    if (!o.detection || !o.prepared) {
      out.notCompiled.push(o);
      continue;
    }
    const d = o.detection;
    // two files with one id would share ledger rows: refuse rather than run one at random
    const clash = ids.get(d.id);
    if (clash) throw new DuplicateDetectionError(`${o.file}: detection id ${d.id} is also the id of ${clash}`);
    ids.set(d.id, o.file);
    const s = detectionSchedule(d, settings, zone);
    if (s.enabled) out.scheduled.push({ prepared: o.prepared, schedule: s.schedule });
    else out.disabled.push(d);
  }
  out.unmatched = unmatchedOverrides(
    outcomes.flatMap((o) => o.detection ?? []),
    settings,
  );
  return out;
}

export class DuplicateDetectionError extends Error {
  override readonly name = 'DuplicateDetectionError';
}
