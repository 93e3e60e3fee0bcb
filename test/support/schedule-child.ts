/**
 * Child process of test/scheduler/simulate-24h.test.ts: one scheduler pass at NOW over LAKE,
 * which SIGKILLs itself inside the transaction storing its KILL_AT-th run, once the findings are
 * written and before the commit: a daemon killed mid-run, with no chance to clean up.
 * Run with `node --import tsx`, DATABASE_URL set.
 */
import { DateTime } from 'luxon';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { silentLogger } from '../../src/log/logger.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { openDatabase } from '../../src/store/database.js';
import { shippedScheduled, testSettings } from './schedule-fixture.js';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const killAt = Number(env('KILL_AT'));
const db = await openDatabase({ databaseUrl: env('DATABASE_URL'), huntHome: '/nonexistent/hunt-home' });
const engine = await DuckdbEngine.open(env('LAKE'));
let stored = 0;
const scheduler = new Scheduler({
  pool: db.pool,
  engine,
  detections: shippedScheduled(),
  settings: testSettings({ concurrency: 1 }),
  zone: 'UTC',
  clock: new ManualClock(DateTime.fromISO(env('NOW'), { zone: 'utc' })),
  log: silentLogger(),
  owner: 'doomed-child',
  saveHooks: {
    afterFindings: async () => {
      if (++stored < killAt) return;
      await new Promise<void>((resolve) => process.stdout.write(`killing myself in run ${stored}\n`, () => resolve()));
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => {}); // never commits
    },
  },
});
await scheduler.pass();
process.stdout.write('pass finished without being killed\n');
