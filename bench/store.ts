/**
 * Store benchmark: saveRun for a run with 10,000 findings (and one risk event per finding), new
 * and replacing an existing run; and the risk report over 100,000 risk events, all time and one
 * day. It runs its own embedded Postgres in a temp dir with the server's default (durable)
 * settings, i.e. what `hunt` does on the machine it runs on. Data is synthetic but seeded.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'slonik';
import type { RiskEvent } from '../src/risk/model.js';
import { openDatabase } from '../src/store/database.js';
import type { RunRecord } from '../src/store/model.js';
import { riskReport } from '../src/store/reports.js';
import { saveRun } from '../src/store/runs.js';
import type { BenchResult } from './lake-import.js';
import { median } from './median.js';

const FINDINGS = 10_000;
const REPORT_EVENTS = 100_000;
const REPORT_RUNS = 100; // × 1,000 risk events
const REPEATS = 5;
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 0, 1);

/** mulberry32: a tiny seeded PRNG, so every run stores the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A result row shaped like an ESCU CloudTrail detection's (`stats ... by ...` output). */
function finding(i: number, rand: () => number): Record<string, unknown> {
  const user = `user${Math.floor(rand() * 500)}`;
  return {
    firstTime: new Date(START_MS + Math.floor(rand() * DAY_MS)).toISOString(),
    lastTime: new Date(START_MS + DAY_MS).toISOString(),
    count: 1 + Math.floor(rand() * 50),
    user,
    src: `203.0.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
    aws_account_id: String(100000000000 + Math.floor(rand() * 5)),
    vendor_region: ['us-east-1', 'us-west-2', 'eu-west-1'][i % 3],
    signature: 'PutImage',
    dest: `repo-${Math.floor(rand() * 20)}`,
    user_agent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64',
  };
}

function event(detection: number, object: string, timeMs: number, score: number): RiskEvent {
  return {
    risk_object: object,
    risk_object_type: 'user',
    risk_score: score,
    risk_message: `suspicious activity by ${object}`,
    risk_time: new Date(timeMs).toISOString(),
    threat_objects: [{ value: '203.0.113.7', type: 'ip_address' }],
    mitre_attack_ids: ['T1078', 'T1204.003'],
    mitre_tactics: ['Initial Access', 'Execution', 'Persistence', 'Privilege Escalation', 'Defense Evasion'],
    analytic_stories: ['Dev Sec Ops'],
    detection_id: `det-${detection}`,
    detection_name: `Detection ${detection}`,
    detection_version: 1,
  };
}

function run10k(windowStartMs: number, rand: () => number): RunRecord {
  const results = Array.from({ length: FINDINGS }, (_, i) => finding(i, rand));
  const latest = new Date(windowStartMs + DAY_MS).toISOString();
  return {
    detectionId: 'bench-10k',
    detectionName: 'Bench 10k',
    detectionVersion: 1,
    windowEarliest: new Date(windowStartMs).toISOString(),
    windowLatest: latest,
    trigger: 'backfill',
    engine: 'duckdb',
    status: 'succeeded',
    startedAt: latest,
    finishedAt: latest,
    sql: 'SELECT …',
    params: [],
    warnings: [],
    stats: {},
    results,
    riskEvents: results.map((r) => event(0, String(r.user), windowStartMs + DAY_MS, 25)),
  };
}

export async function run(): Promise<BenchResult[]> {
  const home = await mkdtemp(join(tmpdir(), 'hunt-bench-store-'));
  await chmod(home, 0o755); // as root the server runs as `postgres`, which must enter it
  const db = await openDatabase({ huntHome: home });
  try {
    const rand = prng(11);

    // saveRun, 10,000 findings: new runs (distinct windows), then replacing one run
    const fresh: number[] = [];
    const replacing: number[] = [];
    for (let k = 0; k <= REPEATS; k++) {
      const run = run10k(START_MS + k * DAY_MS, rand);
      const t = performance.now();
      await saveRun(db.pool, run);
      if (k > 0) fresh.push(performance.now() - t); // the first one warms up the connection and plans
    }
    for (let k = 0; k < REPEATS; k++) {
      const run = run10k(START_MS, rand);
      const t = performance.now();
      const { replaced } = await saveRun(db.pool, run);
      replacing.push(performance.now() - t);
      if (!replaced) throw new Error('expected the run to be replaced');
    }
    await db.pool.query(sql.unsafe`TRUNCATE runs, findings, risk_events, schedule_windows`);

    // 100,000 risk events: 100 daily runs (one per day, 20 detections taking turns) over 2,000 users
    for (let r = 0; r < REPORT_RUNS; r++) {
      const detection = r % 20;
      const dayMs = START_MS + r * DAY_MS;
      const events = Array.from({ length: REPORT_EVENTS / REPORT_RUNS }, () =>
        event(detection, `user${Math.floor(rand() * 2000)}`, dayMs + DAY_MS, 5 + Math.floor(rand() * 20) * 5),
      );
      await saveRun(db.pool, {
        ...run10k(dayMs, rand),
        detectionId: `det-${detection}`,
        detectionName: `Detection ${detection}`,
        results: [],
        riskEvents: events,
      });
    }
    await db.pool.query(sql.unsafe`ANALYZE risk_events`);
    const stored = Number(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM risk_events`));
    if (stored !== REPORT_EVENTS) throw new Error(`expected ${REPORT_EVENTS} risk events, stored ${stored}`);

    const timeReport = async (opts: { since?: string; until?: string }): Promise<{ ms: number; rows: number }> => {
      await riskReport(db.pool, opts); // warm-up
      const times: number[] = [];
      let rows = 0;
      for (let k = 0; k < REPEATS; k++) {
        const t = performance.now();
        rows = (await riskReport(db.pool, opts)).length;
        times.push(performance.now() - t);
      }
      return { ms: median(times), rows };
    };
    const all = await timeReport({});
    // the day holding run 50's events (risk_time = its window end)
    const oneDay = await timeReport({
      since: new Date(START_MS + 51 * DAY_MS).toISOString(),
      until: new Date(START_MS + 52 * DAY_MS).toISOString(),
    });

    const freshMs = median(fresh);
    const replacingMs = median(replacing);
    return [
      {
        name: 'saveRun: 10,000 findings, new run',
        value: Math.round(FINDINGS / (freshMs / 1000)),
        unit: 'findings/s',
        note: `median ${freshMs.toFixed(0)} ms per run of ${REPEATS}, with ${FINDINGS} risk events`,
      },
      {
        name: 'saveRun: 10,000 findings, replacing a run',
        value: Math.round(FINDINGS / (replacingMs / 1000)),
        unit: 'findings/s',
        note: `median ${replacingMs.toFixed(0)} ms per run of ${REPEATS}, old rows deleted in the same transaction`,
      },
      {
        name: 'risk report: 100,000 risk events, all time',
        value: Math.round(all.ms),
        unit: 'ms',
        note: `median of ${REPEATS}; ${all.rows} objects`,
      },
      {
        name: 'risk report: 100,000 risk events, one day',
        value: Math.round(oneDay.ms * 10) / 10,
        unit: 'ms',
        note: `median of ${REPEATS}; ${REPORT_EVENTS / REPORT_RUNS} of the events, ${oneDay.rows} objects (index on risk_time)`,
      },
    ];
  } finally {
    await db.close();
    await rm(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
}
