import { DateTime } from 'luxon';
import { TimeModifierError } from './errors.js';
import { parseTimeModifier, type TimeSpec } from './parse.js';
import { outOfRange } from './range.js';

const NOW_FORMS = '--now takes ISO 8601 (e.g. 2026-11-20T10:00:00Z) or epoch seconds';

/**
 * `--now T`: a fixed "now" for reproducible runs, as ISO 8601 (no zone = UTC) or epoch seconds.
 * Relative modifiers are refused: they would need a clock, which `--now` exists to replace.
 */
export function parseNow(text: string): DateTime {
  const spec = parseOrExplain(text);
  if (spec.kind !== 'instant') throw new TimeModifierError(text, text.length - text.trimStart().length, NOW_FORMS);
  const now = DateTime.fromMillis(spec.epochMs, { zone: 'utc' });
  // every window is resolved against it: a "now" past year 9999 would query nothing
  const why = outOfRange(now);
  if (why) throw new TimeModifierError(text, text.length - text.trimStart().length, `--now ${why}`);
  return now;
}

function parseOrExplain(text: string): TimeSpec {
  try {
    return parseTimeModifier(text);
  } catch (e) {
    if (e instanceof TimeModifierError) throw new TimeModifierError(text, e.position, `${e.reason} (${NOW_FORMS})`);
    throw e;
  }
}
