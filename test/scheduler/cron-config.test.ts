/**
 * A bad cron (or window) is reported naming where to fix it: the configuration file and the
 * `schedule.detections` key for an override, the detection's own file for its cron_schedule.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { loadCatalog } from '../../src/detections/catalog.js';
import type { Detection } from '../../src/detections/model.js';
import { detectionSchedule, ScheduleConfigError } from '../../src/scheduler/schedules.js';
import { configFiles } from '../support/config-files.js';

const { file } = configFiles('cron-config');
const d = loadCatalog('detections').detections.find(
  (x) => x.name === 'AWS ECR Container Upload Unknown User',
) as Detection;

describe('cron errors name the file and the key', () => {
  test('an override cron in the configuration: schedule.detections.<key> and the file', () => {
    const f = file(`schedule:\n  detections:\n    aws_ecr_container_upload_unknown_user:\n      cron: "0 24 * * *"\n`);
    const config = loadConfig(f, {});
    expect(() => detectionSchedule(d, config.schedule, 'UTC')).toThrow(ScheduleConfigError);
    expect(() => detectionSchedule(d, config.schedule, 'UTC')).toThrow(
      `schedule.detections.aws_ecr_container_upload_unknown_user: cron "0 24 * * *": hour field "24" (at position 2)`,
    );
    expect(() => detectionSchedule(d, config.schedule, 'UTC')).toThrow(`(in ${f})`);
  });

  test('an override window in the configuration: the key and the file', () => {
    const f = file(`schedule:\n  detections:\n    ${d.id}:\n      latest: "+8000y"\n`);
    const config = loadConfig(f, {});
    expect(() => detectionSchedule(d, config.schedule, 'UTC')).toThrow(
      new RegExp(`^schedule\\.detections\\.${d.id}: .*outside the supported time range.*\\(in ${f}\\)$`, 's'),
    );
  });

  test("a detection's own cron_schedule: the detection and its file", () => {
    const bad = { ...d, schedule: { ...d.schedule, cron: '61 * * * *' } };
    expect(() => detectionSchedule(bad, loadConfig(undefined, {}).schedule, 'UTC')).toThrow(
      `${d.name} (its cron_schedule and earliest/latest, in ${d.file}): cron "61 * * * *": minute field "61"`,
    );
  });
});
