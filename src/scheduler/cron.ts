/**
 * Fire times of a cron expression, enumerated (cron-parser): the ledger plans windows from the
 * fire times a schedule had, whether or not a timer fired at them — node-cron only wakes the
 * daemon. Expressions are evaluated in the configured time zone, as Splunk's scheduler does.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';

export class CronError extends Error {
  override readonly name = 'CronError';
}

const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'];

/**
 * Checks an expression (5 fields, as Splunk's cron_schedule); throws CronError naming the field
 * and its position. cron-parser's own message says only "got value 61 expected range 0-59", so
 * each field is first parsed alone (the others `*`) to find which one is wrong.
 */
export function checkCron(expr: string, zone: string): void {
  const fields = [...expr.matchAll(/\S+/g)];
  if (fields.length !== 5)
    throw new CronError(
      `cron ${JSON.stringify(expr)}: expected 5 fields (minute hour day month weekday), got ${fields.length}`,
    );
  for (const [i, f] of fields.entries()) {
    const alone = FIELDS.map((_, j) => (j === i ? f[0] : '*')).join(' ');
    try {
      CronExpressionParser.parse(alone, { tz: zone, strict: false });
    } catch (err) {
      throw new CronError(
        `cron ${JSON.stringify(expr)}: ${FIELDS[i]} field ${JSON.stringify(f[0])} (at position ${f.index ?? 0}): ${(err as Error).message}`,
      );
    }
  }
  try {
    CronExpressionParser.parse(expr, { tz: zone, strict: false });
  } catch (err) {
    throw new CronError(`cron ${JSON.stringify(expr)}: ${(err as Error).message}`);
  }
}

/** Every fire time t with after < t <= until, oldest first (at most `limit`, the newest kept). */
export function fireTimesBetween(
  expr: string,
  zone: string,
  after: DateTime,
  until: DateTime,
  limit = 100_000,
): DateTime[] {
  const it = CronExpressionParser.parse(expr, { tz: zone, currentDate: until.plus({ milliseconds: 1 }).toJSDate() });
  const out: DateTime[] = [];
  const floor = after.toMillis();
  while (out.length < limit && it.hasPrev()) {
    const t = it.prev().getTime();
    if (t <= floor) break;
    out.push(DateTime.fromMillis(t, { zone: 'utc' }));
  }
  return out.reverse();
}

/**
 * The first `limit` fire times t with after < t <= until, oldest first: planning walks a long
 * gap forwards in bounded steps, so memory does not grow with the gap.
 */
export function fireTimesAfter(
  expr: string,
  zone: string,
  after: DateTime,
  until: DateTime,
  limit: number,
): DateTime[] {
  const it = CronExpressionParser.parse(expr, { tz: zone, currentDate: after.toJSDate() });
  const out: DateTime[] = [];
  const ceiling = until.toMillis();
  while (out.length < limit && it.hasNext()) {
    const t = it.next().getTime();
    if (t > ceiling) break;
    out.push(DateTime.fromMillis(t, { zone: 'utc' }));
  }
  return out;
}

/** The latest fire time at or before `at`. */
export function lastFireAtOrBefore(expr: string, zone: string, at: DateTime): DateTime | undefined {
  const it = CronExpressionParser.parse(expr, { tz: zone, currentDate: at.plus({ milliseconds: 1 }).toJSDate() });
  return it.hasPrev() ? DateTime.fromMillis(it.prev().getTime(), { zone: 'utc' }) : undefined;
}

/** The first fire time after `at`. */
export function nextFireAfter(expr: string, zone: string, at: DateTime): DateTime {
  const it = CronExpressionParser.parse(expr, { tz: zone, currentDate: at.toJSDate() });
  return DateTime.fromMillis(it.next().getTime(), { zone: 'utc' });
}
