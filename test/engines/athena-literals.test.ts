/**
 * ExecutionParameters literals (src/engines/athena/literals.ts) against hostile input. Every
 * value is either inert or refused with an error naming its `?`:
 * - inert: the literal parses back to exactly the value; put in place of its `?` in a real
 *   Athena translation, the SQL still parses as Trino (dt-sql-parser) and the literal lexes as
 *   exactly the tokens of one literal (ONE string token for a string), with every other token
 *   of the query unchanged: nothing escaped the quotes.
 * - refused: AthenaParameterError, never a rendering.
 */
import { describe, expect, test } from 'vitest';
import { TrinoSQL } from 'dt-sql-parser';
import { DateTime } from 'luxon';
import {
  AthenaLiteralSyntaxError,
  AthenaParameterError,
  athenaLiteral,
  MAX_LITERAL_LENGTH,
  parseAthenaLiteral,
} from '../../src/engines/athena/literals.js';
import { bindParams, type BoundParam } from '../../src/sql/params.js';
import { translateSearch } from '../../src/translate/translate.js';
import { macrosWith } from '../support/hunt.js';

const trino = new TrinoSQL();

/** Non-hidden tokens as [type, text]. */
const tokens = (sql: string): [number, string][] =>
  trino
    .getAllTokens(sql)
    .filter((t) => t.channel === 0 && t.type !== -1)
    .map((t) => [t.type, t.text ?? '']);

const typeOf = (sql: string, text: string): number => {
  const t = tokens(sql).find(([, x]) => x === text);
  if (!t) throw new Error(`no token ${text} in ${sql}`);
  return t[0];
};
const STRING = typeOf("select 'x'", "'x'");
const QUESTION = typeOf('select ?', '?');
const INTEGER = typeOf('select 12', '12');
const DOUBLE = typeOf('select 1.5E0', '1.5E0');
const TIMESTAMP_KW = typeOf("select TIMESTAMP '2026-01-01 00:00:00.000'", 'TIMESTAMP');
const MINUS = typeOf('select -1', '-');

// A real Athena translation with a configuration value among its parameters: the value slot is
// where a hostile allow-list entry would go.
const translation = translateSearch('`cloudtrail` eventName=PutImage NOT `aws_ecr_users` | stats count by userName', {
  dialect: 'athena',
  macros: macrosWith({ aws_ecr_users: 'userName=placeholder' }),
  zone: 'UTC',
});
const window = {
  earliest: DateTime.fromISO('2026-11-20T10:00:00Z', { zone: 'utc' }),
  latest: DateTime.fromISO('2026-11-20T11:00:00Z', { zone: 'utc' }),
};
const valueAt = translation.slots.findIndex((s) => s.kind === 'value');

/** The translation's SQL with `literals[i]` in place of its i-th `?` (found as tokens, not text). */
function substitute(literals: string[]): string {
  const all = trino.getAllTokens(translation.sql);
  let out = '';
  let last = 0;
  let i = 0;
  for (const t of all) {
    if (t.type !== QUESTION) continue;
    out += translation.sql.slice(last, t.start) + (literals[i++] as string);
    last = t.stop + 1;
  }
  expect(i).toBe(literals.length);
  return out + translation.sql.slice(last);
}

/** The token types one literal must lex as. */
function literalTokens(p: BoundParam, literal: string): [number, string][] {
  if (p.type === 'string') return [[STRING, literal]];
  if (p.type === 'timestamp')
    return [
      [TIMESTAMP_KW, 'TIMESTAMP'],
      [STRING, literal.slice('TIMESTAMP '.length)],
    ];
  const body = literal.startsWith('-') ? literal.slice(1) : literal;
  const number: [number, string] = [/E/.test(body) ? DOUBLE : INTEGER, body];
  return literal.startsWith('-') ? [[MINUS, '-'], number] : [number];
}

