import { beforeAll, describe, expect, it } from 'vitest';
import type { RiskEvent } from '../../src/risk/model.js';
import { riskReport } from '../../src/store/reports.js';
import { saveRun } from '../../src/store/runs.js';
import { clearHistory, makeRun, riskEvent, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;

/** One run per window hour, holding the given events (risk_time = the window's end, as ES does). */
async function saveHour(
  hour: number,
  detection: { id: string; name: string },
  events: Partial<RiskEvent>[],
): Promise<void> {
  const earliest = new Date(Date.UTC(2024, 2, 1, hour)).toISOString();
  const latest = new Date(Date.UTC(2024, 2, 1, hour + 1)).toISOString();
  await saveRun(
    pool(),
    makeRun({
      detectionId: detection.id,
      detectionName: detection.name,
      windowEarliest: earliest,
      windowLatest: latest,
      riskEvents: events.map((e) =>
        riskEvent({ risk_time: latest, detection_id: detection.id, detection_name: detection.name, ...e }),
      ),
    }),
  );
}

const zeta = { id: 'z', name: 'Zeta Detection' };
const alpha = { id: 'a', name: 'Alpha Detection' };
const beta = { id: 'b', name: 'beta detection' };

beforeAll(async () => {
  await clearHistory(pool());
  // risk_time 01:00
  await saveHour(0, zeta, [
    { risk_object: 'alice', risk_score: 40 },
    { risk_object: 'bob', risk_score: 25 },
  ]);
  // risk_time 02:00
  await saveHour(1, alpha, [
    { risk_object: 'alice', risk_score: 10.5 },
    { risk_object: 'alice', risk_object_type: 'system', risk_score: 80 },
    { risk_object: 'carol', risk_score: 0.1 },
    { risk_object: 'carol', risk_score: 0.2 },
  ]);
  // risk_time 03:00
  await saveHour(2, beta, [
    { risk_object: 'bob', risk_score: 25 },
    { risk_object: 'alice', risk_score: 5 },
  ]);
  // the same run saved twice counts once
  await saveHour(2, beta, [
    { risk_object: 'bob', risk_score: 25 },
    { risk_object: 'alice', risk_score: 5 },
  ]);
  // risk_time 06:00: ties with bob's total; 'Dave' < 'bob' by code point ("C" collation)
  await saveHour(5, zeta, [{ risk_object: 'Dave', risk_score: 50 }]);
});

describe('riskReport', () => {
  it('totals per object, highest first, ties by object', async () => {
    expect(await riskReport(pool(), {})).toEqual([
      {
        risk_object: 'alice',
        risk_object_type: 'system',
        total_score: 80,
        events: 1,
        detections: ['Alpha Detection'],
        tactics: ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'],
        techniques: ['T1078'],
        first_time: '2024-03-01T02:00:00.000Z',
        last_time: '2024-03-01T02:00:00.000Z',
      },
      {
        risk_object: 'alice',
        risk_object_type: 'user',
        total_score: 55.5,
        events: 3,
        // distinct, sorted by code point (upper case first)
        detections: ['Alpha Detection', 'Zeta Detection', 'beta detection'],
        tactics: ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'],
        techniques: ['T1078'],
        first_time: '2024-03-01T01:00:00.000Z',
        last_time: '2024-03-01T03:00:00.000Z',
      },
      {
        risk_object: 'Dave',
        risk_object_type: 'user',
        total_score: 50,
        events: 1,
        detections: ['Zeta Detection'],
        tactics: ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'],
        techniques: ['T1078'],
        first_time: '2024-03-01T06:00:00.000Z',
        last_time: '2024-03-01T06:00:00.000Z',
      },
      {
        risk_object: 'bob',
        risk_object_type: 'user',
        total_score: 50,
        events: 2,
        detections: ['Zeta Detection', 'beta detection'],
        tactics: ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'],
        techniques: ['T1078'],
        first_time: '2024-03-01T01:00:00.000Z',
        last_time: '2024-03-01T03:00:00.000Z',
      },
      {
        risk_object: 'carol',
        risk_object_type: 'user',
        // numeric, not float: 0.1 + 0.2 is 0.3
        total_score: 0.3,
        events: 2,
        detections: ['Alpha Detection'],
        tactics: ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'],
        techniques: ['T1078'],
        first_time: '2024-03-01T02:00:00.000Z',
        last_time: '2024-03-01T02:00:00.000Z',
      },
    ]);
  });

  it('counts since inclusive and until exclusive', async () => {
    const rows = await riskReport(pool(), { since: '2024-03-01T02:00:00Z', until: '2024-03-01T03:00:00Z' });
    expect(rows.map((r) => [r.risk_object, r.risk_object_type, r.total_score, r.events])).toEqual([
      ['alice', 'system', 80, 1],
      ['alice', 'user', 10.5, 1],
      ['carol', 'user', 0.3, 2],
    ]);
    for (const r of rows) {
      expect(r.first_time).toBe('2024-03-01T02:00:00.000Z');
      expect(r.last_time).toBe('2024-03-01T02:00:00.000Z');
    }
  });

  it('takes each bound on its own, and times without an offset as UTC', async () => {
    const since = await riskReport(pool(), { since: '2024-03-01T03:00:00' });
    expect(since.map((r) => [r.risk_object, r.total_score])).toEqual([
      ['Dave', 50],
      ['bob', 25],
      ['alice', 5],
    ]);
    const until = await riskReport(pool(), { until: '2024-03-01T02:00:00+01:00' }); // = 01:00Z, exclusive
    expect(until).toEqual([]);
    const untilLater = await riskReport(pool(), { until: '2024-03-01T01:00:00.001Z' });
    expect(untilLater.map((r) => [r.risk_object, r.total_score])).toEqual([
      ['alice', 40],
      ['bob', 25],
    ]);
  });

  it('is empty for an empty range, and rejects a time it cannot read', async () => {
    expect(await riskReport(pool(), { since: '2025-01-01T00:00:00Z' })).toEqual([]);
    expect(await riskReport(pool(), { since: '2024-03-01T02:00:00Z', until: '2024-03-01T02:00:00Z' })).toEqual([]);
    expect(await riskReport(pool(), { since: '2024-03-01T03:00:00Z', until: '2024-03-01T01:00:00Z' })).toEqual([]);
    await expect(riskReport(pool(), { since: 'last tuesday' })).rejects.toThrow(/since: not an ISO 8601 time/);
  });
});
