/**
 * Option parsers shared by the commands. Every numeric flag goes through wholeNumber, so a
 * value commander cannot use (1e400, 99999999999999999999, -1, 2.5) is bad input, exit 2,
 * with commander's message naming the flag ("option '--limit <n>' argument '1e400' is
 * invalid"), never a database or date error later on.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { DateTime } from 'luxon';
import { READ_SOURCES } from '../sources/read-from.js';
import { resolveTime } from '../time/index.js';
import { UsageError } from './errors.js';

/** `--limit N`: up to a billion rows (more is no limit at all, and past 2^53 not a number). */
export const MAX_LIMIT = 1_000_000_000;

/** A commander argParser: digits only, from `min` to `max` (both within safe integers). */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= min && n <= max)) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/**
 * A range's two ends, resolved to ISO times: the start must come before the end (a reversed or
 * empty range is a typo, and would otherwise print an empty report and exit 0).
 */
export function requireOrdered(
  from: { flag: string; text: string; iso: string },
  to: { flag: string; text: string; iso: string },
): void {
  if (Date.parse(from.iso) < Date.parse(to.iso)) return;
  throw new UsageError(`${from.flag} ${from.text} (${from.iso}) is not before ${to.flag} ${to.text} (${to.iso})`);
}

/** A time flag (`--since -7d`) resolved at `now` to ISO 8601 UTC; bad text exits 2 naming the flag. */
export function timeFlagIso(flag: string, text: string, now: DateTime, zone: string): string {
  let iso: string | null;
  try {
    iso = resolveTime(text, { now, zone }).toUTC().toISO();
  } catch (err) {
    throw new UsageError(`${flag} ${text}: ${(err as Error).message}`);
  }
  if (!iso) throw new UsageError(`${flag} ${text}: not a valid time`);
  return iso;
}

/**
 * `--source NAME`: every detection reads its sourcetypes from that source where it holds them
 * (`security_lake`: CloudTrail detections read Security Lake's CloudTrail tables), over `read:`.
 */
export const sourceOption = (): Option =>
  new Option(
    '--source <source>',
    'read each sourcetype from this source where it can (security_lake: CloudTrail detections read Security Lake)',
  ).choices(READ_SOURCES);
