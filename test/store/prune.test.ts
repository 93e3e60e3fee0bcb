/**
 * `hunt prune`: history whose window ended before the cutoff goes (runs with their findings and
 * risk events, ledger rows, incidents resting on them); newer history stays; a dry run deletes
 * nothing; bad ages are refused. Real Postgres, and the real CLI for the command itself.
 */
import { DateTime } from 'luxon';
import { sql } from 'slonik';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_RULES } from '../../src/risk/incident-rules.js';
import { addWindows } from '../../src/store/ledger.js';
import { prune } from '../../src/store/prune.js';
import { saveRun } from '../../src/store/runs.js';
import { windowOf } from '../../src/time/window.js';
import { hunt } from '../support/cli.js';
import { clearHistory, count, makeRun, riskEvent, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;

/** A run of window [day-1h, day) with 2 findings and one risk event of `score` for alice. */
const runOn = (day: string, score = 120) =>
  makeRun({
    findings: 2,
    windowEarliest: `${day}T00:00:00Z`,
    windowLatest: `${day}T01:00:00Z`,
    riskEvents: [riskEvent({ risk_object: 'alice', risk_score: score, risk_time: `${day}T01:00:00Z` })],
  });

beforeEach(async () => {
  await clearHistory(pool());
  await pool().query(sql.unsafe`TRUNCATE incidents`);
  for (const day of ['2024-01-01', '2024-06-01', '2025-03-01'])
    await saveRun(pool(), runOn(day), { incidentRules: DEFAULT_INCIDENT_RULES });
  await addWindows(
    pool(),
    ['2024-01-01', '2025-03-01'].map((day) => ({
      detectionId: 'det-1',
      detectionVersion: 1,
      detectionName: 'Detection One',
      window: windowOf(`${day}T00:00:00Z`, `${day}T01:00:00Z`),
      pass: 0,
      fireTime: DateTime.fromISO(`${day}T01:10:00Z`, { zone: 'utc' }),
      trigger: 'schedule' as const,
      status: 'pending' as const,
      dueAt: DateTime.fromISO(`${day}T01:10:00Z`, { zone: 'utc' }),
    })),
  );
});

const incidents = () => pool().oneFirst(sql.unsafe`SELECT count(*)::int FROM incidents`);

describe('prune', () => {
  it('deletes what ended before the cutoff, keeps the rest', async () => {
    expect(await incidents()).toBe(3); // each run alone is over 100
    const counts = await prune(pool(), '2024-07-01T00:00:00Z');
    expect(counts).toEqual({ runs: 2, findings: 4, risk_events: 2, windows: 1, incidents: 2 });
    expect(await count(pool(), 'runs')).toBe(1);
    expect(await count(pool(), 'findings')).toBe(2);
    expect(await count(pool(), 'risk_events')).toBe(1);
    expect(await pool().oneFirst(sql.unsafe`SELECT count(*)::int FROM schedule_windows`)).toBe(1);
    expect(await incidents()).toBe(1);
  });

  it('a dry run counts and deletes nothing', async () => {
    expect(await prune(pool(), '2024-07-01T00:00:00Z', { dryRun: true })).toMatchObject({
      runs: 2,
      findings: 4,
      windows: 1,
    });
    expect(await count(pool(), 'runs')).toBe(3);
  });

  it('hunt prune --older-than 400d through the CLI', async () => {
    const env = { DATABASE_URL: store.url };
    // now 2025-03-15: 400 days back is 2024-02-09, so only the 2024-01-01 window goes
    const r = await hunt(['prune', '--older-than', '400d', '--now', '2025-03-15T00:00:00Z', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      cutoff: '2024-02-09T00:00:00Z',
      dry_run: false,
      runs: 1,
      findings: 2,
      windows: 1,
    });
    expect(await count(pool(), 'runs')).toBe(2);
    for (const [age, message] of [
      ['1h', /--older-than 1h: must be at least 1d/],
      ['soon', /--older-than soon: invalid duration "soon" at position 0/],
    ] as const) {
      const bad = await hunt(['prune', '--older-than', age], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
    expect(await count(pool(), 'runs')).toBe(2);
  });
});
