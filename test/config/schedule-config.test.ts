/**
 * `schedule:` in configuration: every key in the file's units, defaults for the rest, bad values
 * refused naming the file and the field; per-detection overrides found by id, name or file stem,
 * enabling and disabling, and keys that match no detection reported.
 */
import { describe, expect, test } from 'vitest';
import { compileDirectory } from '../../src/compile/compile.js';
import { loadConfig } from '../../src/config/config.js';
import { SCHEDULE_DEFAULTS } from '../../src/scheduler/config.js';
import { loadCatalog } from '../../src/detections/catalog.js';
import type { Detection } from '../../src/detections/model.js';
import { detectionSchedule, ScheduleConfigError } from '../../src/scheduler/schedules.js';
import { selectScheduled } from '../../src/scheduler/select.js';
import { configFiles } from '../support/config-files.js';

const { load, refusal } = configFiles('schedule-config');

// the shipped detections: ids, names and stems to address them by
const shipped = loadCatalog('detections').detections;
const byName = (name: string): Detection => {
  const d = shipped.find((x) => x.name === name);
  if (!d) throw new Error(`no shipped detection ${name}`);
  return d;
};
const UNKNOWN_USER = byName('AWS ECR Container Upload Unknown User');
const ASL_UNKNOWN_USER = byName('ASL AWS ECR Container Upload Unknown User');
const SCANNING = byName('AWS ECR Container Scanning Findings Medium');

