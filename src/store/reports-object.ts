/** `hunt report object NAME`: one object's risk timeline and its summary. */
import type { RiskReportRow } from './model.js';
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { rangeParams, runReport, type RiskObjectType, type TimeRange } from './reports.js';

const timelineRow = z.object({
  risk_time: z.string(),
  risk_object: z.string(),
  risk_object_type: z.string(),
  risk_score: z.number(),
  running_total: z.number(),
  detection_id: z.string(),
  detection_name: z.string(),
  detection_version: z.number().int(),
  risk_message: z.string(),
  tactics: z.array(z.string()),
  techniques: z.array(z.string()),
  threat_objects: z.array(z.object({ value: z.string(), type: z.string() })),
  window_earliest: z.string(),
  window_latest: z.string(),
  run_id: z.string(),
});
export type TimelineEvent = z.infer<typeof timelineRow>;

/** One object (name and type as stored) over the timeline's range: a row of the risk report. */
export type ObjectSummary = RiskReportRow;

export interface ObjectTimeline {
  /** one per stored (name, type) the name matched, riskiest first */
  objects: ObjectSummary[];
  timeline: TimelineEvent[];
  /** with an empty timeline: the object's last risk event at any time, null when it has none */
  last_seen: string | null;
}

export interface ObjectReportOptions extends TimeRange {
  type?: RiskObjectType | undefined;
}

const lastSeenRow = z.object({ last_time: z.string().nullable() });

/** The risk events of NAME (case-insensitive) over [since, until), oldest first. */
export async function objectReport(
  pool: DatabasePool,
  name: string,
  opts: ObjectReportOptions = {},
): Promise<ObjectTimeline> {
  const type = opts.type ?? null;
  const timeline = await runReport(pool, 'object.sql', timelineRow, { ...rangeParams(opts), name, type });
  let lastSeen: string | null = null;
  if (timeline.length === 0) {
    const [row] = await runReport(pool, 'object-last-seen.sql', lastSeenRow, { name, type });
    lastSeen = row?.last_time ?? null;
  }
  return { objects: summarise(timeline), timeline, last_seen: lastSeen };
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedSet = (values: Iterable<string>): string[] => [...new Set(values)].sort(byCodePoint);

/** Per (object, type): what the timeline adds up to. Pure; the rows come in time order. */
export function summarise(timeline: readonly TimelineEvent[]): ObjectSummary[] {
  const groups = new Map<string, TimelineEvent[]>();
  for (const e of timeline) {
    const key = JSON.stringify([e.risk_object, e.risk_object_type]);
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  const out = [...groups.values()].map((events): ObjectSummary => {
    const first = events[0]!;
    const last = events[events.length - 1]!;
    return {
      risk_object: first.risk_object,
      risk_object_type: first.risk_object_type,
      // the SQL's running total is summed in numeric: its last value is the exact total
      total_score: last.running_total,
      events: events.length,
      detections: sortedSet(events.map((e) => e.detection_name)),
      tactics: sortedSet(events.flatMap((e) => e.tactics)),
      techniques: sortedSet(events.flatMap((e) => e.techniques)),
      first_time: first.risk_time,
      last_time: last.risk_time,
    };
  });
  return out.sort(
    (a, b) =>
      b.total_score - a.total_score ||
      byCodePoint(a.risk_object, b.risk_object) ||
      byCodePoint(a.risk_object_type, b.risk_object_type),
  );
}
