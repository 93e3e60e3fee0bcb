/**
 * Gathers the HTML report's data from the stored history; the SQL is in
 * sql/reports/html-*.sql. Every query reads one consistent snapshot (one REPEATABLE READ,
 * read-only transaction), so the header's totals and the charts never disagree.
 */
import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import { z, type ZodTypeAny } from 'zod';
import { TACTICS } from '../risk/attack-tactics.js';
import { sqlFileText } from '../store/sql-files.js';
import { fileQuery } from '../store/sqltext.js';
import { bucketStarts, bucketUnit } from './buckets.js';
import type { BucketActivity, DetectionActivity, HtmlReportData, TacticRisk, TopObject } from './model.js';

export interface HtmlReportOptions {
  /** ISO 8601 UTC; since inclusive, until exclusive */
  since: string;
  until: string;
  /** how many objects the risk-over-time chart and the top table show */
  top: number;
  /** ISO 8601 UTC, printed in the header */
  generatedAt: string;
  /** at most this many incidents are listed (the header still counts them all) */
  incidentLimit?: number;
}

const totalsRow = z.object({
  risk_events: z.number().int(),
  total_score: z.number(),
  objects: z.number().int(),
  incidents: z.number().int(),
  open_incidents: z.number().int(),
  runs: z.number().int(),
  failed_runs: z.number().int(),
  detections: z.number().int(),
});

const topRow = z.object({
  risk_object: z.string(),
  risk_object_type: z.string(),
  total_score: z.number(),
  events: z.number().int(),
  detections: z.number().int(),
  tactics: z.array(z.string()),
  first_time: z.string(),
  last_time: z.string(),
});

const seriesRow = z.object({
  risk_object: z.string(),
  risk_object_type: z.string(),
  bucket: z.string(),
  score: z.number(),
  events: z.number().int(),
});

const tacticRow = z.object({
  tactic: z.string(),
  score: z.number(),
  events: z.number().int(),
  objects: z.number().int(),
});

const detectionRow = z.object({
  detection_id: z.string(),
  detection_name: z.string(),
  runs: z.number().int(),
  failed: z.number().int(),
  findings: z.number().int(),
  risk_events: z.number().int(),
  risk_score: z.number(),
  last_window: z.string(),
});

const detectionBucketRow = z.object({
  detection_id: z.string(),
  bucket: z.string(),
  runs: z.number().int(),
  failed: z.number().int(),
  findings: z.number().int(),
});

const incidentRow = z.object({
  id: z.string(),
  rule: z.string(),
  risk_object: z.string(),
  risk_object_type: z.string(),
  status: z.string(),
  total_score: z.number(),
  risk_events: z.number().int(),
  detections: z.array(z.string()),
  tactics: z.array(z.string()),
  first_time: z.string(),
  last_time: z.string(),
  window_end: z.string(),
  total: z.number().int(),
});

const DEFAULT_INCIDENT_LIMIT = 200;
const REPORT_WORK_MEM = '64MB';

