/**
 * Athena's ExecutionParameters are SQL literal TEXT that Athena puts where each `?` stands, not
 * typed bindings: rendering a value is the one place where a value from outside (a window bound,
 * an allow-list from configuration) could turn into SQL. Every parameter goes through
 * `athenaLiteral`; `parseAthenaLiteral` reads one back (the Athena stand-in uses it, and the tests
 * use it to prove a rendered value is inert: it parses back to exactly the value it came from).
 */
import { DateTime } from 'luxon';
import type { BoundParam } from '../../sql/params.js';
import { EngineParameterError } from '../engine.js';

/** Athena's limit on one ExecutionParameters entry (API length constraint 1..1024). */
export const MAX_LITERAL_LENGTH = 1024;

const TIMESTAMP_FORMAT = 'yyyy-MM-dd HH:mm:ss.SSS';
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

/**
 * NUL cannot be carried at all (Trino varchar and many drivers end strings there), and a lone
 * surrogate has no UTF-8 form: JSON encoding would silently turn it into U+FFFD, a different
 * value. Other C0 controls (except tab, LF, CR) and DEL are refused too: no allow-list needs
 * them, and Athena documents nothing about how it treats them, so refusing is the safe side.
 */
const REFUSED_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A parameter value Athena cannot take; names the `?` (1-based) it was meant for. */
export class AthenaParameterError extends EngineParameterError {
  constructor(
    readonly position: number,
    problem: string,
  ) {
    super(`Athena parameter ?${position}: ${problem}`, { position });
    this.name = 'AthenaParameterError';
  }
}

/**
 * The ExecutionParameters text for one bound parameter (`position` is 1-based, for messages):
 * - string: single-quoted, `'` doubled (Trino has no backslash escapes in '...' literals, so a
 *   backslash, `--`, `;`, `*∕` or a newline inside the quotes is just text);
 * - timestamp: `TIMESTAMP 'yyyy-MM-dd HH:mm:ss.SSS'`, the value checked against that shape and
 *   against the calendar;
 * - number: an integer as an integer literal (bigint in Trino); anything else (a fraction, or a
 *   number beyond 2^53 that is no longer an exact integer) as a DOUBLE literal with an explicit
 *   exponent (`1.5E0`), which Trino reads as the same IEEE double JavaScript has. Plain decimal
 *   text like `1.5` would be a DECIMAL in Trino, and JavaScript's own `String(1e21)` gives
 *   `1e+21`; the explicit form avoids both surprises.
 * The rendered text must be 1..1024 characters, counted in UTF-16 code units (never fewer than
 * Athena's count, whether it counts code points or code units).
 */
/**
 * The longest literal a configured text value can become: 'text' with quotes doubled, and with
 * \\ % _ escaped should it be a LIKE pattern.
 */
export function worstLiteralLength(v: string): number {
  return v.length + 2 + (v.match(/['\\%_]/g)?.length ?? 0);
}

export function athenaLiteral(p: BoundParam, position: number): string {
  const text = render(p, position);
  if (text.length > MAX_LITERAL_LENGTH) {
    throw new AthenaParameterError(
      position,
      `the ${p.type} value renders as ${text.length} characters; Athena takes at most ${MAX_LITERAL_LENGTH} per parameter`,
    );
  }
  return text;
}

function render(p: BoundParam, position: number): string {
  switch (p.type) {
    case 'string': {
      if (typeof p.value !== 'string')
        throw new AthenaParameterError(position, `a string parameter holds a ${typeof p.value}`);
      const bad = REFUSED_CHAR.exec(p.value);
      if (bad) {
        const code = bad[0].codePointAt(0) ?? 0;
        throw new AthenaParameterError(
          position,
          `the string contains ${describeChar(code)} at offset ${bad.index}, which Athena cannot take as parameter text`,
        );
      }
      return `'${p.value.replace(/'/g, "''")}'`;
    }
    case 'timestamp': {
      if (typeof p.value !== 'string' || !validTimestamp(p.value)) {
        throw new AthenaParameterError(
          position,
          `timestamp ${JSON.stringify(p.value)} is not a UTC '${TIMESTAMP_FORMAT}' time`,
        );
      }
      return `TIMESTAMP '${p.value}'`;
    }
    case 'number': {
      if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
        throw new AthenaParameterError(position, `number ${String(p.value)} is not finite: SQL has no literal for it`);
      }
      return numberLiteral(p.value);
    }
    default: {
      const never: never = p;
      throw new AthenaParameterError(
        position,
        `unknown parameter type ${JSON.stringify((never as { type: unknown }).type)}`,
      );
    }
  }
}

function numberLiteral(n: number): string {
  if (Number.isSafeInteger(n)) return String(n === 0 ? 0 : n); // -0 is 0 in SQL
  // toExponential() without digits gives the shortest text that reads back as the same double
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  return `${mantissa}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

function validTimestamp(v: string): boolean {
  if (!TIMESTAMP_SHAPE.test(v)) return false;
  const t = DateTime.fromFormat(v, TIMESTAMP_FORMAT, { zone: 'utc' });
  // luxon rolls nothing over in fromFormat, but a round trip also rules out e.g. hour 24
  return t.isValid && t.toFormat(TIMESTAMP_FORMAT) === v;
}

function describeChar(code: number): string {
  if (code === 0) return 'NUL';
  if (code >= 0xd800 && code <= 0xdfff) return `an unpaired surrogate U+${hex(code)}`;
  return `control character U+${hex(code)}`;
}

const hex = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');

/** A literal text that is not one literal athenaLiteral could have rendered. */
export class AthenaLiteralSyntaxError extends Error {
  constructor(text: string, problem: string) {
    const shown = text.length > 60 ? `${text.slice(0, 60)}...` : text;
    super(`not an Athena parameter literal (${problem}): ${JSON.stringify(shown)}`);
    this.name = 'AthenaLiteralSyntaxError';
  }
}

const INTEGER = /^-?(0|[1-9]\d*)$/;
const DOUBLE = /^-?\d(\.\d+)?E-?\d+$/;

/**
 * Reads one ExecutionParameters entry back into the BoundParam it renders, exactly the grammar
 * athenaLiteral writes and nothing more: a string literal must be ONE literal (a lone `'`
 * inside ends it, and anything after the end is refused), so text smuggled out of the quotes
 * shows up here as an error rather than as SQL.
 */
export function parseAthenaLiteral(text: string): BoundParam {
  if (text.startsWith("'")) return { type: 'string', value: parseQuoted(text, text) };
  if (text.startsWith('TIMESTAMP ')) {
    const value = parseQuoted(text.slice('TIMESTAMP '.length), text);
    if (!validTimestamp(value)) throw new AthenaLiteralSyntaxError(text, `not a '${TIMESTAMP_FORMAT}' timestamp`);
    return { type: 'timestamp', value };
  }
  if (INTEGER.test(text) || DOUBLE.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) throw new AthenaLiteralSyntaxError(text, 'number out of range');
    return { type: 'number', value };
  }
  throw new AthenaLiteralSyntaxError(text, 'neither a string, a TIMESTAMP nor a number literal');
}

/** The content of a '...' literal that spans all of `quoted`, with '' read as '. */
function parseQuoted(quoted: string, whole: string): string {
  if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) {
    throw new AthenaLiteralSyntaxError(whole, 'unterminated string literal');
  }
  const inner = quoted.slice(1, -1);
  // inside, every quote must come in a doubled pair: a single one would end the literal early
  if (/'/.test(inner.replace(/''/g, '')))
    throw new AthenaLiteralSyntaxError(whole, 'a quote ends the string literal early');
  return inner.replace(/''/g, "'");
}
