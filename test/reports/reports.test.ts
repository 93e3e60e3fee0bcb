/**
 * The four reports on small fixtures in a real Postgres, numbers worked out by hand. Runs are
 * saved with saveRun (their window is copied into the risk events); the ledger and incidents
 * get rows written directly, as the scheduler and the incident rules would.
 */
import { sql } from 'slonik';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RiskEvent } from '../../src/risk/model.js';
import type { RunRecord } from '../../src/store/model.js';
import { riskReport } from '../../src/store/reports.js';
import { detectionsReport } from '../../src/store/reports-detections.js';
import { incidentsReport } from '../../src/store/reports-incidents.js';
import { objectReport } from '../../src/store/reports-object.js';
import { saveRun } from '../../src/store/runs.js';
import { clearHistory, makeRun, riskEvent, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;

const hour = (h: number): string => new Date(Date.UTC(2024, 2, 1, h)).toISOString();

const recon = { id: 'd-recon', name: 'Recon Detection', techniques: ['T1526'], tactics: ['Discovery'] };
const creds = { id: 'd-creds', name: 'Creds Detection', techniques: ['T1110.001'], tactics: ['Credential Access'] };
const valid = {
  id: 'd-valid',
  name: 'Valid Accounts',
  techniques: ['T1078.004'],
  tactics: ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'],
};

/** One run of `det` over hour h..h+1, its events stamped at the window end. */
async function saveHour(
  h: number,
  det: typeof recon,
  events: Partial<RiskEvent>[],
  over: Partial<RunRecord> = {},
): Promise<string> {
  const { runId } = await saveRun(
    pool(),
    makeRun({
      detectionId: det.id,
      detectionName: det.name,
      windowEarliest: hour(h),
      windowLatest: hour(h + 1),
      findings: events.length,
      riskEvents: events.map((e) =>
        riskEvent({
          risk_time: hour(h + 1),
          detection_id: det.id,
          detection_name: det.name,
          mitre_attack_ids: det.techniques,
          mitre_tactics: det.tactics,
          ...e,
        }),
      ),
      ...over,
    }),
  );
  return runId;
}

let firstRun = '';

beforeAll(async () => {
  await clearHistory(pool());
  await pool().query(sql.unsafe`TRUNCATE incidents`);
  // risk_time 01:00: alice 40 (recon), bob 25
  firstRun = await saveHour(
    0,
    recon,
    [
      { risk_object: 'alice', risk_score: 40, risk_message: 'alice, "the" scanner\nlisted buckets' },
      { risk_object: 'bob', risk_score: 25 },
    ],
    {
      trigger: 'schedule',
      engine: 'athena',
      stats: { engine: 'athena', data_scanned_bytes: 1000 },
    },
  );
  // risk_time 02:00: alice 10.5 (creds), alice the system 80, carol 0.1 + 0.2
  await saveHour(
    1,
    creds,
    [
      { risk_object: 'alice', risk_score: 10.5 },
      { risk_object: 'alice', risk_object_type: 'system', risk_score: 80 },
      { risk_object: 'carol', risk_score: 0.1 },
      { risk_object: 'carol', risk_score: 0.2 },
    ],
    { trigger: 'schedule', engine: 'athena', stats: { engine: 'athena', data_scanned_bytes: 2048 } },
  );
  // risk_time 03:00: ALICE (upper case: another object for the risk report, the same for the
  // case-insensitive timeline) 5 (valid), bob 25
  await saveHour(
    2,
    valid,
    [
      { risk_object: 'ALICE', risk_score: 5 },
      { risk_object: 'bob', risk_score: 25 },
    ],
    { trigger: 'backfill' },
  );
  // a failed recon run (no events) at 05:00, ad hoc, DuckDB: no data scanned recorded
  await saveHour(4, recon, [], { status: 'failed', error: 'boom: the lake is gone', trigger: 'adhoc', stats: {} });
  // ledger: recon's 00-01 window succeeded (pass 0) and re-ran (pass 1), 04-05 failed, 05-06 skipped
  const ledger = (h: number, pass: number, status: string, det = recon): Promise<unknown> =>
    pool().query(sql.unsafe`
      INSERT INTO schedule_windows (detection_id, detection_version, window_earliest, window_latest, pass, detection_name, fire_time,
                                    trigger, status, due_at, planned_at)
      VALUES (${det.id}, 1, ${hour(h)}, ${hour(h + 1)}, ${pass}, ${det.name}, ${hour(h + 1)}, 'schedule', ${status}, ${hour(h + 1)}, ${hour(h + 1)})`);
  await ledger(0, 0, 'succeeded');
  await ledger(0, 1, 'succeeded');
  await ledger(4, 0, 'failed');
  await ledger(5, 0, 'skipped');
  // a detection only the ledger knows (never ran yet)
  await ledger(6, 0, 'pending', { id: 'd-new', name: 'New Detection', techniques: [], tactics: [] });
  // incidents
  const incident = (
    rule: string,
    object: string,
    end: string,
    status: string,
    created: string,
    score: number,
  ): Promise<unknown> =>
    pool().query(sql.unsafe`
      INSERT INTO incidents (rule, risk_object, risk_object_type, window_start, window_end, status, total_score, risk_events,
                             detections, tactics, techniques, first_time, last_time, created_at, updated_at)
      VALUES (${rule}, ${object}, 'user', ${end}::timestamptz - interval '1 day', ${end}, ${status}, ${score}, 3,
              ARRAY['Recon Detection', 'Creds Detection'], ARRAY['Credential Access', 'Discovery'], ARRAY['T1110.001', 'T1526'],
              ${end}::timestamptz - interval '2 hours', ${end}, ${created}, ${created})`);
  await incident('risk_score_24h', 'alice', hour(3), 'open', hour(3), 120.5);
  await incident('attack_tactics_7d', 'alice', hour(3), 'closed', hour(4), 55.5);
  await incident('risk_score_24h', 'bob', hour(1), 'closed', hour(1), 101);
});

describe('risk report', () => {
  it('ranks by total, ties by object (code point), with detections, tactics and techniques', async () => {
    const rows = await riskReport(pool(), {});
    expect(rows.map((r) => [r.risk_object, r.risk_object_type, r.total_score, r.events])).toEqual([
      ['alice', 'system', 80, 1],
      // 40 + 10.5
      ['alice', 'user', 50.5, 2],
      // 25 + 25
      ['bob', 'user', 50, 2],
      ['ALICE', 'user', 5, 1],
      // numeric sum: 0.1 + 0.2 = 0.3 exactly
      ['carol', 'user', 0.3, 2],
    ]);
    expect(rows[1]).toEqual({
      risk_object: 'alice',
      risk_object_type: 'user',
      total_score: 50.5,
      events: 2,
      detections: ['Creds Detection', 'Recon Detection'],
      tactics: ['Credential Access', 'Discovery'],
      techniques: ['T1110.001', 'T1526'],
      first_time: '2024-03-01T01:00:00.000Z',
      last_time: '2024-03-01T02:00:00.000Z',
    });
    expect(rows[2]!.detections).toEqual(['Recon Detection', 'Valid Accounts']);
    expect(rows[2]!.tactics).toEqual([
      'Defense Evasion',
      'Discovery',
      'Initial Access',
      'Persistence',
      'Privilege Escalation',
    ]);
  });

  it('breaks exact ties by object name, upper case first', async () => {
    const rows = await riskReport(pool(), { since: hour(3), until: hour(4) });
    // both 03:00 events: ALICE 5 and bob 25
    expect(rows.map((r) => [r.risk_object, r.total_score])).toEqual([
      ['bob', 25],
      ['ALICE', 5],
    ]);
    // 03:00 onwards, bob (25) and ALICE (5) plus 20 for ALICE at 07:00 tie at 25: 'ALICE' < 'bob'
    await saveHour(6, valid, [{ risk_object: 'ALICE', risk_score: 20 }]);
    try {
      const tie = await riskReport(pool(), { since: hour(3) });
      expect(tie.map((r) => [r.risk_object, r.total_score])).toEqual([
        ['ALICE', 25],
        ['bob', 25],
      ]);
    } finally {
      await pool().query(sql.unsafe`DELETE FROM runs WHERE window_earliest = ${hour(6)}`);
    }
  });

  it('since is inclusive, until exclusive', async () => {
    const rows = await riskReport(pool(), { since: hour(2), until: hour(3) });
    expect(rows.map((r) => [r.risk_object, r.risk_object_type, r.total_score])).toEqual([
      ['alice', 'system', 80],
      ['alice', 'user', 10.5],
      ['carol', 'user', 0.3],
    ]);
    expect(await riskReport(pool(), { until: hour(1) })).toEqual([]);
    expect((await riskReport(pool(), { until: '2024-03-01T01:00:00.001Z' })).map((r) => r.risk_object)).toEqual([
      'alice',
      'bob',
    ]);
  });

  it('filters by type and limits to the riskiest', async () => {
    expect((await riskReport(pool(), { type: 'system' })).map((r) => [r.risk_object, r.total_score])).toEqual([
      ['alice', 80],
    ]);
    expect(await riskReport(pool(), { type: 'other' })).toEqual([]);
    expect((await riskReport(pool(), { type: 'user', limit: 2 })).map((r) => r.risk_object)).toEqual(['alice', 'bob']);
  });
});

describe('object timeline', () => {
  it('lists the events in time order with a running total per object, matching the name case-insensitively', async () => {
    const r = await objectReport(pool(), 'Alice', {});
    expect(
      r.timeline.map((e) => [
        e.risk_time.slice(11, 16),
        e.risk_object,
        e.risk_object_type,
        e.risk_score,
        e.running_total,
      ]),
    ).toEqual([
      ['01:00', 'alice', 'user', 40, 40],
      // the same time: by object, then type (system < user)
      ['02:00', 'alice', 'system', 80, 80],
      ['02:00', 'alice', 'user', 10.5, 50.5],
      ['03:00', 'ALICE', 'user', 5, 5],
    ]);
    expect(r.timeline[0]).toMatchObject({
      detection_id: 'd-recon',
      detection_name: 'Recon Detection',
      detection_version: 1,
      risk_message: 'alice, "the" scanner\nlisted buckets',
      tactics: ['Discovery'],
      techniques: ['T1526'],
      threat_objects: [{ value: '203.0.113.7', type: 'ip_address' }],
      window_earliest: '2024-03-01T00:00:00.000Z',
      window_latest: '2024-03-01T01:00:00.000Z',
      run_id: firstRun,
    });
    expect(r.objects.map((o) => [o.risk_object, o.risk_object_type, o.total_score, o.events, o.detections])).toEqual([
      ['alice', 'system', 80, 1, ['Creds Detection']],
      ['alice', 'user', 50.5, 2, ['Creds Detection', 'Recon Detection']],
      ['ALICE', 'user', 5, 1, ['Valid Accounts']],
    ]);
    expect(r.objects[1]).toMatchObject({
      tactics: ['Credential Access', 'Discovery'],
      first_time: '2024-03-01T01:00:00.000Z',
      last_time: '2024-03-01T02:00:00.000Z',
    });
    expect(r.last_seen).toBeNull();
  });

  it('keeps to the range and the type; an empty timeline tells when the object was last seen', async () => {
    const r = await objectReport(pool(), 'alice', { since: hour(2), until: hour(3), type: 'user' });
    expect(r.timeline.map((e) => [e.risk_object, e.risk_score, e.running_total])).toEqual([['alice', 10.5, 10.5]]);
    const late = await objectReport(pool(), 'bob', { since: hour(4) });
    expect(late).toEqual({ objects: [], timeline: [], last_seen: '2024-03-01T03:00:00.000Z' });
    expect((await objectReport(pool(), 'mallory', {})).last_seen).toBeNull();
  });
});

describe('detections report', () => {
  it('adds up runs, ledger windows, findings, risk and data scanned per detection', async () => {
    const rows = await detectionsReport(pool(), {});
    expect(rows.map((r) => r.detection_name)).toEqual([
      'Creds Detection',
      'New Detection',
      'Recon Detection',
      'Valid Accounts',
    ]);
    const recon_ = rows[2]!;
    expect(recon_).toEqual({
      detection_id: 'd-recon',
      detection_name: 'Recon Detection',
      versions: [1],
      runs: 2,
      runs_schedule: 1,
      runs_backfill: 0,
      runs_adhoc: 1,
      runs_demo: 0,
      runs_failed: 1,
      windows_succeeded: 2,
      windows_failed: 1,
      windows_skipped: 1,
      windows_pending: 0,
      // makeRun: one finding per risk event given
      findings: 2,
      risk_events: 2,
      total_score: 65,
      data_scanned_bytes: 1000,
      last_run: '2024-03-01T01:00:06.000Z',
      last_error: 'boom: the lake is gone',
    });
    expect(rows[0]).toMatchObject({
      runs: 1,
      findings: 4,
      risk_events: 4,
      total_score: 90.8,
      data_scanned_bytes: 2048,
      last_error: null,
      windows_succeeded: 0,
    });
    // DuckDB recorded nothing scanned: null, not 0
    expect(rows[3]).toMatchObject({
      runs: 1,
      runs_backfill: 1,
      risk_events: 2,
      total_score: 30,
      data_scanned_bytes: null,
    });
    expect(rows[1]).toMatchObject({
      detection_id: 'd-new',
      runs: 0,
      windows_pending: 1,
      risk_events: 0,
      total_score: 0,
      last_run: null,
      versions: [],
    });
  });

  it('selects runs, windows and risk events by window end in [since, until)', async () => {
    const rows = await detectionsReport(pool(), { since: hour(1), until: hour(2) });
    // only recon's 00-01 window ends at 01:00: the run, both ledger passes, 2 events
    expect(rows.map((r) => [r.detection_id, r.runs, r.windows_succeeded, r.risk_events, r.total_score])).toEqual([
      ['d-recon', 1, 2, 2, 65],
    ]);
    expect(await detectionsReport(pool(), { since: hour(8) })).toEqual([]);
  });
});

describe('incidents report', () => {
  it('lists newest first, filters by status and window end, limits', async () => {
    const all = await incidentsReport(pool(), {});
    // same window end: the later created first
    expect(all.map((i) => [i.rule, i.risk_object, i.status, i.total_score])).toEqual([
      ['attack_tactics_7d', 'alice', 'closed', 55.5],
      ['risk_score_24h', 'alice', 'open', 120.5],
      ['risk_score_24h', 'bob', 'closed', 101],
    ]);
    expect(all[1]).toMatchObject({
      window_start: '2024-02-29T03:00:00.000Z',
      window_end: '2024-03-01T03:00:00.000Z',
      risk_events: 3,
      detections: ['Recon Detection', 'Creds Detection'],
      tactics: ['Credential Access', 'Discovery'],
      first_time: '2024-03-01T01:00:00.000Z',
      created_at: '2024-03-01T03:00:00.000Z',
    });
    expect((await incidentsReport(pool(), { status: 'closed' })).map((i) => i.risk_object)).toEqual(['alice', 'bob']);
    expect((await incidentsReport(pool(), { since: hour(3) })).length).toBe(2);
    expect((await incidentsReport(pool(), { until: hour(3) })).map((i) => i.risk_object)).toEqual(['bob']);
    expect((await incidentsReport(pool(), { limit: 1 })).map((i) => i.rule)).toEqual(['attack_tactics_7d']);
    expect(await incidentsReport(pool(), { status: 'open', until: hour(3) })).toEqual([]);
  });
});
