/** The time axis of the charts: bucket width by range, and every bucket of the range. */
import { DateTime } from 'luxon';
import type { BucketUnit } from './model.js';

const DAY_MS = 86_400_000;

/**
 * Hourly up to 3 days (the issue asks for it), daily up to ~3 months, weekly up to 3 years,
 * monthly beyond, so a chart never has more than a few hundred points.
 */
export function bucketUnit(sinceIso: string, untilIso: string): BucketUnit {
  const span = Date.parse(untilIso) - Date.parse(sinceIso);
  if (span <= 3 * DAY_MS) return 'hour';
  if (span <= 92 * DAY_MS) return 'day';
  if (span <= 3 * 366 * DAY_MS) return 'week';
  return 'month';
}

/** The format Postgres writes bucket starts in (sql/reports/html-*.sql): UTC, no fraction. */
export const BUCKET_FORMAT = "yyyy-MM-dd'T'HH:mm:ss'Z'";

/**
 * The start of every bucket overlapping [since, until), as Postgres' date_trunc(unit, t AT TIME
 * ZONE 'UTC') gives them (weeks start on Monday in both).
 */
export function bucketStarts(sinceIso: string, untilIso: string, unit: BucketUnit): string[] {
  const until = DateTime.fromISO(untilIso, { zone: 'utc' });
  const out: string[] = [];
  for (let t = DateTime.fromISO(sinceIso, { zone: 'utc' }).startOf(unit); t < until; t = t.plus({ [`${unit}s`]: 1 })) {
    out.push(t.toFormat(BUCKET_FORMAT));
  }
  return out;
}
