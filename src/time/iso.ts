import type { DateTime } from 'luxon';

/** A time as hunt writes it in run records, the ledger and logs: ISO 8601 UTC, no milliseconds when they are 0. */
export const isoOf = (t: DateTime): string => t.toUTC().toISO({ suppressMilliseconds: true }) as string;
