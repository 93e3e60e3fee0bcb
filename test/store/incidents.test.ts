/**
 * Risk incident rules over stored runs (real Postgres): each stock rule just under, at and over
 * its threshold; re-runs and out-of-order saves never duplicate an incident; figures cover the
 * incident's evidence. Runs are hourly windows of one detection each, risk_time = window end.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import { tacticsOf } from '../../src/risk/attack-tactics.js';
import { DEFAULT_INCIDENT_RULES, firingSpans, meetsRule, type IncidentRule } from '../../src/risk/incident-rules.js';
import type { RunRecord } from '../../src/store/model.js';
import { saveRun } from '../../src/store/runs.js';
import { clearHistory, makeRun, riskEvent, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;
const [SCORE_24H, TACTICS_7D] = DEFAULT_INCIDENT_RULES as [IncidentRule, IncidentRule];
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const at = (h: number): string => new Date(T0 + h * HOUR).toISOString().replace('.000Z', 'Z');

/** Detection `d` fires at hour `h` for `object` with `score`, tagged with `techniques`. */
function run(d: number, h: number, object: string, score: number, techniques: string[] = ['T1078']): RunRecord {
  const base = makeRun({ findings: 1 });
  return {
    ...base,
    detectionId: `det-${d}`,
    detectionName: `Detection ${d}`,
    windowEarliest: at(h - 1),
    windowLatest: at(h),
    riskEvents: [
      riskEvent({
        risk_object: object,
        risk_score: score,
        risk_time: at(h),
        detection_id: `det-${d}`,
        detection_name: `Detection ${d}`,
        mitre_attack_ids: techniques,
        mitre_tactics: tacticsOf(techniques),
      }),
    ],
  };
}

const save = (r: RunRecord, rules: readonly IncidentRule[] = DEFAULT_INCIDENT_RULES) =>
  saveRun(pool(), r, { incidentRules: rules });

const incidentRow = z.object({
  rule: z.string(),
  risk_object: z.string(),
  window_start: z.string(),
  window_end: z.string(),
  total_score: z.number(),
  risk_events: z.number(),
  detections: z.array(z.string()),
  tactics: z.array(z.string()),
});
const incidents = async () =>
  (
    await pool().any(sql.type(incidentRow)`
      SELECT rule, risk_object, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS window_start,
             to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS window_end,
             total_score::float8 AS total_score, risk_events, detections, tactics
      FROM incidents ORDER BY rule, risk_object, window_start`)
  ).map((r) => incidentRow.parse(r));

beforeEach(async () => {
  await clearHistory(pool());
  await pool().query(sql.unsafe`TRUNCATE incidents`);
});

describe('risk score over 100 for one object within 24 hours', () => {
  const only = [SCORE_24H];

  it('just under (99) and at (100): no incident', async () => {
    await save(run(1, 1, 'alice', 49), only);
    await save(run(2, 5, 'alice', 50), only);
    expect(await incidents()).toEqual([]); // 99
    await save(run(3, 6, 'alice', 1), only);
    expect(await incidents()).toEqual([]); // 100 is not over 100
  });

  it('over (101): one incident with its evidence', async () => {
    await save(run(1, 1, 'alice', 50), only);
    await save(run(2, 5, 'alice', 50), only);
    await save(run(3, 6, 'alice', 1), only);
    expect(await incidents()).toEqual([
      {
        rule: 'risk_score_24h',
        risk_object: 'alice',
        window_start: at(6 - 24),
        window_end: at(6),
        total_score: 101,
        risk_events: 3,
        detections: ['Detection 1', 'Detection 2', 'Detection 3'],
        tactics: ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'],
      },
    ]);
  });

  it('the window is (t - 24h, t]: an event exactly 24 hours earlier no longer counts', async () => {
    await save(run(1, 0, 'alice', 60), only);
    await save(run(2, 24, 'alice', 41), only); // 60 at t-24h is out: 41
    expect(await incidents()).toEqual([]);
    await save(run(3, 23, 'alice', 1), only); // at hour 23: 60 + 1 = 61; at 24: 1 + 41 = 42
    expect(await incidents()).toEqual([]);
    await save(run(4, 1, 'alice', 1), only); // at hour 1: 60 + 1 = 61; at 24: 1 + 1 + 41 = 43
    expect(await incidents()).toEqual([]);
    await save(run(5, 2, 'alice', 59), only); // at hour 23: 60 + 1 + 59 + 1 = 121
    // fires at 2 (120), 23 (121) and 24 (102): one incident from the first window to the last
    expect((await incidents()).map((i) => [i.window_start, i.window_end, i.total_score])).toEqual([
      [at(2 - 24), at(24), 162],
    ]);
  });

  it('other objects and object types are apart', async () => {
    await save(run(1, 1, 'alice', 60), only);
    await save(run(2, 2, 'bob', 60), only);
    await save(
      {
        ...run(3, 3, 'alice', 60),
        riskEvents: [{ ...run(3, 3, 'alice', 60).riskEvents[0]!, risk_object_type: 'system' }],
      },
      only,
    );
    expect(await incidents()).toEqual([]);
  });
});

