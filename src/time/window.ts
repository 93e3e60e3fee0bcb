import { DateTime } from 'luxon';

/** A search window: earliest inclusive, latest exclusive, as Splunk's. */
export interface Window {
  earliest: DateTime;
  latest: DateTime;
}

export const windowOf = (earliest: string, latest: string): Window => ({
  earliest: DateTime.fromISO(earliest, { zone: 'utc' }),
  latest: DateTime.fromISO(latest, { zone: 'utc' }),
});
