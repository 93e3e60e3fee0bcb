/**
 * Shared by the scheduler tests and their child processes: a local lake of demo traffic (the
 * real generator and importer), the shipped detections prepared for DuckDB with their ESCU
 * schedules, and scheduler settings for tests.
 */
import { DateTime } from 'luxon';
import { compileDirectory } from '../../src/compile/compile.js';
import { loadConfig } from '../../src/config/config.js';
import { SCHEDULE_DEFAULTS, type ScheduleSettings } from '../../src/scheduler/config.js';
import { generateDemoData } from '../../src/demo/index.js';
import { importRecords } from '../../src/lake/import.js';
import type { ScheduledDetection } from '../../src/scheduler/scheduler.js';
import { selectScheduled } from '../../src/scheduler/select.js';

/** The first fire time of the simulated day; the lake holds the two days before its end. */
export const DAY_START = DateTime.fromISO('2026-11-19T00:00:00Z', { zone: 'utc' });
export const DAY_END = DAY_START.plus({ hours: 24 });

export async function buildDemoLake(dir: string): Promise<void> {
  const data = generateDemoData({ now: DAY_END, days: 2 });
  await importRecords(dir, { cloudtrail: data.cloudtrail, ocsf: data.ocsf });
}

/** The shipped detections, compiled for DuckDB, each on its own ESCU schedule. */
export function shippedScheduled(): ScheduledDetection[] {
  const config = loadConfig(undefined, { HUNT_HOME: '/nonexistent/hunt-home' });
  const outcomes = compileDirectory(config.detectionsDir, config, { dialect: 'duckdb' });
  return selectScheduled(outcomes, config.schedule, 'UTC').scheduled;
}

export const testSettings = (over: Partial<ScheduleSettings> = {}): ScheduleSettings => ({
  ...SCHEDULE_DEFAULTS,
  concurrency: 2,
  leaseMs: 5 * 60_000,
  ...over,
});
