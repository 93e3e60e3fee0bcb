import { DateTime, IANAZone, type DurationLikeObject } from 'luxon';
import { TimeModifierError } from './errors.js';
import { parseTimeModifier, type TimeSpec, type TimeStep } from './parse.js';
import { outOfRange } from './range.js';
import type { TimeUnit } from './units.js';
import type { Window } from './window.js';

export interface ResolveOptions {
  /** the search's "now" (a scheduled search: its fire time); any zone */
  now: DateTime;
  /** IANA zone that snaps (`@d` is midnight there) and calendar offsets happen in; default UTC */
  zone?: string;
}

/** The default schedule window of ESCU detections (contentctl: cron `0 * * * *`). */
export const ESCU_DEFAULT_WINDOW = { earliest: '-70m@m', latest: '-10m@m' } as const;

/** Resolves a Splunk time modifier against `now` to an instant, returned in UTC. */
export function resolveTime(text: string, opts: ResolveOptions): DateTime {
  const spec = parseTimeModifier(text);
  const at = applySpec(spec, opts);
  if (!at.isValid)
    throw new TimeModifierError(text, 0, `the result is out of range (${at.invalidExplanation ?? 'invalid'})`);
  const why = outOfRange(at);
  if (why) throw new TimeModifierError(text, 0, why);
  return at.toUTC();
}

/**
 * Both ends of a search window against the same `now`, in UTC (earliest inclusive, latest
 * exclusive, as Splunk's `_time >= earliest AND _time < latest`); an empty or inverted window is an error.
 */
export function resolveWindow(earliest: string, latest: string, opts: ResolveOptions): Window {
  const window = { earliest: resolveTime(earliest, opts), latest: resolveTime(latest, opts) };
  if (window.earliest.toMillis() >= window.latest.toMillis()) {
    throw new TimeModifierError(
      latest,
      0,
      `latest (${window.latest.toISO()}) must be after earliest ${JSON.stringify(earliest)} (${window.earliest.toISO()})`,
    );
  }
  return window;
}

function applySpec(spec: TimeSpec, opts: ResolveOptions): DateTime {
  const zone = checkZone(opts.zone ?? 'UTC');
  switch (spec.kind) {
    case 'now':
      return checkNow(opts.now);
    case 'instant':
      return DateTime.fromMillis(spec.epochMs, { zone: 'utc' });
    case 'wallclock': {
      const { year, month, day, hour, minute, second } = spec;
      return DateTime.fromObject({ year, month, day, hour, minute, second }, { zone });
    }
    case 'relative':
      return spec.steps.reduce(applyStep, checkNow(opts.now).setZone(zone));
  }
}

const DURATION_KEY: Readonly<Record<TimeUnit, keyof DurationLikeObject>> = {
  second: 'seconds',
  minute: 'minutes',
  hour: 'hours',
  day: 'days',
  week: 'weeks',
  month: 'months',
  quarter: 'quarters',
  year: 'years',
};

function applyStep(t: DateTime, step: TimeStep): DateTime {
  if (step.kind === 'offset') {
    // luxon adds seconds/minutes/hours as exact durations and moves days and larger on the
    // calendar of t's zone: `-1d` keeps the wall-clock time (23 or 25 hours across a DST change,
    // as Splunk's "-2d at 14:05 on April 28 starts at 14:05 on April 26"), and month ends clamp
    // (Mar 31 -1mon = Feb 28/29)
    return t.plus({ [DURATION_KEY[step.unit]]: step.amount });
  }
  switch (step.unit) {
    case 'week': {
      // back to the most recent `weekday` (0 = Sunday) at or before t, at its midnight
      const back = ((t.weekday % 7) - step.weekday + 7) % 7;
      return t.minus({ days: back }).startOf('day');
    }
    default:
      return t.startOf(step.unit);
  }
}

function checkZone(zone: string): string {
  if (!IANAZone.isValidZone(zone) && zone.toUpperCase() !== 'UTC') {
    throw new RangeError(
      `unknown time zone ${JSON.stringify(zone)} (expected an IANA name such as UTC or Europe/Paris)`,
    );
  }
  return zone;
}

function checkNow(now: DateTime): DateTime {
  if (!now.isValid)
    throw new RangeError(`"now" is not a valid time (${now.invalidExplanation ?? now.invalidReason ?? 'invalid'})`);
  return now;
}
