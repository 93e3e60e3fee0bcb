import { z } from 'zod';
import { DurationError, parseDuration } from './duration.js';

/** A duration field (`90s`, `10m`, `24h`, `7d`) as milliseconds; a bad one names its position. */
export const durationSchema = (example: string) =>
  z.union([z.string(), z.number()]).transform((text, ctx) => {
    if (typeof text === 'number') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a duration: a number needs a unit (${example})` });
      return z.NEVER;
    }
    try {
      return parseDuration(text);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a duration (${example}): ${err.message}` });
      return z.NEVER;
    }
  });
