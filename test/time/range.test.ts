/**
 * The supported time range: a time past 9999-12-31T23:59:59.999Z (or before year 1) would be
 * bound as a five-digit-year timestamp that matches nothing, so it is refused where it is
 * parsed, naming the range; the edges themselves are accepted.
 */
import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import { scheduleSettings, SCHEDULE_DEFAULTS } from '../../src/scheduler/config.js';
import type { Detection } from '../../src/detections/model.js';
import { detectionSchedule } from '../../src/scheduler/schedules.js';
import { parseNow, resolveTime, resolveWindow, TimeModifierError } from '../../src/time/index.js';
import { windowOf } from '../../src/time/window.js';

const now = DateTime.fromISO('2026-11-20T10:00:00Z', { zone: 'utc' });
const RANGE = /outside the supported time range, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59\.999Z/;
// 10000-01-01T00:00:00Z in epoch seconds
const Y10K = '253402300800';

describe('times past year 9999 are refused where they are parsed', () => {
  test.each([
    [Y10K, '+010000-01-01T00:00:00.000Z'],
    ['+8000y', '+010026-11-20T10:00:00.000Z'],
    ['@y+7974y', '+010000-01-01T00:00:00.000Z'],
  ])('resolveTime %j', (text, shown) => {
    expect(() => resolveTime(text, { now })).toThrow(TimeModifierError);
    expect(() => resolveTime(text, { now })).toThrow(RANGE);
    expect(() => resolveTime(text, { now })).toThrow(`${shown} is outside`);
  });

  test.each(['10000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '123456-07-08'])(
    'an ISO time with a five-digit year, %s, is refused naming the range',
    (text) => {
      expect(() => resolveTime(text, { now })).toThrow(TimeModifierError);
      expect(() => resolveTime(text, { now })).toThrow(
        /a year of five digits or more is outside the supported time range, 0001-01-01T00:00:00Z to 9999/,
      );
    },
  );

  test('the last millisecond of 9999 and the first of year 1 are accepted', () => {
    expect(resolveTime('253402300799.999', { now }).toISO()).toBe('9999-12-31T23:59:59.999Z');
    expect(resolveTime('0001-01-01T00:00:00Z', { now }).toISO()).toBe('0001-01-01T00:00:00.000Z');
    expect(() => resolveTime('0000-12-31T23:59:59Z', { now })).toThrow(RANGE);
  });

  test('a window ending in year 10000 is refused, not run empty', () => {
    expect(() => resolveWindow('-1h', Y10K, { now })).toThrow(RANGE);
    expect(() => resolveWindow('9999-12-31T23:00:00Z', '+1y', { now: parseNow('9999-12-31T22:00:00Z') })).toThrow(
      RANGE,
    );
  });

  test('--now past 9999 is refused naming --now', () => {
    expect(() => parseNow(Y10K)).toThrow(TimeModifierError);
    expect(() => parseNow(Y10K)).toThrow(/--now \+010000-01-01T00:00:00\.000Z is outside the supported time range/);
    expect(parseNow('253402300799').toISO()).toBe('9999-12-31T23:59:59.000Z');
  });

  test('a stored window past 9999 cannot become a Window', () => {
    expect(() => windowOf('9999-12-31T23:00:00Z', '+010000-01-01T00:00:00Z')).toThrow(RANGE);
    expect(windowOf('9999-12-31T23:00:00Z', '9999-12-31T23:59:59.999Z').latest.year).toBe(9999);
  });

  test('an override window past 9999 in the configuration is refused naming its key', () => {
    const settings = scheduleSettings(SCHEDULE_DEFAULTS, { detections: { my_rule: { latest: '+8000y' } } });
    const d = {
      id: '00000000-0000-0000-0000-000000000001',
      name: 'My Rule',
      file: '/x/my_rule.yml',
      schedule: { cron: '0 * * * *', earliest: '-70m@m', latest: '-10m@m' },
    } as Detection;
    expect(() => detectionSchedule(d, settings, 'UTC')).toThrow(
      /^schedule\.detections\.my_rule: .*outside the supported time range/,
    );
  });
});
