import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { hourlyFireTimes, parseNow, TimeModifierError } from '../../src/time/index.js';

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
const isoList = (ts: DateTime[]): (string | null)[] => ts.map((t) => t.toISO());

describe('parseNow', () => {
  it.each([
    ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00.000Z'],
    ['2026-11-20T12:00:00+02:00', '2026-11-20T10:00:00.000Z'],
    ['2026-11-20T10:00:00', '2026-11-20T10:00:00.000Z'],
    ['2026-11-20T10:00:00.125Z', '2026-11-20T10:00:00.125Z'],
    ['1732480800', '2024-11-24T20:40:00.000Z'],
    ['1732480800.25', '2024-11-24T20:40:00.250Z'],
  ])('%s', (text, expected) => {
    const now = parseNow(text);
    expect(now.zoneName).toBe('UTC');
    expect(now.toISO()).toBe(expected);
  });

  it.each(['', 'now', '-1h', '@d', 'tomorrow', '11/20/2026:10:00:00', '2026-02-30T00:00:00Z'])('refuses %j', (text) => {
    expect(() => parseNow(text)).toThrow(TimeModifierError);
    expect(() => parseNow(text)).toThrow(/ISO 8601|empty/);
  });
});

describe('hourlyFireTimes', () => {
  it('lists every top of the hour in [from, to)', () => {
    expect(isoList(hourlyFireTimes(utc('2026-11-20T09:15:00Z'), utc('2026-11-20T12:00:00Z')))).toEqual([
      '2026-11-20T10:00:00.000Z',
      '2026-11-20T11:00:00.000Z',
    ]);
    expect(isoList(hourlyFireTimes(utc('2026-11-20T09:00:00Z'), utc('2026-11-20T12:00:00.001Z')))).toEqual([
      '2026-11-20T09:00:00.000Z',
      '2026-11-20T10:00:00.000Z',
      '2026-11-20T11:00:00.000Z',
      '2026-11-20T12:00:00.000Z',
    ]);
  });

  it('is empty when the period holds no top of the hour', () => {
    expect(hourlyFireTimes(utc('2026-11-20T09:00:00Z'), utc('2026-11-20T09:00:00Z'))).toEqual([]);
    expect(hourlyFireTimes(utc('2026-11-20T09:00:01Z'), utc('2026-11-20T09:59:59Z'))).toEqual([]);
    expect(hourlyFireTimes(utc('2026-11-21T00:00:00Z'), utc('2026-11-20T00:00:00Z'))).toEqual([]);
  });

  it('works on instants, answering in UTC whatever the input zones (half-hour zones included)', () => {
    const from = utc('2026-11-20T09:15:00Z').setZone('Asia/Kolkata'); // 14:45 IST
    const to = utc('2026-11-20T11:00:00Z').setZone('America/New_York');
    const times = hourlyFireTimes(from, to);
    expect(isoList(times)).toEqual(['2026-11-20T10:00:00.000Z']);
    expect(times.every((t) => t.zoneName === 'UTC')).toBe(true);
  });

  it('gives 24 fire times a day across a DST change (hours are UTC hours)', () => {
    const times = hourlyFireTimes(utc('2026-10-31T00:00:00Z'), utc('2026-11-07T00:00:00Z'));
    expect(times).toHaveLength(7 * 24);
    expect(times[0]?.toISO()).toBe('2026-10-31T00:00:00.000Z');
    expect(times.at(-1)?.toISO()).toBe('2026-11-06T23:00:00.000Z');
  });
});
