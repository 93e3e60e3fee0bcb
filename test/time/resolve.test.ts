import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ESCU_DEFAULT_WINDOW, resolveTime, resolveWindow, TimeModifierError } from '../../src/time/index.js';

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
/** resolve and render as an ISO UTC string with milliseconds, for readable table rows */
const at = (text: string, now: string, zone = 'UTC'): string =>
  resolveTime(text, { now: utc(now), zone }).toISO() ?? 'invalid';

// Friday 2026-11-20, 10:00:30.250 UTC
const NOW = '2026-11-20T10:00:30.250Z';

describe('resolveTime: forms of a modifier', () => {
  it.each([
    ['now', '2026-11-20T10:00:30.250Z'],
    ['0', '1970-01-01T00:00:00.000Z'],
    ['1732480800', '2024-11-24T20:40:00.000Z'],
    ['1732480800.5', '2024-11-24T20:40:00.500Z'],
    ['1732480800.123456', '2024-11-24T20:40:00.123Z'],
    ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00.000Z'],
    ['2026-11-20T12:00:00+02:00', '2026-11-20T10:00:00.000Z'],
    ['2026-11-20T10:00:00', '2026-11-20T10:00:00.000Z'], // no zone: UTC
    ['2026-11-20T10:00:00.750Z', '2026-11-20T10:00:00.750Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['11/20/2026:10:00:00', '2026-11-20T10:00:00.000Z'], // Splunk's %m/%d/%Y:%H:%M:%S
    ['10/19/2026:0:0:0', '2026-10-19T00:00:00.000Z'],
    ['  -1h  ', '2026-11-20T09:00:30.250Z'], // surrounding whitespace ignored
  ])('%s', (text, expected) => {
    expect(at(text, NOW)).toBe(expected);
  });

  it('a zone-less ISO time is UTC whatever the snapping zone; Splunk wall-clock format is in that zone', () => {
    expect(at('2026-11-20T10:00:00', NOW, 'Europe/Paris')).toBe('2026-11-20T10:00:00.000Z');
    expect(at('11/20/2026:10:00:00', NOW, 'Europe/Paris')).toBe('2026-11-20T09:00:00.000Z');
  });

  it('returns UTC whatever the zone of now', () => {
    const r = resolveTime('-1h', { now: utc(NOW).setZone('Asia/Tokyo'), zone: 'UTC' });
    expect(r.zoneName).toBe('UTC');
    expect(r.toISO()).toBe('2026-11-20T09:00:30.250Z');
  });

  it('defaults the zone to UTC', () => {
    expect(resolveTime('@d', { now: utc(NOW) }).toISO()).toBe('2026-11-20T00:00:00.000Z');
  });
});

describe('resolveTime: relative modifiers', () => {
  it.each([
    ['-70m@m', '2026-11-20T08:50:00.000Z'],
    ['-10m@m', '2026-11-20T09:50:00.000Z'],
    ['@h', '2026-11-20T10:00:00.000Z'],
    ['-h@h', '2026-11-20T09:00:00.000Z'],
    ['-7d@d', '2026-11-13T00:00:00.000Z'],
    ['-30d', '2026-10-21T10:00:30.250Z'],
    ['-1d@d+8h', '2026-11-19T08:00:00.000Z'],
    ['@d-2h', '2026-11-19T22:00:00.000Z'],
    ['-d', '2026-11-19T10:00:30.250Z'],
    ['+1h', '2026-11-20T11:00:30.250Z'],
    ['+0s', '2026-11-20T10:00:30.250Z'],
    ['-0d@d', '2026-11-20T00:00:00.000Z'],
    ['-1d@d@w1', '2026-11-16T00:00:00.000Z'], // snaps chain too
    ['-1h-30m+15s', '2026-11-20T08:30:45.250Z'],
    ['@mon+1w', '2026-11-08T00:00:00.000Z'],
    ['-1y@y', '2025-01-01T00:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(at(text, NOW)).toBe(expected);
  });

  it.each([
    // now is a Friday: @w<n> goes back to the latest such day at or before now
    ['@w', '2026-11-15T00:00:00.000Z'],
    ['@w0', '2026-11-15T00:00:00.000Z'],
    ['@w1', '2026-11-16T00:00:00.000Z'],
    ['@w2', '2026-11-17T00:00:00.000Z'],
    ['@w3', '2026-11-18T00:00:00.000Z'],
    ['@w4', '2026-11-19T00:00:00.000Z'],
    ['@w5', '2026-11-20T00:00:00.000Z'], // today
    ['@w6', '2026-11-14T00:00:00.000Z'],
    ['@w7', '2026-11-15T00:00:00.000Z'], // w7 is Sunday as well
    ['@week', '2026-11-15T00:00:00.000Z'],
  ])('week snap %s', (text, expected) => {
    expect(at(text, NOW)).toBe(expected);
  });

  it('snapping to the weekday of now, at midnight, stays on that day', () => {
    expect(at('@w0', '2026-11-15T00:00:00.000Z')).toBe('2026-11-15T00:00:00.000Z');
    expect(at('@w0', '2026-11-14T23:59:59.999Z')).toBe('2026-11-08T00:00:00.000Z');
  });
});

describe('resolveTime: every unit spelling', () => {
  const units: { aliases: string[]; minus2: string; snap: string }[] = [
    {
      aliases: ['s', 'sec', 'secs', 'second', 'seconds'],
      minus2: '2026-11-20T10:00:28.250Z',
      snap: '2026-11-20T10:00:30.000Z',
    },
    {
      aliases: ['m', 'min', 'mins', 'minute', 'minutes'],
      minus2: '2026-11-20T09:58:30.250Z',
      snap: '2026-11-20T10:00:00.000Z',
    },
    {
      aliases: ['h', 'hr', 'hrs', 'hour', 'hours'],
      minus2: '2026-11-20T08:00:30.250Z',
      snap: '2026-11-20T10:00:00.000Z',
    },
    { aliases: ['d', 'day', 'days'], minus2: '2026-11-18T10:00:30.250Z', snap: '2026-11-20T00:00:00.000Z' },
    { aliases: ['w', 'week', 'weeks'], minus2: '2026-11-06T10:00:30.250Z', snap: '2026-11-15T00:00:00.000Z' },
    { aliases: ['mon', 'month', 'months'], minus2: '2026-09-20T10:00:30.250Z', snap: '2026-11-01T00:00:00.000Z' },
    {
      aliases: ['q', 'qtr', 'qtrs', 'quarter', 'quarters'],
      minus2: '2026-05-20T10:00:30.250Z',
      snap: '2026-10-01T00:00:00.000Z',
    },
    {
      aliases: ['y', 'yr', 'yrs', 'year', 'years'],
      minus2: '2024-11-20T10:00:30.250Z',
      snap: '2026-01-01T00:00:00.000Z',
    },
  ];
  const rows = units.flatMap((u) => u.aliases.map((alias) => [alias, u.minus2, u.snap] as const));

  it.each(rows)('%s: -2%s and @%s', (alias, minus2, snap) => {
    expect(at(`-2${alias}`, NOW)).toBe(minus2);
    expect(at(`@${alias}`, NOW)).toBe(snap);
    // a missing amount is 1, and + mirrors -
    expect(resolveTime(`-${alias}`, { now: utc(NOW) }).toMillis()).toBe(
      resolveTime(`-1${alias}`, { now: utc(NOW) }).toMillis(),
    );
    expect(at(`+2${alias}-2${alias}`, NOW)).toBe(NOW);
  });
});

describe('resolveTime: snapping in a non-UTC zone across DST', () => {
  it.each([
    // America/New_York falls back on Sunday 2026-11-01 at 02:00 EDT -> 01:00 EST
    ['@d', '2026-11-01T12:00:00Z', 'America/New_York', '2026-11-01T04:00:00.000Z'], // midnight EDT
    ['-1d', '2026-11-01T12:00:00Z', 'America/New_York', '2026-10-31T11:00:00.000Z'], // same wall time: 25 h
    ['-24h', '2026-11-01T12:00:00Z', 'America/New_York', '2026-10-31T12:00:00.000Z'], // exact hours
    ['-1d@d', '2026-11-01T12:00:00Z', 'America/New_York', '2026-10-31T04:00:00.000Z'],
    ['+1d@d', '2026-11-01T12:00:00Z', 'America/New_York', '2026-11-02T05:00:00.000Z'], // midnight EST
    ['@h', '2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01T05:00:00.000Z'], // 01:30 EDT -> 01:00 EDT
    ['@h', '2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01T06:00:00.000Z'], // 01:30 EST -> 01:00 EST
    ['-1h@h', '2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01T05:00:00.000Z'],
    // springs forward on Sunday 2026-03-08 at 02:00 EST -> 03:00 EDT
    ['@d', '2026-03-08T16:00:00Z', 'America/New_York', '2026-03-08T05:00:00.000Z'], // midnight EST
    ['-1d', '2026-03-08T16:00:00Z', 'America/New_York', '2026-03-07T17:00:00.000Z'], // same wall time: 23 h
    ['@w0', '2026-03-10T16:00:00Z', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['-1d@d+8h', '2026-03-08T16:00:00Z', 'America/New_York', '2026-03-07T13:00:00.000Z'],
    ['@d+3h', '2026-03-08T16:00:00Z', 'America/New_York', '2026-03-08T08:00:00.000Z'], // hours are exact: 04:00 EDT
    // Europe/London springs forward on Sunday 2026-03-29 at 01:00 GMT
    ['@w1', '2026-03-31T12:00:00Z', 'Europe/London', '2026-03-29T23:00:00.000Z'], // Monday 00:00 BST
    ['@w0', '2026-03-31T12:00:00Z', 'Europe/London', '2026-03-29T00:00:00.000Z'], // Sunday 00:00 GMT
    ['@mon', '2026-11-20T10:00:00Z', 'Europe/London', '2026-11-01T00:00:00.000Z'],
    ['@mon', '2026-04-20T10:00:00Z', 'Europe/London', '2026-03-31T23:00:00.000Z'], // April 1 00:00 BST
    ['@q', '2026-05-20T10:00:00Z', 'Europe/Paris', '2026-03-31T22:00:00.000Z'], // April 1 00:00 CEST
    ['@y', '2026-05-20T10:00:00Z', 'Europe/Paris', '2025-12-31T23:00:00.000Z'],
    // the day boundary is the zone's: 23:30 UTC is already tomorrow in Paris
    ['@d', '2026-11-20T10:00:30Z', 'Europe/Paris', '2026-11-19T23:00:00.000Z'],
    ['@d', '2026-11-20T23:30:00Z', 'Europe/Paris', '2026-11-20T23:00:00.000Z'],
    // half-hour offsets: @h is the zone's hour, not UTC's
    ['@h', '2026-11-20T10:00:30Z', 'Asia/Kolkata', '2026-11-20T09:30:00.000Z'],
    ['-70m@m', '2026-11-20T10:00:30Z', 'Asia/Kolkata', '2026-11-20T08:50:00.000Z'],
  ])('%s at %s in %s', (text, now, zone, expected) => {
    expect(at(text, now, zone)).toBe(expected);
  });
});

describe('resolveTime: month-end arithmetic', () => {
  it.each([
    ['-1mon', '2026-03-31T12:00:00Z', '2026-02-28T12:00:00.000Z'], // clamps to the month's last day
    ['-1mon', '2024-03-31T12:00:00Z', '2024-02-29T12:00:00.000Z'], // leap year
    ['+1mon', '2026-01-31T12:00:00Z', '2026-02-28T12:00:00.000Z'],
    ['+1mon', '2026-03-31T12:00:00Z', '2026-04-30T12:00:00.000Z'],
    ['-1mon@mon', '2026-03-31T12:00:00Z', '2026-02-01T00:00:00.000Z'],
    ['@mon-1d', '2026-03-31T12:00:00Z', '2026-02-28T00:00:00.000Z'],
    ['-1q', '2026-05-31T12:00:00Z', '2026-02-28T12:00:00.000Z'],
    ['-1y', '2024-02-29T12:00:00Z', '2023-02-28T12:00:00.000Z'],
    ['@q', '2026-03-31T23:59:59Z', '2026-01-01T00:00:00.000Z'],
    ['@q', '2026-12-31T23:59:59Z', '2026-10-01T00:00:00.000Z'],
    ['@y', '2026-12-31T23:59:59Z', '2026-01-01T00:00:00.000Z'],
    ['-12mon', '2026-02-28T00:00:00Z', '2025-02-28T00:00:00.000Z'],
  ])('%s at %s', (text, now, expected) => {
    expect(at(text, now)).toBe(expected);
  });
});

describe('resolveWindow', () => {
  it('gives the ESCU window -70m@m..-10m@m', () => {
    const w = resolveWindow(ESCU_DEFAULT_WINDOW.earliest, ESCU_DEFAULT_WINDOW.latest, {
      now: utc('2026-11-20T10:00:30Z'),
      zone: 'UTC',
    });
    expect(w.earliest.toISO()).toBe('2026-11-20T08:50:00.000Z');
    expect(w.latest.toISO()).toBe('2026-11-20T09:50:00.000Z');
  });

  it('gives the same window at the fire time itself', () => {
    const w = resolveWindow('-70m@m', '-10m@m', { now: utc('2026-11-20T10:00:00Z'), zone: 'UTC' });
    expect([w.earliest.toISO(), w.latest.toISO()]).toEqual(['2026-11-20T08:50:00.000Z', '2026-11-20T09:50:00.000Z']);
  });

  it('accepts mixed forms', () => {
    const w = resolveWindow('2026-11-20T00:00:00Z', 'now', { now: utc(NOW) });
    expect([w.earliest.toISO(), w.latest.toISO()]).toEqual(['2026-11-20T00:00:00.000Z', NOW]);
  });

  it.each([
    ['-10m@m', '-70m@m'],
    ['@h', '@h'],
    ['now', '-1s'],
  ])('refuses %s..%s (earliest not before latest)', (earliest, latest) => {
    expect(() => resolveWindow(earliest, latest, { now: utc(NOW) })).toThrow(TimeModifierError);
    expect(() => resolveWindow(earliest, latest, { now: utc(NOW) })).toThrow(/must be after earliest/);
  });

  it('names the modifier that is wrong', () => {
    expect(() => resolveWindow('-70x@m', '-10m@m', { now: utc(NOW) })).toThrow(/"-70x@m"/);
  });
});

describe('resolveTime: bad input', () => {
  it.each([
    ['', 0, /empty/],
    ['   ', 3, /empty/],
    ['-70x@m', 3, /unknown time unit "x"/],
    ['yesterday', 0, /expected "now", epoch seconds/],
    ['now-1h', 0, /expected "now"/],
    ['rt-5m', 0, /expected "now"/],
    ['5m', 0, /needs a sign/],
    ['-1d@', 4, /expected a time unit after "@"/],
    ['-1d@d+', 6, /expected a time unit/],
    ['+-1h', 1, /expected a time unit after "\+"/],
    ['-1D', 2, /found "D"/],
    ['-1d @d', 3, /unexpected " "/],
    ['@w8', 2, /out of range/],
    ['@w12', 3, /unexpected "2"/],
    ['-2w1', 3, /unexpected "1"/],
    ['-1d@x', 4, /unknown time unit "x"/],
    ['-1constructor', 2, /unknown time unit "constructor"/],
    ['2026-13-01T00:00:00Z', 0, /ISO 8601/],
    ['2026-11-20Tnoon', 0, /ISO 8601/],
    ['13/01/2026:00:00:00', 0, /%m\/%d\/%Y/],
    ['12.5.3', 0, /needs a sign/],
  ])('%j fails at position %i', (text, position, message) => {
    let caught: unknown;
    try {
      resolveTime(text, { now: utc(NOW) });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TimeModifierError);
    const err = caught as TimeModifierError;
    expect(err.position).toBe(position);
    expect(err.text).toBe(text);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(JSON.stringify(text));
    expect(err.message).toContain(`position ${position}`);
  });

  it('refuses an unknown zone and an invalid now', () => {
    expect(() => resolveTime('@d', { now: utc(NOW), zone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
    expect(() => resolveTime('@d', { now: DateTime.invalid('test') })).toThrow(/not a valid time/);
  });

  it('refuses results out of range', () => {
    expect(() => resolveTime('-999999999y', { now: utc(NOW) })).toThrow(TimeModifierError);
  });
});
