import { z } from 'zod';
import { DurationError, parseDuration } from '../time/duration.js';

/** A duration field (`90s`, `10m`, `24h`, `7d`) as milliseconds; a bad one names its position. */
export const durationSchema = (example: string) =>
  z.string({ invalid_type_error: `is not a duration: a number needs a unit (${example})` }).transform((text, ctx) => {
    try {
      return parseDuration(text);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a duration (${example}): ${err.message}` });
      return z.NEVER;
    }
  });
