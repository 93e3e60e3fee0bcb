/**
 * Run records and risk events for store tests. Free of vitest imports, so child processes
 * (test/support/crash-save.ts) can use them too.
 */
import type { RiskEvent } from '../../src/risk/model.js';
import type { RunRecord } from '../../src/store/model.js';

export function riskEvent(over: Partial<RiskEvent> = {}): RiskEvent {
  return {
    risk_object: 'alice',
    risk_object_type: 'user',
    risk_score: 10,
    risk_message: 'something risky by alice',
    risk_time: '2024-03-01T01:00:00Z',
    threat_objects: [{ value: '203.0.113.7', type: 'ip_address' }],
    mitre_attack_ids: ['T1078'],
    mitre_tactics: ['Initial Access', 'Persistence', 'Privilege Escalation', 'Defense Evasion'],
    analytic_stories: ['AWS Identity and Access Management Account Takeover'],
    detection_id: 'det-1',
    detection_name: 'Detection One',
    detection_version: 1,
    ...over,
  };
}

/** A run of `findings` rows `{ i, tag, user }`; `tag` marks which version of a run a row came from. */
export function makeRun(over: Partial<RunRecord> & { findings?: number; tag?: string } = {}): RunRecord {
  const { findings = 3, tag = 'v1', ...rest } = over;
  return {
    detectionId: 'det-1',
    detectionName: 'Detection One',
    detectionVersion: 1,
    windowEarliest: '2024-03-01T00:00:00Z',
    windowLatest: '2024-03-01T01:00:00Z',
    trigger: 'adhoc',
    engine: `duckdb-${tag}`,
    status: 'succeeded',
    startedAt: '2024-03-01T01:00:05Z',
    finishedAt: '2024-03-01T01:00:06Z',
    sql: 'SELECT 1',
    params: ['2024-03-01T00:00:00Z', 3],
    warnings: [],
    stats: { bytesScanned: 1234 },
    results: Array.from({ length: findings }, (_, i) => ({ i, tag, user: `user${i % 7}` })),
    riskEvents: Array.from({ length: Math.min(findings, 5) }, (_, i) =>
      riskEvent({ risk_object: `user${i}`, risk_message: tag }),
    ),
    ...rest,
  };
}
