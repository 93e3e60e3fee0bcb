/**
 * planWindows (pure): which ledger rows a detection's schedule calls for at a given "now", from
 * its cron, its window modifiers, the high-water mark and the catch-up / re-run settings. Cron
 * and duration parsing errors name what is wrong and where.
 */
import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import { checkCron, CronError, fireTimesBetween } from '../../src/scheduler/cron.js';
import { planWindows, type PlanInput } from '../../src/scheduler/plan-windows.js';
import type { PlannedWindow } from '../../src/store/ledger.js';
import { isoOf } from '../../src/time/index.js';
import { DurationError, formatDuration, parseDuration } from '../../src/time/duration.js';

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
const HOUR = 3_600_000;
const ESCU = { cron: '0 * * * *', earliest: '-70m@m', latest: '-10m@m' };
const DET = { id: 'det-1', version: 3, name: 'Detection One' };

/** A planned row with its times as ISO text, as the assertions compare them. */
const asText = (r: PlannedWindow) => ({
  ...r,
  windowEarliest: isoOf(r.window.earliest),
  windowLatest: isoOf(r.window.latest),
  fireTime: isoOf(r.fireTime),
  dueAt: isoOf(r.dueAt),
});
type Row = ReturnType<typeof asText>;

const plan = (over: Partial<PlanInput> & { now: DateTime }) => {
  const out = planWindows({
    detection: DET,
    schedule: ESCU,
    zone: 'UTC',
    plannedThrough: undefined,
    catchUpMs: 24 * HOUR,
    rerunLast: 0,
    ...over,
  });
  return { ...out, rows: out.rows.map(asText) };
};

/** [earliest, latest, pass, status, dueAt] per row: what the tests compare. */
const brief = (rows: Row[]) => rows.map((r) => [r.windowEarliest, r.windowLatest, r.pass, r.status, r.dueAt]);