describe('schedule settings', () => {
  test('without schedule: the defaults', () => {
    expect(loadConfig(undefined, {}).schedule).toEqual(SCHEDULE_DEFAULTS);
    expect(SCHEDULE_DEFAULTS).toMatchObject({
      catchUpMs: 86_400_000,
      concurrency: 4,
      leaseMs: 300_000,
      rerunLast: 0,
      enableAll: true,
    });
  });

  test('every key, durations as text; keys left out keep their defaults', () => {
    const c = load(`schedule:
  catch_up: 6h
  concurrency: 2
  lease: 45s
  max_attempts: 5
  retry_delay: 1m30s
  max_retry_delay: 20m
  rerun_last: 2
  backfill_batch_windows: 12
  enable_all: false
`);
    expect(c.schedule).toEqual({
      catchUpMs: 6 * 3_600_000,
      concurrency: 2,
      leaseMs: 45_000,
      maxAttempts: 5,
      retryDelayMs: 90_000,
      maxRetryDelayMs: 20 * 60_000,
      rerunLast: 2,
      backfillBatchWindows: 12,
      enableAll: false,
      detections: {},
    });
    expect(load('schedule:\n  rerun_last: 1\n').schedule).toEqual({ ...SCHEDULE_DEFAULTS, rerunLast: 1 });
  });

  test.each([
    [
      'catch_up: "24"',
      /field `schedule\.catch_up`: is not a duration \(e\.g\. 24h, 7d\): invalid duration "24" at position 0/,
    ],
    ['catch_up: 24', /field `schedule\.catch_up`: is not a duration: a number needs a unit \(e\.g\. 24h/],
    ['catch_up: 1h30', /field `schedule\.catch_up`: .*at position 2/],
    ['lease: 5s', /field `schedule\.lease`: must be at least 10s/],
    ['lease: 5', /field `schedule\.lease`: is not a duration: a number needs a unit/],
    ['retry_delay: soon', /field `schedule\.retry_delay`: is not a duration/],
    ['concurrency: 0', /field `schedule\.concurrency`: .*greater than or equal to 1/],
    ['concurrency: 2.5', /field `schedule\.concurrency`: .*integer/],
    ['max_attempts: 0', /field `schedule\.max_attempts`/],
    ['rerun_last: -1', /field `schedule\.rerun_last`/],
    ['rerun_last: 49', /field `schedule\.rerun_last`/],
    ['backfill_batch_windows: 0', /field `schedule\.backfill_batch_windows`/],
    ['enable_all: yes please', /field `schedule\.enable_all`: expected boolean, got string/],
    ['catchup: 6h', /field `schedule`: Unrecognized key.*'catchup'/],
    ['detections:\n    x:\n      enable: false', /field `schedule\.detections\.x`: Unrecognized key.*'enable'/],
    [
      'detections:\n    x:\n      enabled: "no"',
      /field `schedule\.detections\.x\.enabled`: expected boolean, got string/,
    ],
    ['detections:\n    x:\n      cron: ""', /field `schedule\.detections\.x\.cron`/],
  ])('refuses %j', (body, message) => {
    expect(refusal(`schedule:\n  ${body}\n`)).toMatch(message);
  });
});

describe('per-detection overrides', () => {
  const settings = (body: string) => load(`schedule:\n${body}`).schedule;

  test('found by id, by name and by file stem; the rest keep their ESCU schedule', () => {
    const s = settings(`  detections:
    ${UNKNOWN_USER.id}:
      cron: "*/30 * * * *"
      earliest: -40m@m
    ASL AWS ECR Container Upload Unknown User:
      latest: -5m@m
    aws_ecr_container_scanning_findings_medium:
      cron: "0 */4 * * *"
`);
    expect(detectionSchedule(UNKNOWN_USER, s, 'UTC')).toEqual({
      schedule: { cron: '*/30 * * * *', earliest: '-40m@m', latest: '-10m@m' },
      enabled: true,
    });
    expect(detectionSchedule(ASL_UNKNOWN_USER, s, 'UTC')).toEqual({
      schedule: { cron: '0 * * * *', earliest: '-70m@m', latest: '-5m@m' },
      enabled: true,
    });
    expect(detectionSchedule(SCANNING, s, 'UTC').schedule.cron).toBe('0 */4 * * *');
    const other = byName('AWS ECR Container Upload Outside Business Hours');
    expect(detectionSchedule(other, s, 'UTC')).toEqual({ schedule: other.schedule, enabled: true });
  });

  test('enable_all: false runs only the detections enabled by name; enabled: false turns one off', () => {
    const off = settings(`  enable_all: false
  detections:
    ${SCANNING.name}:
      enabled: true
`);
    expect(shipped.filter((d) => detectionSchedule(d, off, 'UTC').enabled).map((d) => d.name)).toEqual([SCANNING.name]);
    const on = settings(`  detections:
    aws_ecr_container_upload_unknown_user:
      enabled: false
`);
    expect(shipped.filter((d) => !detectionSchedule(d, on, 'UTC').enabled).map((d) => d.name)).toEqual([
      UNKNOWN_USER.name,
    ]);
  });

  test('a bad override cron or window is refused naming schedule.detections.<key> and the field', () => {
    const badCron = settings(`  detections:\n    aws_ecr_container_upload_unknown_user:\n      cron: "0 24 * * *"\n`);
    expect(() => detectionSchedule(UNKNOWN_USER, badCron, 'UTC')).toThrow(ScheduleConfigError);
    expect(() => detectionSchedule(UNKNOWN_USER, badCron, 'UTC')).toThrow(
      /^schedule\.detections\.aws_ecr_container_upload_unknown_user: cron "0 24 \* \* \*": hour field "24" \(at position 2\)/,
    );
    const badWindow = settings(`  detections:\n    ${UNKNOWN_USER.id}:\n      earliest: -5m@m\n`);
    expect(() => detectionSchedule(UNKNOWN_USER, badWindow, 'UTC')).toThrow(
      new RegExp(`^schedule\\.detections\\.${UNKNOWN_USER.id}: .*must be after earliest "-5m@m"`),
    );
    const badModifier = settings(`  detections:\n    ${UNKNOWN_USER.name}:\n      earliest: -70x\n`);
    expect(() => detectionSchedule(UNKNOWN_USER, badModifier, 'UTC')).toThrow(
      /^schedule\.detections\.AWS ECR Container Upload Unknown User: invalid time modifier "-70x"/,
    );
  });

  test('selectScheduled: enabled detections with their schedules, disabled ones listed, unmatched keys reported', () => {
    const c = load(`schedule:
  detections:
    aws_ecr_container_upload_unknown_user:
      enabled: false
    ASL AWS ECR Container Upload Unknown User:
      cron: "*/30 * * * *"
    aws_ecr_container_upload_unknown_usr:
      enabled: false
    00000000-0000-0000-0000-000000000000:
      cron: "0 * * * *"
`);
    const sel = selectScheduled(compileDirectory('detections', c, { dialect: 'duckdb' }), c.schedule, 'UTC');
    expect(sel.disabled.map((d) => d.name)).toEqual([UNKNOWN_USER.name]);
    expect(sel.scheduled.map((d) => d.prepared.detection.name).sort()).toEqual(
      shipped
        .map((d) => d.name)
        .filter((x) => x !== UNKNOWN_USER.name)
        .sort(),
    );
    expect(sel.scheduled.find((d) => d.prepared.detection.name === ASL_UNKNOWN_USER.name)?.schedule.cron).toBe(
      '*/30 * * * *',
    );
    expect(sel.unmatched.sort()).toEqual([
      '00000000-0000-0000-0000-000000000000',
      'aws_ecr_container_upload_unknown_usr',
    ]);
    expect(sel.notCompiled).toEqual([]);
  });
});
