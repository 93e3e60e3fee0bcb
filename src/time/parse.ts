import { DateTime } from 'luxon';
import { TimeModifierError } from './errors.js';
import { SUPPORTED_RANGE } from './range.js';
import { UNIT_ALIASES, type TimeUnit } from './units.js';

/** One step of a relative modifier, applied left to right. */
export type TimeStep =
  /** `-70m`, `+1h`, `-d` (a missing amount is 1); `amount` carries the sign */
  | { kind: 'offset'; amount: number; unit: TimeUnit }
  /** `@m`, `@d`, `@w1`: round down to the start of the unit; `weekday` 0 = Sunday … 6 = Saturday */
  | { kind: 'snap'; unit: TimeUnit; weekday: number };

/** What a time modifier says, before it meets a `now` and a zone. */
export type TimeSpec =
  | { kind: 'now' }
  /** epoch seconds, or ISO 8601 (a zone-less ISO time is UTC) */
  | { kind: 'instant'; epochMs: number }
  /** Splunk's own absolute format `%m/%d/%Y:%H:%M:%S`: wall-clock time in the search's zone */
  | { kind: 'wallclock'; year: number; month: number; day: number; hour: number; minute: number; second: number }
  | { kind: 'relative'; steps: TimeStep[] };

const EPOCH = /^(\d+)(?:\.(\d+))?$/;
const ISO_START = /^\d{4}-\d{2}-\d{2}/;
const SPLUNK_ABSOLUTE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?::(\d{1,2}):(\d{1,2}):(\d{1,2}))?$/;

/**
 * Parses Splunk time modifier text: `now`, epoch seconds (`0`, `1732480800`, `1732480800.5`),
 * ISO 8601, `%m/%d/%Y:%H:%M:%S`, or a chain of `[+|-]<int><unit>` offsets and `@<unit>` snaps
 * (`-70m@m`, `-1d@d+8h`, `@w1`). Pure: the same text always gives the same spec or error.
 * Surrounding whitespace is ignored; positions in errors index the text as given.
 */
export function parseTimeModifier(text: string): TimeSpec {
  const lead = text.length - text.trimStart().length;
  const body = text.trim();
  const fail = (at: number, reason: string): never => {
    throw new TimeModifierError(text, lead + at, reason);
  };
  if (body === '') return fail(0, 'empty time modifier');
  if (body === 'now') return { kind: 'now' };

  const epoch = EPOCH.exec(body);
  if (epoch) return { kind: 'instant', epochMs: epochMillis(epoch[1] ?? '0', epoch[2]) };

  if (ISO_START.test(body)) {
    const dt = DateTime.fromISO(body, { zone: 'utc', setZone: true });
    if (!dt.isValid)
      return fail(0, `not a valid ISO 8601 time (${dt.invalidExplanation ?? dt.invalidReason ?? 'unparsable'})`);
    return { kind: 'instant', epochMs: dt.toMillis() };
  }

  // an ISO date with a year of five digits or more: past what Athena and DuckDB can query
  if (/^[+-]?\d{5,}-\d{2}-\d{2}/.test(body)) {
    return fail(0, `a year of five digits or more is outside the supported time range, ${SUPPORTED_RANGE}`);
  }

  const abs = SPLUNK_ABSOLUTE.exec(body);
  if (abs) {
    const [month, day, year, hour, minute, second] = [abs[1], abs[2], abs[3], abs[4], abs[5], abs[6]].map((v) =>
      Number(v ?? 0),
    ) as [number, number, number, number, number, number];
    const probe = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: 'utc' });
    if (!probe.isValid)
      return fail(0, `not a valid %m/%d/%Y:%H:%M:%S time (${probe.invalidExplanation ?? 'out of range'})`);
    return { kind: 'wallclock', year, month, day, hour, minute, second };
  }

  return { kind: 'relative', steps: parseRelative(body, fail) };
}

/** Epoch seconds with an optional fraction, to whole milliseconds, without float rounding. */
function epochMillis(whole: string, fraction: string | undefined): number {
  const ms = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  return Number(whole) * 1000 + Number(ms);
}

function parseRelative(s: string, fail: (at: number, reason: string) => never): TimeStep[] {
  const steps: TimeStep[] = [];
  let i = 0;
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  const isLetter = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';
  const readWhile = (pred: (c: string | undefined) => boolean): string => {
    const start = i;
    while (i < s.length && pred(s[i])) i++;
    return s.slice(start, i);
  };
  const readUnit = (what: string): { unit: TimeUnit; word: string; at: number } => {
    const at = i;
    const word = readWhile(isLetter);
    if (word === '') {
      const c = s[i];
      return fail(
        at,
        c === undefined ? `expected a time unit ${what}` : `expected a time unit ${what}, found ${JSON.stringify(c)}`,
      );
    }
    const unit = UNIT_ALIASES.get(word);
    if (unit === undefined) return fail(at, `unknown time unit ${JSON.stringify(word)}`);
    return { unit, word, at };
  };

  if (isDigit(s[0])) {
    // `5m`: Splunk needs the direction spelled out; a bare number is epoch seconds (handled earlier)
    fail(0, 'a relative offset needs a sign: expected "+" or "-"');
  }
  if (s[0] !== '+' && s[0] !== '-' && s[0] !== '@') {
    fail(0, 'expected "now", epoch seconds, an ISO 8601 time, or a relative modifier such as -70m@m');
  }

  while (i < s.length) {
    const c = s[i];
    if (c === '+' || c === '-') {
      i++;
      const digits = readWhile(isDigit);
      const amount = digits === '' ? 1 : Number(digits);
      if (!Number.isSafeInteger(amount)) fail(i - digits.length, `amount ${digits} is too large`);
      const { unit } = readUnit(`after "${c}${digits}"`);
      steps.push({ kind: 'offset', amount: c === '-' ? -amount : amount, unit });
    } else if (c === '@') {
      i++;
      const { unit, word } = readUnit('after "@"');
      let weekday = 0;
      // `@w0`…`@w7` pick the day the week starts on (w0 and w7 are Sunday); `@w` is Sunday
      if (unit === 'week' && word === 'w' && isDigit(s[i])) {
        const d = Number(s[i]);
        if (d > 7) fail(i, `week day ${d} is out of range (w0..w7)`);
        weekday = d % 7;
        i++;
      }
      steps.push({ kind: 'snap', unit, weekday });
    } else {
      fail(i, `unexpected ${JSON.stringify(c)}: expected "+", "-" or "@"`);
    }
  }
  return steps;
}
