/**
 * A backfill range is enumerated in memory, so one detection's range is bounded: past the bound
 * it is refused naming the range and the schedule (exit 2 through the CLI), not planned for
 * minutes and gigabytes.
 */
import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import { exitCodeFor } from '../../src/cli/errors.js';
import { BackfillRangeError, backfillWindows } from '../../src/scheduler/backfill.js';
import { shippedScheduled } from '../support/schedule-fixture.js';

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
const hourly = shippedScheduled()[0]!;

describe('backfillWindows', () => {
  test('a range within the bound gives every window, oldest first', () => {
    const w = backfillWindows(hourly, 'UTC', utc('2026-11-19T00:00:00Z'), utc('2026-11-20T00:00:00Z'), 24);
    expect(w).toHaveLength(24);
    expect(w[0]?.fire.toISO()).toBe('2026-11-19T00:00:00.000Z');
  });

  test('one window past the bound is refused, naming the range and the schedule', () => {
    const run = () => backfillWindows(hourly, 'UTC', utc('2026-11-19T00:00:00Z'), utc('2026-11-20T01:00:00Z'), 24);
    expect(run).toThrow(BackfillRangeError);
    expect(run).toThrow(
      /2026-11-19T00:00:00Z \.\. --to 2026-11-20T01:00:00Z holds more than 24 windows .*0 \* \* \* \*/,
    );
    expect(exitCodeFor(new BackfillRangeError('x'))).toBe(2);
  });
});
