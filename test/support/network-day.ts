/** The day the Security Lake network source tests happen on, and their account. */
import { DateTime } from 'luxon';

export const ACCOUNT = '210987654321';
/** 2026-11-18T10:00:00Z in epoch ms */
export const T0 = Date.parse('2026-11-18T10:00:00Z');
/** that UTC day, as a search window */
export const DAY_WINDOW = {
  earliest: DateTime.fromISO('2026-11-18T00:00:00Z', { zone: 'utc' }),
  latest: DateTime.fromISO('2026-11-19T00:00:00Z', { zone: 'utc' }),
};