/** The assertion every accepted value must pass. */
function expectInert(p: BoundParam): string {
  const literal = athenaLiteral(p, valueAt + 1);
  expect(literal.length).toBeGreaterThanOrEqual(1);
  expect(literal.length).toBeLessThanOrEqual(MAX_LITERAL_LENGTH);
  // round trip: the literal means exactly the value
  expect(parseAthenaLiteral(literal)).toEqual(
    p.type === 'number' && Object.is(p.value, -0) ? { type: 'number', value: 0 } : p,
  );
  // in the query: valid Trino, and the query's tokens are the original ones with the literal's
  // tokens where its `?` was
  const params = bindParams(translation.slots, window);
  params[valueAt] = p;
  const literals = params.map((x, i) => (i === valueAt ? literal : athenaLiteral(x, i + 1)));
  const sql = substitute(literals);
  expect(trino.validate(sql)).toEqual([]);
  let n = 0;
  const expected = tokens(translation.sql).flatMap((t) =>
    t[0] === QUESTION ? literalTokens(params[n] as BoundParam, literals[n++] as string) : [t],
  );
  expect(tokens(sql)).toEqual(expected);
  return literal;
}

function expectRefused(p: BoundParam, message: RegExp): void {
  let caught: unknown;
  try {
    athenaLiteral(p, 3);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AthenaParameterError);
  expect((caught as AthenaParameterError).position).toBe(3);
  expect((caught as Error).message).toMatch(/^Athena parameter \?3: /);
  expect((caught as Error).message).toMatch(message);
}

describe('the query the hostile values go into', () => {
  test('has a configuration value slot and window slots, and parses as Trino', () => {
    expect(valueAt).toBeGreaterThanOrEqual(0);
    expect(translation.slots.filter((s) => s.kind === 'window').length).toBeGreaterThanOrEqual(4);
    expect(trino.validate(translation.sql)).toEqual([]);
  });

  test('the token check can fail: a literal that breaks out of its quotes is caught', () => {
    const params = bindParams(translation.slots, window);
    const literals = params.map((x, i) => (i === valueAt ? "'x' OR 1=1 OR 'y'" : athenaLiteral(x, i + 1)));
    const sql = substitute(literals);
    // still valid SQL (that is what makes injection dangerous) ...
    expect(trino.validate(sql)).toEqual([]);
    // ... but not one string token
    const strings = tokens(sql)
      .filter(([type]) => type === STRING)
      .map(([, text]) => text);
    expect(strings).toContain("'x'");
    expect(strings).not.toContain("'x' OR 1=1 OR 'y'");
  });
});

describe('strings', () => {
  test.each([
    ['plain', 'alice'],
    ['empty', ''],
    ['a quote', "it's"],
    ['only quotes', "''''"],
    ['quote at both ends', "'x'"],
    ['classic injection', "x' OR '1'='1"],
    ['statement injection', "'; DROP TABLE cloudtrail_logs; --"],
    ['backslash', 'a\\b'],
    ['backslash before a quote', "\\'"],
    ['trailing backslash', 'x\\'],
    ['line comment', 'x -- y'],
    ['block comment close', '*/ x /*'],
    ['semicolon', 'x; DROP TABLE t'],
    ['newline', 'line\nbreak'],
    ['CRLF', 'a\r\nb'],
    ['tab', 'a\tb'],
    ['question mark (a placeholder elsewhere)', 'what?'],
    ['double quotes', '"quoted" identifier'],
    ['LIKE wildcards', '%_\\%'],
    ['unicode', 'ünïcödé ✓'],
    ['astral (surrogate pairs)', '𝕏 🙂 𠜎'],
    ['right-to-left override', 'abc\u202Edef'],
    ['zero-width and BOM', 'a\u200Bb\uFEFF'],
    ['JS line separators', 'a\u2028b\u2029c'],
    ['dollar quoting', '$$ x $$'],
    ['TIMESTAMP lookalike', "TIMESTAMP '2026-01-01 00:00:00.000'"],
  ])('%s is inert', (_, value) => {
    const literal = expectInert({ type: 'string', value });
    expect(literal).toBe(`'${value.replace(/'/g, "''")}'`);
  });

  test('the longest value that fits: 1022 characters render as 1024', () => {
    expect(expectInert({ type: 'string', value: 'a'.repeat(1022) })).toHaveLength(1024);
  });

  test('doubled quotes count: 511 quotes fit (1024), 512 do not', () => {
    expect(expectInert({ type: 'string', value: "'".repeat(511) })).toHaveLength(1024);
    expectRefused({ type: 'string', value: "'".repeat(512) }, /renders as 1026 characters; Athena takes at most 1024/);
  });

  test.each([
    ['1023 characters (1025 rendered)', 'a'.repeat(1023), /renders as 1025 characters/],
    ['1025 characters', 'a'.repeat(1025), /renders as 1027 characters/],
    ['astral characters count as two UTF-16 units', '🙂'.repeat(512), /renders as 1026 characters/],
    ['NUL', 'a\u0000b', /contains NUL at offset 1/],
    ['an escape character', 'a\u001b[31m', /control character U\+001B at offset 1/],
    ['DEL', '\u007f', /control character U\+007F/],
    ['a lone high surrogate', 'x\uD83D', /unpaired surrogate U\+D83D at offset 1/],
    ['a lone low surrogate', '\uDE42x', /unpaired surrogate U\+DE42 at offset 0/],
  ])('%s is refused', (_, value, message) => {
    expectRefused({ type: 'string', value }, message);
  });
});