describe('the ESCU hourly schedule', () => {
  test('first start plans only the latest fire time (history is for hunt backfill), not the fires before it', () => {
    // 10:37: the latest fire was 10:00, whose window is [08:50, 09:50)
    const out = plan({ now: utc('2026-11-20T10:37:12Z') });
    expect(brief(out.rows)).toEqual([
      ['2026-11-20T08:50:00Z', '2026-11-20T09:50:00Z', 0, 'pending', '2026-11-20T10:00:00Z'],
    ]);
    expect(out.rows[0]).toMatchObject({
      detectionId: 'det-1',
      detectionVersion: 3,
      detectionName: 'Detection One',
      fireTime: '2026-11-20T10:00:00Z',
      trigger: 'schedule',
    });
    expect(out.plannedThrough?.toISO()).toBe('2026-11-20T10:00:00.000Z');
  });

  test('exactly at a fire time, that fire is the latest (fire times are inclusive of now)', () => {
    const out = plan({ now: utc('2026-11-20T10:00:00Z') });
    expect(out.rows.map((r) => r.fireTime)).toEqual(['2026-11-20T10:00:00Z']);
  });

  test('planning again at the same time adds nothing; the mark stays', () => {
    const first = plan({ now: utc('2026-11-20T10:37:00Z') });
    const again = plan({ now: utc('2026-11-20T10:59:59Z'), plannedThrough: first.plannedThrough });
    expect(again.rows).toEqual([]);
    expect(again.plannedThrough?.toISO()).toBe(first.plannedThrough?.toISO());
  });

  test('consecutive windows tile time exactly: each window is [F-70m, F-10m) and its latest is the next one`s earliest', () => {
    // a day of ticks, each arriving late by a different amount: windows come from fire times, not ticks
    let through: DateTime | undefined = utc('2026-11-20T00:00:00Z');
    const rows: Row[] = [];
    for (let h = 1; h <= 24; h++) {
      const out = plan({
        now: utc('2026-11-20T00:00:00Z').plus({ hours: h, seconds: (h * 37) % 300 }),
        plannedThrough: through,
      });
      rows.push(...out.rows);
      through = out.plannedThrough;
    }
    expect(rows).toHaveLength(24);
    for (const [i, r] of rows.entries()) {
      const fire = utc(r.fireTime);
      expect(fire.toISO()).toBe(
        utc('2026-11-20T00:00:00Z')
          .plus({ hours: i + 1 })
          .toISO(),
      );
      expect(utc(r.windowEarliest).toMillis()).toBe(fire.minus({ minutes: 70 }).toMillis());
      expect(utc(r.windowLatest).toMillis()).toBe(fire.minus({ minutes: 10 }).toMillis());
      if (i > 0) expect(r.windowEarliest).toBe((rows[i - 1] as Row).windowLatest);
    }
  });

  test('after a gap, fires within schedule.catch_up are pending (oldest first) and older ones skipped naming schedule.catch_up', () => {
    // down from just after 01:00 until 10:20; catch-up 6h: fires 05:00..10:00 are run (04:20 is
    // beyond it), 02:00..04:00 are recorded as skipped
    const out = plan({
      now: utc('2026-11-20T10:20:00Z'),
      plannedThrough: utc('2026-11-20T01:00:00Z'),
      catchUpMs: 6 * HOUR,
    });
    expect(out.rows.map((r) => [r.fireTime.slice(11, 16), r.status])).toEqual([
      ['02:00', 'skipped'],
      ['03:00', 'skipped'],
      ['04:00', 'skipped'],
      ['05:00', 'pending'],
      ['06:00', 'pending'],
      ['07:00', 'pending'],
      ['08:00', 'pending'],
      ['09:00', 'pending'],
      ['10:00', 'pending'],
    ]);
    const skipped = out.rows[0] as Row;
    expect(skipped.error).toBe('not run: found 8h20m after its fire time, beyond schedule.catch_up (6h)');
    // a skipped row still names its window, so the gap is visible in the ledger
    expect([skipped.windowEarliest, skipped.windowLatest]).toEqual(['2026-11-20T00:50:00Z', '2026-11-20T01:50:00Z']);
    expect(out.rows.filter((r) => r.status === 'pending').every((r) => r.error === undefined)).toBe(true);
    // pending catch-up rows are due at their own fire time: already due now, oldest first
    expect(out.rows[3]?.dueAt).toBe('2026-11-20T05:00:00Z');
    expect(out.plannedThrough?.toISO()).toBe('2026-11-20T10:00:00.000Z');
  });

  test('a fire exactly catch_up old is still run; one millisecond older is skipped', () => {
    const edge = plan({
      now: utc('2026-11-20T10:00:00Z'),
      plannedThrough: utc('2026-11-20T07:00:00Z'),
      catchUpMs: 2 * HOUR,
    });
    expect(edge.rows.map((r) => [r.fireTime.slice(11, 16), r.status])).toEqual([
      ['08:00', 'pending'],
      ['09:00', 'pending'],
      ['10:00', 'pending'],
    ]);
    const past = plan({
      now: utc('2026-11-20T10:00:00.001Z'),
      plannedThrough: utc('2026-11-20T07:00:00Z'),
      catchUpMs: 2 * HOUR,
    });
    expect(past.rows[0]?.status).toBe('skipped');
  });
});

