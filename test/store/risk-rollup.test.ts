/**
 * The monthly risk rollup (migrations/005) stays exactly the aggregate of risk_events through
 * inserts, replaced runs, deleted runs and TRUNCATE; and the risk report, which reads whole
 * months from it and the partial months at its edges from risk_events, gives what aggregating
 * the events directly gives, for ranges aligned to months, inside one month, and across several.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/demo/rng.js';
import type { RunRecord } from '../../src/store/model.js';
import { riskReport } from '../../src/store/reports.js';
import { deleteRuns, saveRun } from '../../src/store/runs.js';
import { makeRun, riskEvent, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;

// seeded, so the history is the same every run
const rng = new Rng(7);
const rand = (): number => rng.next();
const pick = <T>(xs: readonly T[]): T => rng.pick(xs);
const START = Date.parse('2024-01-01T00:00:00Z');

/** A run of detection `d` over the hour ending at hour `h`, with a few random risk events. */
function run(d: number, h: number, trigger: RunRecord['trigger'] = 'schedule', salt = 0): RunRecord {
  const end = new Date(START + h * 3_600_000).toISOString();
  const events = Array.from({ length: 1 + Math.floor(rand() * 3) }, () =>
    riskEvent({
      risk_object: pick(['alice', 'bob', 'carol', 'web-1']),
      risk_object_type: pick(['user', 'user', 'system']),
      risk_score: 1 + Math.floor(rand() * 80) + salt,
      risk_time: end,
      detection_id: `det-${d}`,
      detection_name: `Detection ${d}`,
      mitre_attack_ids: d % 2 ? ['T1078'] : ['T1530'],
      mitre_tactics:
        d % 2 ? ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'] : ['Collection'],
    }),
  );
  return {
    ...makeRun({ findings: 1 }),
    detectionId: `det-${d}`,
    detectionName: `Detection ${d}`,
    trigger,
    windowEarliest: new Date(START + (h - 1) * 3_600_000).toISOString(),
    windowLatest: end,
    riskEvents: events,
  };
}

const drift = z.object({ n: z.number() });
/** rows of the rollup that differ from aggregating risk_events now (both ways) */
const rollupDrift = () =>
  pool().oneFirst(sql.type(drift)`
    WITH fresh AS (
      SELECT risk_rollup_month(risk_time) AS month, risk_object, risk_object_type, detection_id, detection_name, mitre_tactics, mitre_attack_ids,
             sum(risk_score) AS score, count(*) AS events, min(risk_time) AS first_time, max(risk_time) AS last_time
      FROM risk_events GROUP BY 1, 2, 3, 4, 5, 6, 7
    ), r AS (SELECT month, risk_object, risk_object_type, detection_id, detection_name, mitre_tactics, mitre_attack_ids, score, events, first_time, last_time FROM risk_rollup)
    SELECT ((SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM r) x) + (SELECT count(*) FROM (SELECT * FROM r EXCEPT SELECT * FROM fresh) y))::int AS n`);

const eventRow = z.object({
  risk_object: z.string(),
  risk_object_type: z.string(),
  risk_score: z.number(),
  t: z.number(),
  detection_name: z.string(),
});
/** the risk report's figures worked out from the raw events in JS: the reference */
async function reference(since?: string, until?: string) {
  const rows = await pool().any(sql.type(eventRow)`
    SELECT risk_object, risk_object_type, risk_score::float8 AS risk_score, (extract(epoch FROM risk_time) * 1000)::float8 AS t, detection_name FROM risk_events`);
  const lo = since ? Date.parse(since) : -Infinity;
  const hi = until ? Date.parse(until) : Infinity;
  const by = new Map<string, { total: number; events: number; detections: Set<string>; first: number; last: number }>();
  for (const r of rows.filter((x) => x.t >= lo && x.t < hi)) {
    const k = `${r.risk_object}|${r.risk_object_type}`;
    const g = by.get(k) ?? { total: 0, events: 0, detections: new Set<string>(), first: Infinity, last: -Infinity };
    g.total += r.risk_score;
    g.events++;
    g.detections.add(r.detection_name);
    g.first = Math.min(g.first, r.t);
    g.last = Math.max(g.last, r.t);
    by.set(k, g);
  }
  return [...by.entries()]
    .map(([k, g]) => ({
      key: k,
      total: g.total,
      events: g.events,
      detections: [...g.detections].sort(),
      first: new Date(g.first).toISOString(),
      last: new Date(g.last).toISOString(),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
const fromReport = async (since?: string, until?: string) =>
  (await riskReport(pool(), { ...(since ? { since } : {}), ...(until ? { until } : {}) }))
    .map((o) => ({
      key: `${o.risk_object}|${o.risk_object_type}`,
      total: o.total_score,
      events: o.events,
      detections: o.detections,
      first: o.first_time,
      last: o.last_time,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));

const RANGES: [string | undefined, string | undefined][] = [
  [undefined, undefined],
  ['2024-02-01T00:00:00Z', '2024-04-01T00:00:00Z'], // whole months only
  ['2024-01-15T00:00:00Z', '2024-03-20T00:00:00Z'], // partial, whole, partial
  ['2024-02-10T00:00:00Z', '2024-02-20T00:00:00Z'], // inside one month
  [undefined, '2024-03-05T12:00:00Z'],
  ['2024-02-15T00:00:00Z', undefined],
  ['2024-01-31T23:00:00Z', '2024-02-01T01:00:00Z'], // across a month boundary, two hours
];

describe('the monthly risk rollup', () => {
  const runs: RunRecord[] = [];
  beforeAll(async () => {
    // ~120 days of hourly runs, a few hundred of them, from 4 detections
    for (let i = 0; i < 300; i++)
      runs.push(run(1 + (i % 4), Math.floor(rand() * 24 * 120), i % 10 === 0 ? 'adhoc' : 'schedule'));
    for (const r of runs) await saveRun(pool(), r);
  });

  it('matches the events after inserts', async () => {
    expect(Number(await pool().oneFirst(sql.unsafe`SELECT count(*)::int FROM risk_rollup`))).toBeGreaterThan(20);
    expect(await rollupDrift()).toBe(0);
  });

  it('the risk report equals aggregating the events directly, for every kind of range', async () => {
    for (const [since, until] of RANGES)
      expect(await fromReport(since, until), `${since} .. ${until}`).toEqual(await reference(since, until));
  });

  it('stays exact when runs are replaced (re-runs) and deleted', async () => {
    for (const r of runs.slice(0, 60))
      await saveRun(pool(), {
        ...run(Number(r.detectionId.slice(4)), 0, r.trigger, 5),
        windowEarliest: r.windowEarliest,
        windowLatest: r.windowLatest,
        riskEvents: run(1, 0).riskEvents.map((e) => ({ ...e, risk_time: r.windowLatest })),
      });
    expect(await rollupDrift()).toBe(0);
    await deleteRuns(pool(), { trigger: 'adhoc' });
    expect(await rollupDrift()).toBe(0);
    for (const [since, until] of RANGES)
      expect(await fromReport(since, until), `${since} .. ${until}`).toEqual(await reference(since, until));
  });

  it('TRUNCATE empties it', async () => {
    await pool().query(sql.unsafe`TRUNCATE runs, findings, risk_events, schedule_windows, schedule_state`);
    expect(Number(await pool().oneFirst(sql.unsafe`SELECT count(*)::int FROM risk_rollup`))).toBe(0);
  });
});
