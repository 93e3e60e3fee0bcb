/**
 * `hunt run` over 30 days and 300,000 CloudTrail events: the whole CLI process, against the
 * same SQL run directly in DuckDB (a bare Node process that opens the lake and runs it), in
 * the same run. Also the files a 1-hour vs a 30-day window reads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { loadConfig } from '../src/config/config.js';
import { generateBulkCloudtrail } from '../src/demo/index.js';
import { importRecords } from '../src/lake/import.js';
import { prepareRule } from '../src/translate/prepare.js';
import { bindParams } from '../src/sql/params.js';
import type { BenchResult } from './lake-import.js';
import { median } from './median.js';

const EVENTS = 300_000;
const DAYS = 30;
const RULE = 'AWS ECR Container Upload Outside Business Hours';
const START = DateTime.fromISO('2026-10-01T00:00:00Z', { zone: 'utc' });

function wall(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function run(): Promise<BenchResult[]> {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  const dir = await mkdtemp(join(tmpdir(), 'hunt-bench-run-'));
  try {
    const lake = join(dir, 'lake');
    const records = [...generateBulkCloudtrail({ start: START, days: DAYS, eventsPerDay: EVENTS / DAYS, seed: 7 })];
    await importRecords(lake, { cloudtrail: records, ocsf: [] });

    const earliest = START.toISO() as string;
    const latest = START.plus({ days: DAYS }).toISO() as string;
    const config = loadConfig(undefined);
    const prepared = prepareRule(RULE, config, 'duckdb');
    const params = bindParams(prepared.translation.slots, { earliest: START, latest: START.plus({ days: DAYS }) }).map(
      (p) => p.value,
    );

    // the baseline: the same SQL, parameters and lake views, in a bare Node process
    const direct = join(process.cwd(), 'bench', `.direct-${process.pid}.mjs`);
    await writeFile(
      direct,
      `import { openLake } from '${join(process.cwd(), 'dist/lake/open.js')}';
const lake = await openLake(${JSON.stringify(lake)});
const r = await lake.connection.runAndReadAll(${JSON.stringify(prepared.translation.sql)}, ${JSON.stringify(params)});
process.stdout.write(JSON.stringify(r.getRowObjectsJson()));
await lake.close();
`,
    );
    const env = { ...process.env, HUNT_HOME: join(dir, 'home') };
    const huntArgs = [
      'bin/hunt.js',
      'run',
      RULE,
      '--lake',
      lake,
      '--earliest',
      earliest,
      '--latest',
      latest,
      '--no-store',
      '--json',
    ];
    const directTimes: number[] = [];
    const huntTimes: number[] = [];
    try {
      // warm the file cache once, then alternate so both see the same machine state
      wall(process.execPath, [direct], env);
      for (let i = 0; i < 5; i++) {
        directTimes.push(wall(process.execPath, [direct], env));
        huntTimes.push(wall(process.execPath, huntArgs, env));
      }
    } finally {
      await rm(direct, { force: true });
    }
    const h = median(huntTimes);
    const d = median(directTimes);
    return [
      {
        name: `hunt run, ${DAYS} days, ${EVENTS.toLocaleString('en')} events (whole process)`,
        value: Math.round(h),
        unit: 'ms',
        note: 'target < 3000',
      },
      { name: 'same SQL run directly in DuckDB (whole process)', value: Math.round(d), unit: 'ms' },
      { name: 'hunt run / direct DuckDB', value: Number((h / d).toFixed(2)), unit: 'x', note: 'target <= 1.30' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