describe('rerun_last: late-data passes', () => {
  test('N passes, due at the N fire times after the window`s own, on the same window', () => {
    const out = plan({ now: utc('2026-11-20T10:05:00Z'), rerunLast: 2 });
    expect(brief(out.rows)).toEqual([
      ['2026-11-20T08:50:00Z', '2026-11-20T09:50:00Z', 0, 'pending', '2026-11-20T10:00:00Z'],
      ['2026-11-20T08:50:00Z', '2026-11-20T09:50:00Z', 1, 'pending', '2026-11-20T11:00:00Z'],
      ['2026-11-20T08:50:00Z', '2026-11-20T09:50:00Z', 2, 'pending', '2026-11-20T12:00:00Z'],
    ]);
  });

  test('while catching up, passes whose fire time is already past are not planned (they would see no more than pass 0)', () => {
    // fires 07:00..10:00 found at 10:05: 07:00's passes would be due at 08:00 and 09:00, both past
    const out = plan({ now: utc('2026-11-20T10:05:00Z'), plannedThrough: utc('2026-11-20T06:00:00Z'), rerunLast: 2 });
    expect(out.rows.map((r) => [r.fireTime.slice(11, 16), r.pass, r.dueAt.slice(11, 16)])).toEqual([
      ['07:00', 0, '07:00'],
      ['08:00', 0, '08:00'],
      ['09:00', 0, '09:00'],
      ['09:00', 2, '11:00'],
      ['10:00', 0, '10:00'],
      ['10:00', 1, '11:00'],
      ['10:00', 2, '12:00'],
    ]);
  });

  test('a skipped window gets no re-runs', () => {
    const out = plan({
      now: utc('2026-11-20T10:05:00Z'),
      plannedThrough: utc('2026-11-20T07:00:00Z'),
      catchUpMs: 90 * 60_000,
      rerunLast: 3,
    });
    expect(out.rows.filter((r) => r.status === 'skipped').map((r) => [r.fireTime.slice(11, 16), r.pass])).toEqual([
      ['08:00', 0],
    ]);
  });
});

describe('other crons and zones', () => {
  test('*/30 with a 30-minute window: fire times every half hour, windows tile', () => {
    const s = { cron: '*/30 * * * *', earliest: '-40m@m', latest: '-10m@m' };
    const out = plan({ schedule: s, now: utc('2026-11-20T12:10:00Z'), plannedThrough: utc('2026-11-20T10:00:00Z') });
    expect(brief(out.rows).map(([e, l]) => [e, l])).toEqual([
      ['2026-11-20T09:50:00Z', '2026-11-20T10:20:00Z'],
      ['2026-11-20T10:20:00Z', '2026-11-20T10:50:00Z'],
      ['2026-11-20T10:50:00Z', '2026-11-20T11:20:00Z'],
      ['2026-11-20T11:20:00Z', '2026-11-20T11:50:00Z'],
    ]);
    expect(out.rows.map((r) => r.fireTime.slice(11, 16))).toEqual(['10:30', '11:00', '11:30', '12:00']);
  });

  test('0 */4 with a 4-hour window; rerun passes follow the cron, not the hour', () => {
    const s = { cron: '0 */4 * * *', earliest: '-250m@m', latest: '-10m@m' };
    const out = plan({
      schedule: s,
      now: utc('2026-11-20T13:00:00Z'),
      plannedThrough: utc('2026-11-20T00:00:00Z'),
      rerunLast: 1,
    });
    expect(brief(out.rows)).toEqual([
      ['2026-11-19T23:50:00Z', '2026-11-20T03:50:00Z', 0, 'pending', '2026-11-20T04:00:00Z'],
      ['2026-11-20T03:50:00Z', '2026-11-20T07:50:00Z', 0, 'pending', '2026-11-20T08:00:00Z'],
      ['2026-11-20T07:50:00Z', '2026-11-20T11:50:00Z', 0, 'pending', '2026-11-20T12:00:00Z'],
      ['2026-11-20T07:50:00Z', '2026-11-20T11:50:00Z', 1, 'pending', '2026-11-20T16:00:00Z'],
    ]);
  });

  test('the cron is evaluated in the configured zone: hourly in Asia/Kolkata (+05:30) fires at :30 UTC, @m/@h snap in that zone', () => {
    const out = plan({
      schedule: { cron: '0 * * * *', earliest: '-1h@h', latest: '@h' },
      zone: 'Asia/Kolkata',
      now: utc('2026-11-20T10:45:00Z'),
    });
    // local 16:15 → last fire local 16:00 = 10:30Z; -1h@h..@h in local time = 15:00..16:00 local
    expect(brief(out.rows)).toEqual([
      ['2026-11-20T09:30:00Z', '2026-11-20T10:30:00Z', 0, 'pending', '2026-11-20T10:30:00Z'],
    ]);
  });

  // DST, as chosen: cron fields are local wall-clock times in the configured zone (Splunk's
  // scheduler evaluates cron_schedule in its server's zone too), enumerated by cron-parser:
  // - an hourly cron fires every real hour across both changes, so the ESCU windows still tile;
  // - a fixed time that does not exist on the spring-forward day (02:00 New York) does not fire
  //   that day; one that happens twice on the fall-back day (01:30) fires twice, an hour apart,
  //   with two different windows (never the same window twice).
  test('DST in America/New_York: hourly windows tile across spring-forward and fall-back', () => {
    for (const [from, to] of [
      ['2026-03-08T04:00:00Z', '2026-03-08T10:00:00Z'],
      ['2026-11-01T03:00:00Z', '2026-11-01T09:00:00Z'],
    ] as const) {
      const out = plan({ zone: 'America/New_York', now: utc(to), plannedThrough: utc(from) });
      expect(out.rows).toHaveLength(6);
      for (const [i, r] of out.rows.entries()) {
        expect(utc(r.fireTime).toMillis() - utc(from).toMillis()).toBe((i + 1) * HOUR);
        if (i > 0) expect(r.windowEarliest).toBe((out.rows[i - 1] as Row).windowLatest);
      }
    }
  });

  test('DST in America/New_York: a nonexistent local fire time is not fired, a repeated one fires twice', () => {
    const fires = (cron: string, from: string, to: string) =>
      fireTimesBetween(cron, 'America/New_York', utc(from), utc(to)).map((t) => t.toISO());
    expect(fires('0 2 * * *', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual([
      '2026-03-07T07:00:00.000Z', // 02:00 EST
      '2026-03-09T06:00:00.000Z', // 02:00 EDT: 03-08 has no 02:00
    ]);
    expect(fires('30 1 * * *', '2026-10-31T12:00:00Z', '2026-11-02T00:00:00Z')).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T06:30:00.000Z', // 01:30 EST
    ]);
  });
});

