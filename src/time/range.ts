import { DateTime } from 'luxon';

/**
 * The times hunt can query. Athena's timestamp literals and DuckDB's timestamps have four-digit
 * years, and a bound written with a fifth digit (`10000-01-01 00:00:00.000`) does not fail: it
 * matches nothing. So every time is refused where it is parsed, before it becomes a window.
 */
export const FIRST_SUPPORTED = DateTime.fromISO('0001-01-01T00:00:00.000Z', { zone: 'utc' });
export const LAST_SUPPORTED = DateTime.fromISO('9999-12-31T23:59:59.999Z', { zone: 'utc' });
export const SUPPORTED_RANGE = '0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z';

/** Why `t` cannot be queried, or undefined when it can. */
export function outOfRange(t: DateTime): string | undefined {
  if (!t.isValid) return `not a valid time (${t.invalidExplanation ?? t.invalidReason ?? 'invalid'})`;
  if (t >= FIRST_SUPPORTED && t <= LAST_SUPPORTED) return undefined;
  const shown = t.toUTC().toISO() ?? String(t.toMillis());
  return `${shown} is outside the supported time range, ${SUPPORTED_RANGE} (Athena and DuckDB timestamps have four-digit years)`;
}
