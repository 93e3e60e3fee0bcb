import { DateTime } from 'luxon';
import { outOfRange } from './range.js';

/** A search window: earliest inclusive, latest exclusive, as Splunk's. */
export interface Window {
  earliest: DateTime;
  latest: DateTime;
}

/** A window from stored ISO text (a ledger row); one hunt could not query is refused. */
export function windowOf(earliest: string, latest: string): Window {
  const w = {
    earliest: DateTime.fromISO(earliest, { zone: 'utc' }),
    latest: DateTime.fromISO(latest, { zone: 'utc' }),
  };
  const why = outOfRange(w.earliest) ?? outOfRange(w.latest);
  if (why) throw new RangeError(`window ${earliest}..${latest}: ${why}`);
  return w;
}

/** A window's identity as text, for sets and maps: two windows are one when their bounds are. */
export const windowId = (w: Window): string => `${w.earliest.toMillis()}/${w.latest.toMillis()}`;