describe('parsing errors name the field and position', () => {
  test.each([
    ['61 * * * *', /cron "61 \* \* \* \*": minute field "61" \(at position 0\): .*0-59/],
    ['0 25 * * *', /hour field "25" \(at position 2\): .*0-23/],
    ['0 * 32 * *', /day of month field "32" \(at position 4\)/],
    ['0 * * 13 *', /month field "13" \(at position 6\)/],
    ['0 * * * funday', /day of week field "funday" \(at position 8\)/],
    ['*/0 * * * *', /minute field "\*\/0"/],
    ['0 * * *', /expected 5 fields \(minute hour day month weekday\), got 4/],
    ['0 0 * * * *', /expected 5 fields .*got 6/],
  ])('cron %j', (expr, message) => {
    expect(() => checkCron(expr, 'UTC')).toThrow(CronError);
    expect(() => checkCron(expr, 'UTC')).toThrow(message);
  });

  test('good crons pass', () => {
    for (const e of ['0 * * * *', '*/30 * * * *', '0 */4 * * *', '15 2 * * 1-5', '0 0 1 * *'])
      expect(() => checkCron(e, 'Europe/Berlin')).not.toThrow();
  });

  test.each([
    ['10', 0],
    ['10x', 0],
    ['1h30', 2],
    ['5m ', 2],
    ['-1h', 0],
    ['', 0],
  ])('duration %j: invalid at position %i', (text, position) => {
    let err: unknown;
    try {
      parseDuration(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DurationError);
    expect((err as DurationError).position).toBe(position);
    expect((err as Error).message).toContain(`invalid duration ${JSON.stringify(text)} at position ${position}`);
  });

  test('durations: units and sums; formatted back for messages', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(7 * 24 * HOUR);
    expect(parseDuration('1w')).toBe(7 * 24 * HOUR);
    expect(parseDuration('250ms')).toBe(250);
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(26 * HOUR + 61_000)).toBe('1d2h');
    expect(formatDuration(0)).toBe('0s');
  });
});
