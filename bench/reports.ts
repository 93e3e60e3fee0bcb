/**
 * Reports benchmark: every report over 1,000,000 stored risk events (bench/reports-seed.ts),
 * each timed as the median of several runs through the store functions the CLI calls. Target:
 * each under 500 ms. Its own embedded Postgres in a temp dir, default settings.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../src/store/database.js';
import { riskReport } from '../src/store/reports.js';
import { detectionsReport } from '../src/store/reports-detections.js';
import { incidentsReport } from '../src/store/reports-incidents.js';
import { objectReport } from '../src/store/reports-object.js';
import type { BenchResult } from './lake-import.js';
import { median } from './median.js';
import { SEED, SEED_END, seedReports } from './reports-seed.js';

const REPEATS = 5;
const TARGET_MS = 500;
const WEEK_AGO = new Date(Date.parse(SEED_END) - 7 * 86_400_000).toISOString();

export async function run(): Promise<BenchResult[]> {
  const home = await mkdtemp(join(tmpdir(), 'hunt-bench-reports-'));
  await chmod(home, 0o755); // as root the server runs as `postgres`, which must enter it
  const db = await openDatabase({ huntHome: home });
  try {
    const seeded = performance.now();
    await seedReports(db.pool);
    const seedS = (performance.now() - seeded) / 1000;
    const cases: { name: string; run: () => Promise<number> }[] = [
      { name: 'risk, all time', run: async () => (await riskReport(db.pool, {})).length },
      { name: 'risk, last 7 days', run: async () => (await riskReport(db.pool, { since: WEEK_AGO })).length },
      { name: 'risk --type system, all time', run: async () => (await riskReport(db.pool, { type: 'system' })).length },
      {
        name: 'object user-0 (busiest), last 7 days',
        run: async () => (await objectReport(db.pool, 'user-0', { since: WEEK_AGO })).timeline.length,
      },
      { name: 'detections, all time', run: async () => (await detectionsReport(db.pool, {})).length },
      {
        name: 'detections, last 7 days',
        run: async () => (await detectionsReport(db.pool, { since: WEEK_AGO })).length,
      },
      {
        name: `incidents (${SEED.incidents.toLocaleString('en')}), all`,
        run: async () => (await incidentsReport(db.pool, {})).length,
      },
      {
        name: 'incidents --status open, last 7 days',
        run: async () => (await incidentsReport(db.pool, { status: 'open', since: WEEK_AGO })).length,
      },
    ];
    const out: BenchResult[] = [];
    for (const c of cases) {
      let rows = await c.run(); // warm-up: plans, caches
      const times: number[] = [];
      for (let k = 0; k < REPEATS; k++) {
        const t = performance.now();
        rows = await c.run();
        times.push(performance.now() - t);
      }
      const ms = median(times);
      out.push({
        name: `report ${c.name}`,
        value: Math.round(ms),
        unit: 'ms',
        note: `median of ${REPEATS}; ${rows} rows; ${ms < TARGET_MS ? 'under' : 'OVER'} ${TARGET_MS} ms; data seeded in ${seedS.toFixed(0)} s`,
      });
    }
    return out;
  } finally {
    await db.close();
    await rm(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
}