describe('timestamps', () => {
  test.each(['2026-11-20 10:00:00.000', '1970-01-01 00:00:00.000', '2024-02-29 23:59:59.999'])(
    '%s is inert',
    (value) => {
      expect(expectInert({ type: 'timestamp', value })).toBe(`TIMESTAMP '${value}'`);
    },
  );

  test.each([
    ['ISO with T', '2026-11-20T10:00:00.000'],
    ['no milliseconds', '2026-11-20 10:00:00'],
    ['microseconds', '2026-11-20 10:00:00.000000'],
    ['a zone', '2026-11-20 10:00:00.000Z'],
    ['month 13', '2026-13-01 00:00:00.000'],
    ['30 February', '2026-02-30 00:00:00.000'],
    ['hour 24', '2026-11-20 24:00:00.000'],
    ['injection', "2026-11-20 10:00:00.000' OR '1'='1"],
    ['a trailing newline', '2026-11-20 10:00:00.000\n'],
    ['empty', ''],
  ])('%s is refused', (_, value) => {
    expectRefused({ type: 'timestamp', value }, /is not a UTC 'yyyy-MM-dd HH:mm:ss.SSS' time/);
  });
});

describe('numbers', () => {
  test.each([
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-5, '-5'],
    [1763632800, '1763632800'],
    [1763632800000, '1763632800000'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [-Number.MAX_SAFE_INTEGER, '-9007199254740991'],
  ])('integer %d renders as the integer literal %s', (value, text) => {
    expect(expectInert({ type: 'number', value })).toBe(text);
  });

  test.each([
    [1.5, '1.5E0'],
    [0.1, '1E-1'],
    [1763632800.5, '1.7636328005E9'],
    [1e-7, '1E-7'],
    [2 ** 53, '9.007199254740992E15'],
    [1e21, '1E21'],
    [-1.5e-300, '-1.5E-300'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [Number.MIN_VALUE, '5E-324'],
  ])('%d renders as the DOUBLE literal %s (exponent always explicit)', (value, text) => {
    expect(expectInert({ type: 'number', value })).toBe(text);
  });

  test.each([NaN, Infinity, -Infinity])('%d is refused', (value) => {
    expectRefused({ type: 'number', value }, /is not finite/);
  });
});

describe('parseAthenaLiteral reads only what athenaLiteral writes', () => {
  test.each([
    ["'a' OR 'b'", /a quote ends the string literal early/],
    ["'abc", /unterminated string literal/],
    ["'", /unterminated string literal/],
    ["'''", /a quote ends the string literal early/],
    ['1; DROP TABLE t', /neither a string/],
    ["TIMESTAMP '2026-11-20 10:00:00.000' + INTERVAL '1' DAY", /unterminated|quote ends/],
    ["TIMESTAMP '2026-11-20'", /not a 'yyyy-MM-dd HH:mm:ss.SSS' timestamp/],
    ['1e5', /neither a string/],
    ['01', /neither a string/],
    ['1.5', /neither a string/],
    ['(1)', /neither a string/],
    ['', /neither a string/],
  ])('%j is refused', (text, message) => {
    expect(() => parseAthenaLiteral(text)).toThrow(AthenaLiteralSyntaxError);
    expect(() => parseAthenaLiteral(text)).toThrow(message);
  });
});
