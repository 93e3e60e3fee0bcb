/**
 * Backfill: 30 days of the ESCU hourly windows (720, each [F-70m, F-10m) of a fire time F)
 * for every shipped detection over 1,020,000 CloudTrail events (and the Security Lake view of
 * their ECR calls), answered batched (runWindows: one query per week of windows) and window
 * by window (runWindow in a loop), in the same run on the same lake. The findings must be
 * identical, record by record; the bench fails loudly if not.
 *
 * The lake is built by the real importer and kept under the temp dir keyed by its parameters
 * (delete it to rebuild): generating and importing a million events takes a minute.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DateTime } from 'luxon';
import { loadConfig } from '../src/config/config.js';
import { loadCatalog } from '../src/detections/catalog.js';
import { cloudtrailToOcsf, generateBulkCloudtrail } from '../src/demo/index.js';
import { DuckdbEngine } from '../src/engines/duckdb/engine.js';
import { importRecords } from '../src/lake/import.js';
import { silentLogger } from '../src/log/logger.js';
import { macroTable, prepare, type Prepared } from '../src/translate/prepare.js';
import { backfill } from '../src/scheduler/backfill.js';
import { ManualClock } from '../src/scheduler/clock.js';
import { openDatabase } from '../src/store/database.js';
import { sql } from 'slonik';
import { runWindow } from '../src/runner/run-window.js';
import { runWindows } from '../src/runner/run-windows.js';
import type { RunRecord } from '../src/store/model.js';
import type { Window } from '../src/time/window.js';
import type { BenchResult } from './lake-import.js';

const EVENTS_PER_DAY = 34_000;
const DAYS = 30;
const EVENTS = EVENTS_PER_DAY * DAYS;
const SEED = 11;
const START = DateTime.fromISO('2026-10-01T00:00:00Z', { zone: 'utc' });
/** records per importer call: the stream is lazy, the importer takes arrays */
const IMPORT_CHUNK = 200_000;

async function buildLake(): Promise<string> {
  const lake = join(tmpdir(), `hunt-bench-backfill-${EVENTS}-${DAYS}-${SEED}-${START.toFormat('yyyyMMdd')}`);
  const done = join(lake, '.bench-complete');
  if (existsSync(done)) return lake;
  await rm(lake, { recursive: true, force: true });
  await mkdir(lake, { recursive: true });
  let cloudtrail: object[] = [];
  let ocsf: object[] = [];
  const flush = async (): Promise<void> => {
    await importRecords(lake, { cloudtrail, ocsf });
    cloudtrail = [];
    ocsf = [];
  };
  for (const r of generateBulkCloudtrail({ start: START, days: DAYS, eventsPerDay: EVENTS_PER_DAY, seed: SEED })) {
    cloudtrail.push(r);
    if ((r as { eventSource?: string }).eventSource === 'ecr.amazonaws.com') {
      const o = cloudtrailToOcsf(r as Record<string, unknown>);
      if (o) ocsf.push(o);
    }
    if (cloudtrail.length >= IMPORT_CHUNK) await flush();
  }
  if (cloudtrail.length > 0) await flush();
  await writeFile(done, new Date().toISOString());
  return lake;
}

/**
 * `hunt backfill`'s own path (src/scheduler/backfill.ts: plan in the ledger, claim, query, store
 * every run in Postgres) over the same 30 days, batched (a week per chunk) and window by window
 * (chunks of one), each on a fresh embedded Postgres. The stored findings must be the same.
 */
async function throughTheLedger(
  engine: DuckdbEngine,
  detections: Prepared[],
  findings: number,
): Promise<{ batchedMs: number; singleMs: number; chunks: number }> {
  const from = START.plus({ hours: 1 });
  const to = from.plus({ days: DAYS });
  const times: number[] = [];
  let chunks = 0;
  for (const chunkWindows of [24 * 7, 1]) {
    const home = await mkdtemp(join(tmpdir(), 'hunt-bench-backfill-db-'));
    await chmod(home, 0o755); // as root the server runs as `postgres`, which must enter it
    const db = await openDatabase({ huntHome: home });
    try {
      const t = performance.now();
      const report = await backfill({
        pool: db.pool,
        engine,
        detections: detections.map((p) => ({ prepared: p, schedule: p.detection.schedule })),
        zone: 'UTC',
        clock: new ManualClock(to.plus({ hours: 1 })),
        log: silentLogger(),
        from,
        to,
        chunkWindows,
        leaseMs: 600_000,
        owner: 'bench',
      });
      times.push(performance.now() - t);
      if (chunkWindows > 1) chunks = report.chunks;
      const stored = Number(await db.pool.oneFirst(sql.unsafe`SELECT count(*)::int FROM findings`));
      if (report.findings !== findings || stored !== findings || report.failed > 0) {
        throw new Error(
          `backfill bench: through the ledger (${chunkWindows} per chunk) stored ${stored} findings (${report.failed} failed), window by window gave ${findings}`,
        );
      }
    } finally {
      await db.close();
      await rm(home, { recursive: true, force: true });
    }
  }
  return { batchedMs: times[0] as number, singleMs: times[1] as number, chunks };
}

