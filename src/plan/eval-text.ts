import type { EvalExpr } from '../spl/ast.js';
import { compileEval } from './eval.js';
import { literalText, one, type EvalFunction } from './eval-args.js';
import { regexArgument } from './regex-syntax.js';
import { and, bin, caseWhen, cast, coalesce, fn, isNull, lit, not, notNull, type Expr } from './ir.js';
import { alwaysNull, isNumeric, NULL_TE, NUMERIC_TEXT, toStr } from './typed.js';

/** Text and type eval functions. */

const IPV4 = '^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$';

/** An IPv4 CIDR block as the first and last address, as numbers. */
function cidrRange(cidr: string): { lo: number; hi: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = [m[1], m[2], m[3], m[4]].map(Number);
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const lo = Math.floor(addr / size) * size;
  return { lo, hi: lo + size - 1 };
}

/** An IPv4 address text as a number (the caller checks the shape); octets over 255 give NULL. */
function ipNumber(text: Expr): Expr {
  const parts = fn('split', text, lit('.'));
  const octet = (i: number): Expr => cast(fn('elementAt', parts, lit(i)), 'bigint');
  const valid = and(...[1, 2, 3, 4].map((i) => bin('<=', octet(i), lit(255))));
  const value = [1, 2, 3, 4].reduce<Expr>((acc, i) => bin('+', bin('*', acc, lit(256)), octet(i)), lit(0));
  return caseWhen([{ when: valid, then: value }]);
}

/** NULL for NULL text, else whether the text is an IPv4 address in the range (false for other text). */
function inCidr(ipText: Expr, range: { lo: number; hi: number }): Expr {
  const text = fn('trim', ipText);
  const n = ipNumber(text);
  return caseWhen(
    [
      { when: isNull(text), then: lit(null) },
      {
        when: fn('regexLike', text, lit(IPV4)),
        then: coalesce(and(bin('>=', n, lit(range.lo)), bin('<=', n, lit(range.hi))), lit(false)),
      },
    ],
    lit(false),
  );
}

/** One octet of an address as text: 0-255, leading zeros allowed (as the number a cast reads). */
const OCTET = '0*(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

/** A regex for the IPv4 addresses of a range that is a CIDR block: fixed octets, one partial, then any. */
function cidrRegex(range: { lo: number; hi: number }): string {
  const octets = [3, 2, 1, 0].map((i) => {
    const lo = Math.floor(range.lo / 256 ** i) % 256;
    const hi = Math.floor(range.hi / 256 ** i) % 256;
    if (lo === hi) return `0*${lo}`;
    if (lo === 0 && hi === 255) return OCTET;
    return `0*(${Array.from({ length: hi - lo + 1 }, (_, k) => lo + k).join('|')})`;
  });
  return `^\\s*${octets.join('\\.')}\\s*$`;
}

/**
 * A search value in CIDR notation (`10.0.0.0/8`) as the condition `search` makes of it: the
 * field's IPv4 address lies in the block (false for other text; the caller excludes NULL).
 * One regex, so the field's expression appears once in the SQL. Undefined for any other value
 * (IPv6 is not supported).
 */
export function searchCidr(ipText: Expr, value: string): Expr | undefined {
  if (!value.includes('/')) return undefined;
  const range = cidrRange(value);
  return range ? coalesce(fn('regexLike', ipText, lit(cidrRegex(range))), lit(false)) : undefined;
}

export const TEXT_FUNCTIONS: Record<string, EvalFunction> = {
  /**
   * replace(text, regex, replacement): every match replaced; \1 in the replacement is the
   * first group. The regex may be computed per event; the replacement must be a literal.
   */
  replace: {
    min: 3,
    max: 3,
    compile: (args, s, span) => {
      const text = one(args, s);
      const re = toStr(compileEval(regexArgument(s.ctx, args[1] as EvalExpr), s));
      const replacement = literalText(args[2], s, 'the replacement of replace()', span);
      if (alwaysNull(text)) return NULL_TE;
      return { e: fn('replaceRegex', toStr(text), re, lit(replacement)), t: 'str' };
    },
  },
  /** isstr(x): x has a value that is not a number */
  isstr: {
    min: 1,
    max: 1,
    compile: (args, s) => {
      const te = one(args, s);
      if (alwaysNull(te) || isNumeric(te.t) || te.t === 'bool') return { e: lit(false), t: 'bool' };
      const text = toStr(te);
      return { e: and(notNull(text), not(coalesce(fn('regexLike', text, lit(NUMERIC_TEXT)), lit(false)))), t: 'bool' };
    },
  },
  /** typeof(x): "Number", "String", "Boolean", or "Invalid" for no value */
  typeof: {
    min: 1,
    max: 1,
    compile: (args, s, span) => {
      const te = one(args, s);
      if (alwaysNull(te)) return { e: lit('Invalid'), t: 'str' };
      if (te.t === 'bool') return { e: lit('Boolean'), t: 'str' };
      if (te.t === 'mv') throw s.ctx.error('typeof() of a multivalue field is not supported', span);
      if (isNumeric(te.t))
        return { e: caseWhen([{ when: isNull(te.e), then: lit('Invalid') }], lit('Number')), t: 'str' };
      return {
        e: caseWhen(
          [
            { when: isNull(te.e), then: lit('Invalid') },
            { when: fn('regexLike', te.e, lit(NUMERIC_TEXT)), then: lit('Number') },
          ],
          lit('String'),
        ),
        t: 'str',
      };
    },
  },
  /** cidrmatch("10.0.0.0/8", ip): true when ip is an IPv4 address in the block; false for other text */
  cidrmatch: {
    min: 2,
    max: 2,
    compile: (args, s, span) => {
      const cidr = literalText(args[0], s, 'the CIDR block of cidrmatch()', span);
      const range = cidrRange(cidr);
      if (!range)
        throw s.ctx.error(
          `cidrmatch(): "${cidr}" is not an IPv4 CIDR block (IPv6 is not supported)`,
          args[0]?.span ?? span,
        );
      const ip = compileEval(args[1] as EvalExpr, s);
      if (alwaysNull(ip)) return { e: lit(null), t: 'bool' };
      return { e: inCidr(toStr(ip), range), t: 'bool' };
    },
  },
};