describe('ATT&CK tactics >= 3 from >= 4 distinct detections within 7 days', () => {
  const only = [TACTICS_7D];
  // T1204 Execution, T1530 Collection, T1537 Exfiltration, T1485 Impact
  it('3 tactics from 3 detections: none; from 4: one', async () => {
    await save(run(1, 1, 'alice', 1, ['T1204']), only);
    await save(run(2, 30, 'alice', 1, ['T1530']), only);
    await save(run(3, 60, 'alice', 1, ['T1537']), only);
    expect(await incidents()).toEqual([]); // 3 tactics, 3 detections
    await save(run(4, 90, 'alice', 1, ['T1537']), only);
    const got = await incidents();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      rule: 'attack_tactics_7d',
      risk_events: 4,
      window_end: at(90),
      tactics: ['Collection', 'Execution', 'Exfiltration'],
    });
  });

  it('2 tactics from 5 detections: none', async () => {
    for (let d = 1; d <= 5; d++) await save(run(d, d, 'alice', 1, d % 2 ? ['T1204'] : ['T1530']), only);
    expect(await incidents()).toEqual([]);
  });

  it('4 detections, 3 tactics, but spread over more than 7 days: none', async () => {
    await save(run(1, 0, 'alice', 1, ['T1204']), only);
    await save(run(2, 100, 'alice', 1, ['T1530']), only);
    await save(run(3, 150, 'alice', 1, ['T1537']), only);
    await save(run(4, 168, 'alice', 1, ['T1537']), only); // hour 0 is exactly 7 days before: out
    expect(await incidents()).toEqual([]);
    await save(run(5, 167, 'alice', 1, ['T1204']), only); // at 168: Execution again, 4 detections
    expect(await incidents()).toHaveLength(1);
  });

  it('the same detection four times is one detection', async () => {
    await save(run(1, 1, 'alice', 1, ['T1204']), only);
    await save(run(1, 2, 'alice', 1, ['T1530']), only);
    await save(run(1, 3, 'alice', 1, ['T1537']), only);
    await save(run(1, 4, 'alice', 1, ['T1485']), only);
    expect(await incidents()).toEqual([]);
  });
});

describe('no duplicates', () => {
  const only = [SCORE_24H];
  it('re-running the same windows, and later ones within the window, keeps one incident per object and rule window', async () => {
    const save = (r: RunRecord) => saveRun(pool(), r, { incidentRules: only });
    const runs = [run(1, 1, 'alice', 60), run(2, 2, 'alice', 60), run(3, 3, 'alice', 10)];
    for (const r of runs) await save(r);
    for (const r of runs) await save(r); // re-runs replace the runs
    await save(run(4, 10, 'alice', 5)); // still within 24h of the firing: extends the incident
    const got = await incidents();
    expect(got.map((i) => [i.rule, i.window_start, i.window_end, i.total_score, i.risk_events])).toEqual([
      ['risk_score_24h', at(2 - 24), at(10), 135, 4],
    ]);
    expect(Number(await pool().oneFirst(sql.unsafe`SELECT count(*)::int FROM risk_events`))).toBe(4);
  });

  it('the same runs saved in any order give the same incidents', async () => {
    const save = (r: RunRecord) => saveRun(pool(), r, { incidentRules: only });
    const runs = [
      run(1, 1, 'alice', 60),
      run(2, 20, 'alice', 60),
      run(3, 50, 'alice', 30),
      run(4, 60, 'alice', 80),
      run(5, 200, 'alice', 101),
    ];
    for (const r of runs) await save(r);
    const forward = await incidents();
    await clearHistory(pool());
    await pool().query(sql.unsafe`TRUNCATE incidents`);
    for (const r of [...runs].reverse()) await save(r);
    expect(await incidents()).toEqual(forward);
    // 1+20 fires at 20 (120); 50+60 at 60 (110); 200 alone (101): three incidents
    expect(forward.map((i) => [i.window_end, i.total_score])).toEqual([
      [at(20), 120],
      [at(60), 110],
      [at(200), 101],
    ]);
  });

  it('a later firing that bridges two incidents merges them into one', async () => {
    await save(run(1, 0, 'alice', 101), only);
    await save(run(2, 40, 'alice', 101), only);
    expect(await incidents()).toHaveLength(2);
    await save(run(3, 20, 'alice', 101), only); // fires at 20 (202): its window overlaps both
    expect((await incidents()).map((i) => [i.window_start, i.window_end, i.risk_events])).toEqual([
      [at(-24), at(40), 3],
    ]);
  });
});

describe('the rules themselves (pure)', () => {
  it('meetsRule at the thresholds', () => {
    const a = (totalScore: number, tactics = 0, detections = 0) => ({ at: 0, totalScore, tactics, detections });
    expect([99, 100, 101].map((s) => meetsRule(SCORE_24H, a(s)))).toEqual([false, false, true]);
    expect(meetsRule(TACTICS_7D, a(0, 2, 4))).toBe(false);
    expect(meetsRule(TACTICS_7D, a(0, 3, 3))).toBe(false);
    expect(meetsRule(TACTICS_7D, a(0, 3, 4))).toBe(true);
  });

  it('firingSpans chains firings whose windows overlap', () => {
    const fire = (h: number) => ({ at: h * HOUR, totalScore: 200, tactics: 0, detections: 0 });
    expect(firingSpans(SCORE_24H, [fire(30), fire(1), fire(10), fire(24.5)])).toEqual([
      { start: -23 * HOUR, end: 30 * HOUR },
    ]);
    expect(firingSpans(SCORE_24H, [fire(1), fire(25)])).toEqual([
      { start: -23 * HOUR, end: HOUR },
      { start: HOUR, end: 25 * HOUR },
    ]);
  });

  it("ATT&CK tactics: sub-techniques take their parent's, in ATT&CK order, unknown ids none", () => {
    expect(tacticsOf(['T1204.003', 'T1078.004'])).toEqual([
      'Initial Access',
      'Execution',
      'Persistence',
      'Privilege Escalation',
      'Defense Evasion',
    ]);
    expect(tacticsOf(['T9999'])).toEqual([]);
  });
});