export async function gatherHtmlReport(pool: DatabasePool, opts: HtmlReportOptions): Promise<HtmlReportData> {
  if (!(Date.parse(opts.since) < Date.parse(opts.until)))
    throw new RangeError(`empty range: since ${opts.since} is not before until ${opts.until}`);
  const unit = bucketUnit(opts.since, opts.until);
  const buckets = bucketStarts(opts.since, opts.until, unit);
  const range = { since: opts.since, until: opts.until };

  return pool.transaction(async (tx) => {
    await tx.query(sql.unsafe`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
    // the groupings sort every event in range; as for the risk report (src/store/reports.ts),
    // more than the default 4 MB keeps them in memory. This transaction only.
    await tx.query(sql.unsafe`SELECT set_config('work_mem', ${REPORT_WORK_MEM}, true)`);
    const run = async <T extends ZodTypeAny>(
      file: string,
      parser: T,
      params: Record<string, string | number>,
    ): Promise<z.infer<T>[]> => (await query(tx, file, parser, params)).map((r) => parser.parse(r) as z.infer<T>);

    const [totals] = await run('html-totals.sql', totalsRow, range);
    const topRows = await run('html-top-objects.sql', topRow, { ...range, top: opts.top });
    const objects = JSON.stringify(
      topRows.map((o) => ({ risk_object: o.risk_object, risk_object_type: o.risk_object_type })),
    );
    const series = await run('html-object-series.sql', seriesRow, { ...range, unit, objects });
    const tactics = await run('html-tactics.sql', tacticRow, range);
    const detections = await run('html-detections.sql', detectionRow, range);
    const detectionBuckets = await run('html-detection-buckets.sql', detectionBucketRow, { ...range, unit });
    const incidents = await run('html-incidents.sql', incidentRow, {
      ...range,
      limit: opts.incidentLimit ?? DEFAULT_INCIDENT_LIMIT,
    });

    const at = new Map(buckets.map((b, i) => [b, i]));
    const key = (o: { risk_object: string; risk_object_type: string }): string =>
      JSON.stringify([o.risk_object, o.risk_object_type]);
    const seriesOf = new Map(topRows.map((o) => [key(o), buckets.map(() => 0)]));
    for (const s of series) {
      const i = at.get(s.bucket);
      const values = seriesOf.get(key(s));
      if (i === undefined || !values)
        throw new Error(`html-object-series.sql: bucket ${s.bucket} of ${s.risk_object} is not on the ${unit} axis`);
      values[i] = s.score;
    }
    const top: TopObject[] = topRows.map((o) => ({
      ...o,
      tactics: attackOrder(o.tactics),
      series: seriesOf.get(key(o)) ?? [],
    }));

    const activityOf = new Map<string, BucketActivity[]>();
    for (const b of detectionBuckets) {
      const i = at.get(b.bucket);
      if (i === undefined) throw new Error(`html-detection-buckets.sql: bucket ${b.bucket} is not on the ${unit} axis`);
      let strip = activityOf.get(b.detection_id);
      if (!strip) {
        strip = buckets.map(() => ({ runs: 0, failed: 0, findings: 0 }));
        activityOf.set(b.detection_id, strip);
      }
      strip[i] = { runs: b.runs, failed: b.failed, findings: b.findings };
    }
    const detectionActivity: DetectionActivity[] = detections.map((d) => ({
      ...d,
      activity: activityOf.get(d.detection_id) ?? buckets.map(() => ({ runs: 0, failed: 0, findings: 0 })),
    }));

    return {
      since: opts.since,
      until: opts.until,
      generatedAt: opts.generatedAt,
      unit,
      buckets,
      totals: totals ?? {
        risk_events: 0,
        total_score: 0,
        objects: 0,
        incidents: 0,
        open_incidents: 0,
        runs: 0,
        failed_runs: 0,
        detections: 0,
      },
      top,
      tactics: tacticBars(tactics),
      detections: detectionActivity,
      incidents: {
        rows: incidents.map(({ total: _total, ...row }) => ({ ...row, tactics: attackOrder(row.tactics) })),
        total: incidents[0]?.total ?? 0,
      },
    };
  });
}

async function query<T extends ZodTypeAny>(
  tx: DatabaseTransactionConnection,
  file: string,
  parser: T,
  params: Record<string, string | number>,
): Promise<readonly unknown[]> {
  return tx.any(fileQuery(parser, await sqlFileText(`reports/${file}`), params));
}

const ORDER = new Map<string, number>(TACTICS.map((t, i) => [t, i]));

/** Tactic names in ATT&CK matrix order; names the matrix does not have go last, by name. */
function attackOrder(tactics: readonly string[]): string[] {
  const rank = (t: string): number => ORDER.get(t) ?? TACTICS.length;
  return [...tactics].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Every ATT&CK tactic, 0 where no risk carries it, then tactics stored that the table lacks. */
function tacticBars(rows: readonly TacticRisk[]): TacticRisk[] {
  const byName = new Map(rows.map((r) => [r.tactic, r]));
  const known = TACTICS.map((t) => byName.get(t) ?? { tactic: t, score: 0, events: 0, objects: 0 });
  const other = rows.filter((r) => !ORDER.has(r.tactic)).sort((a, b) => (a.tactic < b.tactic ? -1 : 1));
  return [...known, ...other];
}