/** what must agree: everything but timings, engine stats and the query text */
const essence = (r: RunRecord) => [r.windowEarliest, r.windowLatest, r.status, r.error, r.results, r.riskEvents];

export async function run(): Promise<BenchResult[]> {
  const lake = await buildLake();
  const engine = await DuckdbEngine.open(lake);
  try {
    const config = loadConfig(undefined, {});
    const catalog = loadCatalog(config.detectionsDir);
    const macros = macroTable(config, catalog.macros);
    // the ESCU schedule over 30 days: F = START + 1h ... ; window [F-70m, F-10m)
    const first = START.minus({ minutes: 10 });
    const windows: Window[] = Array.from({ length: DAYS * 24 }, (_, i) => ({
      earliest: first.plus({ hours: i }),
      latest: first.plus({ hours: i + 1 }),
    }));
    let batchedMs = 0;
    let singleMs = 0;
    let queries = 0;
    let findings = 0;
    const fellBack: string[] = [];
    for (const detection of catalog.detections) {
      const p = prepare(detection, macros, config, 'duckdb');
      let t = performance.now();
      const many = await runWindows(engine, p, windows, 'backfill', {
        onFallback: (reason) => fellBack.push(`${detection.name}: ${reason}`),
      });
      batchedMs += performance.now() - t;
      queries += new Set(many.map((r) => JSON.stringify(r.stats.batch ?? r.windowEarliest))).size;
      t = performance.now();
      const one: RunRecord[] = [];
      for (const w of windows) one.push(await runWindow(engine, p, w, 'backfill'));
      singleMs += performance.now() - t;
      const a = many.map(essence);
      const b = one.map(essence);
      if (!isDeepStrictEqual(a, b)) {
        const i = a.findIndex((x, j) => !isDeepStrictEqual(x, b[j]));
        throw new Error(
          `backfill bench: ${detection.name}: batched and window-by-window records differ at window ${i}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`,
        );
      }
      if (one.some((r) => r.status !== 'succeeded'))
        throw new Error(
          `backfill bench: ${detection.name}: a window failed: ${one.find((r) => r.status !== 'succeeded')?.error}`,
        );
      findings += one.reduce((n, r) => n + r.results.length, 0);
    }
    const n = catalog.detections.length;
    const e2e = await throughTheLedger(
      engine,
      catalog.detections.map((d) => prepare(d, macros, config, 'duckdb')),
      findings,
    );
    return [
      {
        name: `backfill ${windows.length} hourly windows x ${n} detections, batched`,
        value: Math.round(batchedMs),
        unit: 'ms',
        note: `${queries} queries; ${EVENTS.toLocaleString('en')} events over ${DAYS} days; ${findings} findings${fellBack.length ? `; window by window: ${fellBack.join('; ')}` : ''}`,
      },
      {
        name: 'same, window by window',
        value: Math.round(singleMs),
        unit: 'ms',
        note: `${windows.length * n} queries; identical records`,
      },
      {
        name: 'window by window / batched',
        value: Number((singleMs / batchedMs).toFixed(1)),
        unit: 'x',
        note: 'target >= 20',
      },
      {
        name: 'hunt backfill through the ledger, batched',
        value: Math.round(e2e.batchedMs),
        unit: 'ms',
        note: `claims, ${e2e.chunks} queries, ${windows.length * n} runs stored in Postgres, ${findings} findings`,
      },
      {
        name: 'same, window by window',
        value: Math.round(e2e.singleMs),
        unit: 'ms',
        note: `${windows.length * n} claims, queries and stores`,
      },
      {
        name: 'through the ledger: window by window / batched',
        value: Number((e2e.singleMs / e2e.batchedMs).toFixed(1)),
        unit: 'x',
      },
    ];
  } finally {
    await engine.close();
  }
}
