/**
 * A lake of about two days for the batched-window tests: the events of every lake the
 * per-detection corpus tests build (test/corpus/<set>/*.test.ts, captured into
 * fixtures/corpus-lakes.jsonl.gz by running them with HUNT_CAPTURE_EVENTS=file, see
 * test/support/hunt.ts), each replayed a few times at other times, so that most detections
 * fire in several windows, some windows stay empty, and events sit exactly on window bounds.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DateTime } from 'luxon';
import type { Window } from '../../src/time/window.js';
import type { Events } from '../support/hunt.js';

type Obj = Record<string, unknown>;
interface CapturedLake {
  test: string;
  cloudtrail?: Obj[];
  ocsf?: Obj[];
}

const HOUR = 3600_000;
/** the ESCU schedule: cron 0 * * * * fires at F, the window is [F-70m, F-10m) */
export const FIRST_WINDOW_START = DateTime.fromISO('2026-11-17T21:50:00Z', { zone: 'utc' });
export const WINDOWS = 40;

export const hourlyWindows = (from: DateTime, count: number): Window[] =>
  Array.from({ length: count }, (_, i) => ({ earliest: from.plus({ hours: i }), latest: from.plus({ hours: i + 1 }) }));

export function capturedLakes(): CapturedLake[] {
  const text = gunzipSync(readFileSync(new URL('./fixtures/corpus-lakes.jsonl.gz', import.meta.url))).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CapturedLake);
}

const timeOf = (e: Obj, kind: 'cloudtrail' | 'ocsf'): number =>
  kind === 'cloudtrail' ? Date.parse(String(e.eventTime)) : Number(e.time);

/** A copy of the event `shift` ms later, with ids of its own (the importer keeps one record per id). */
function shifted(e: Obj, kind: 'cloudtrail' | 'ocsf', shift: number, copy: string): Obj {
  const t = timeOf(e, kind) + shift;
  if (kind === 'cloudtrail') {
    // CloudTrail writes whole seconds, but the window bounds are what is tested here: keep ms
    return { ...e, eventTime: new Date(t).toISOString(), eventID: `${String(e.eventID)}-${copy}` };
  }
  const metadata = { ...(e.metadata as Obj), uid: `${String((e.metadata as Obj | undefined)?.uid)}-${copy}` };
  return { ...e, time: t, time_dt: new Date(t).toISOString(), metadata };
}

/**
 * Every captured lake three times, each copy moved as a block (its events keep their spacing,
 * so a detection that fires on a lake fires on its copies): the first copy starts exactly on a
 * window's first millisecond, the second ends on a window's last millisecond, the third ends
 * exactly on a window's latest bound (so its last event is the next window's first). Copies go
 * to the windows 2..30 of the 40, so the first two and the last ones stay empty (but for
 * lakes longer than the windows they start in).
 */
export function corpusEvents(): Events {
  const start = FIRST_WINDOW_START.toMillis();
  const out: Required<Events> = { cloudtrail: [], ocsf: [] };
  capturedLakes().forEach((lake, i) => {
    for (const kind of ['cloudtrail', 'ocsf'] as const) {
      const events = lake[kind] ?? [];
      if (events.length === 0) continue;
      const times = events.map((e) => timeOf(e, kind));
      const min = Math.min(...times);
      const max = Math.max(...times);
      const targets = [2 + ((i * 7) % 29), 2 + ((i * 11 + 17) % 29), 2 + ((i * 5 + 13) % 29)];
      const shifts = [
        start + (targets[0] as number) * HOUR - min,
        start + ((targets[1] as number) + 1) * HOUR - 1 - max,
        start + ((targets[2] as number) + 1) * HOUR - max,
      ];
      shifts.forEach((shift, c) => {
        for (const e of events) out[kind].push(shifted(e, kind, shift, `b${i}c${c}`));
      });
    }
  });
  return out;
}
