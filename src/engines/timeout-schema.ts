import { durationSchema } from '../time/duration-schema.js';

/** An engine's `query_timeout`: more than nothing, at most a day. */
export const queryTimeoutSchema = durationSchema('e.g. 90s, 30m, 2h').refine(
  (ms) => ms > 0 && ms <= 24 * 3_600_000,
  'must be more than 0 and at most 24h',
);
