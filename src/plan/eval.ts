import type { EvalExpr, Span } from '../spl/ast.js';
import type { PlanContext } from './context.js';
import type { Env } from './env.js';
import { EVAL_FUNCTIONS } from './eval-functions.js';
import { and, bin, caseWhen, lit, not, notNull, or, type Expr } from './ir.js';
import { alwaysNull, isNumeric, looksNumeric, NULL_TE, toNum, toStr, type TE } from './typed.js';

export interface EvalScope {
  env: Env;
  ctx: PlanContext;
  /** the add-on field definitions may use hunt's internal helpers (hunt_utc_strftime) */
  internal?: boolean;
}

/**
 * eval/where expressions with Splunk's semantics: a bare word is a field, a "quoted" string a
 * literal, comparisons are case-sensitive, numeric-looking text compares as numbers, and a
 * missing field makes a comparison null (never true).
 */
export function compileEval(x: EvalExpr, s: EvalScope): TE {
  switch (x.k) {
    case 'num':
      return { e: lit(x.value), t: Number.isInteger(x.value) && !/[.eE]/.test(x.text) ? 'int' : 'num' };
    case 'str':
      return x.external
        ? { e: { k: 'param', slot: { kind: 'value', value: x.value } }, t: 'str' }
        : { e: lit(x.value), t: 'str' };
    case 'field': {
      s.ctx.mention(x.name);
      const te = s.env.resolve(x.name);
      if (te) return te;
      if (!s.internal) {
        s.ctx.warn(
          x.quoted
            ? `field '${x.name}' is defined by no source field or earlier command; it is always empty here`
            : `bare word ${x.name} names a field (eval and where read unquoted words as field names), and no source field or earlier command defines it; it is always empty here${/^[A-Za-z]+$/.test(x.name) ? ` (did you mean the string "${x.name}"?)` : ''}`,
          x.span,
          { code: x.quoted ? 'unknown-field' : 'bare-word', field: x.name },
        );
      }
      return NULL_TE;
    }
    case 'call': {
      const f = EVAL_FUNCTIONS[x.name];
      if (!f || (f.internal && !s.internal)) throw s.ctx.error(`unsupported eval function ${x.name}()`, x.span);
      if (x.args.length < f.min || x.args.length > f.max) {
        const n = f.min === f.max ? `${f.min}` : f.max === Infinity ? `at least ${f.min}` : `${f.min} to ${f.max}`;
        throw s.ctx.error(
          `${x.name}() takes ${n} argument${f.min === 1 && f.max === 1 ? '' : 's'}, got ${x.args.length}`,
          x.span,
        );
      }
      return f.compile(x.args, s, x.span);
    }
    case 'neg': {
      const a = compileEval(x.arg, s);
      return { e: bin('-', lit(0), toNum(a)), t: a.t === 'int' ? 'int' : 'num' };
    }
    case 'not':
      return { e: not(asBool(x.arg, s)), t: 'bool' };
    case 'in': {
      const a = compileEval(x.arg, s);
      return { e: or(...x.values.map((v) => compare('=', a, compileEval(v, s), fresh(s)))), t: 'bool' };
    }
    case 'bin':
      return compileBinary(x, s);
  }
}

/** A boolean condition; Splunk refuses non-boolean conditions, and so do we. */
export function asBool(x: EvalExpr, s: EvalScope): Expr {
  const te = compileEval(x, s);
  if (te.t === 'bool') return te.e;
  if (te.t === 'null') return lit(null);
  throw s.ctx.error('expected a condition (a comparison or a boolean function) here', x.span);
}

function compileBinary(x: Extract<EvalExpr, { k: 'bin' }>, s: EvalScope): TE {
  switch (x.op) {
    case 'AND':
      return { e: and(asBool(x.left, s), asBool(x.right, s)), t: 'bool' };
    case 'OR':
      return { e: or(asBool(x.left, s), asBool(x.right, s)), t: 'bool' };
    case 'XOR': {
      const l = asBool(x.left, s);
      const r = asBool(x.right, s);
      return { e: bin('<>', l, r), t: 'bool' };
    }
    case '.': {
      // `a.b` written as one word reads like a dotted field name: one warning for the whole
      // name below, rather than a bare-word warning for each part
      const parts = dottedParts(x, s);
      const sides = parts ? { ...s, internal: true } : s;
      const l = compileEval(x.left, sides);
      const r = compileEval(x.right, sides);
      if (alwaysNull(l) || alwaysNull(r)) {
        // a null operand makes the concatenation null
        if (parts && !s.internal) {
          const empty = parts.filter((p) =>
            alwaysNull(compileEval({ k: 'field', name: p, quoted: false, span: x.span }, { ...s, internal: true })),
          );
          s.ctx.warn(
            `unquoted ${parts.join('.')} in eval is the . concatenation of the fields ${parts.join(' and ')}, and ${empty.join(' and ')} ${empty.length > 1 ? 'are not fields' : 'is not a field'}, so it is always empty; '${parts.join('.')}' (single quotes) would read the field (a content bug: hunt keeps Splunk's result)`,
            x.span,
            { code: 'bare-word', field: parts.join('.') },
          );
        }
        return NULL_TE;
      }
      return { e: bin('||', toStr(l), toStr(r)), t: 'str' };
    }
    case '+': {
      const l = compileEval(x.left, s);
      const r = compileEval(x.right, s);
      // "a" + "b" concatenates in Splunk; a number plus a number adds
      if (isTextLiteral(l) || isTextLiteral(r)) return { e: bin('||', toStr(l), toStr(r)), t: 'str' };
      return { e: bin('+', toNum(l), toNum(r)), t: l.t === 'int' && r.t === 'int' ? 'int' : 'num' };
    }
    case '-':
    case '*':
    case '%': {
      const l = compileEval(x.left, s);
      const r = compileEval(x.right, s);
      return { e: bin(x.op, toNum(l), toNum(r)), t: l.t === 'int' && r.t === 'int' ? 'int' : 'num' };
    }
    case '/': {
      const l = compileEval(x.left, s);
      const r = compileEval(x.right, s);
      return { e: bin('/', toNum(l), toNum(r)), t: 'num' };
    }
    case 'LIKE': {
      const l = compileEval(x.left, s);
      const r = compileEval(x.right, s);
      if (alwaysNull(l) || alwaysNull(r)) return { e: lit(null), t: 'bool' };
      return { e: { k: 'like', a: toStr(l), p: toStr(r) }, t: 'bool' };
    }
    default: {
      const l = compileEval(x.left, s);
      const r = compileEval(x.right, s);
      if (alwaysNull(l) || alwaysNull(r)) {
        s.ctx.warn(`the comparison ${describe(x, s)} can never be true: one side is always empty`, x.span, {
          code: 'never-true',
        });
        return { e: lit(null), t: 'bool' };
      }
      if (l.t === 'bool' || r.t === 'bool') throw s.ctx.error('cannot compare a condition with a value', x.span);
      const op = x.op === '==' ? '=' : x.op;
      return { e: compare(op, l, r, fresh(s)), t: 'bool' };
    }
  }
}

/** `a.b.c` written without spaces or quotes: the field names it joins, else undefined. */
function dottedParts(x: EvalExpr, s: EvalScope): string[] | undefined {
  if (x.k === 'field') return x.quoted ? undefined : [x.name];
  if (x.k !== 'bin' || x.op !== '.') return undefined;
  if (s.ctx.src.text.slice(x.left.span.end, x.right.span.start) !== '.') return undefined;
  const l = dottedParts(x.left, s);
  const r = dottedParts(x.right, s);
  return l && r ? [...l, ...r] : undefined;
}

export function describe(x: { span: Span }, s: EvalScope): string {
  return s.ctx.src.text.slice(x.span.start, x.span.end).replace(/\s+/g, ' ');
}

const fresh =
  (s: EvalScope) =>
  (prefix: string): string =>
    s.ctx.fresh(prefix);

const isTextLiteral = (te: TE): boolean =>
  te.e.k === 'param' || (te.e.k === 'lit' && typeof te.e.v === 'string' && !looksNumeric(te.e.v));

type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * Splunk's eval comparison: numbers compare as numbers, text that reads as a number compares
 * as a number against a number, everything else compares as case-sensitive text.
 */
export function compare(op: CmpOp, a: TE, b: TE, fresh: (prefix: string) => string): Expr {
  const sqlOp = op === '!=' ? '<>' : op;
  if (alwaysNull(a) || alwaysNull(b)) return lit(null);
  if (a.t === 'mv' || b.t === 'mv') {
    // a multivalue field compares true when any of its values does
    const [mv, other, flipped] = a.t === 'mv' ? [a, b, false] : [b, a, true];
    const v = fresh('m');
    const el: TE = { e: { k: 'var', name: v }, t: 'str' };
    const body = flipped ? compare(op, other, el, fresh) : compare(op, el, other, fresh);
    return { k: 'fn', f: 'anyMatch', a: [mv.e, { k: 'lambda', v, body }] };
  }
  if (isNumeric(a.t) && isNumeric(b.t)) return bin(sqlOp, a.e, b.e);
  if (isNumeric(a.t) || isNumeric(b.t)) {
    const [num, text, flipped] = isNumeric(a.t) ? [a, b, false] : [b, a, true];
    const lhs = (x: Expr, y: Expr): Expr => (flipped ? bin(sqlOp, y, x) : bin(sqlOp, x, y));
    if (text.e.k === 'lit' && typeof text.e.v === 'string') {
      return looksNumeric(text.e.v) ? lhs(num.e, lit(Number(text.e.v))) : lhs(toStr(num), text.e);
    }
    const asNum = toNum(text);
    return caseWhen([{ when: notNull(asNum), then: lhs(num.e, asNum) }], lhs(toStr(num), text.e));
  }
  const sa = toStr(a);
  const sb = toStr(b);
  const litA = a.e.k === 'lit' && typeof a.e.v === 'string' ? a.e.v : undefined;
  const litB = b.e.k === 'lit' && typeof b.e.v === 'string' ? b.e.v : undefined;
  if (
    (litA !== undefined && !looksNumeric(litA)) ||
    (litB !== undefined && !looksNumeric(litB)) ||
    a.e.k === 'param' ||
    b.e.k === 'param'
  ) {
    return bin(sqlOp, sa, sb);
  }
  const na = toNum(a);
  const nb = toNum(b);
  return caseWhen([{ when: and(notNull(na), notNull(nb)), then: bin(sqlOp, na, nb) }], bin(sqlOp, sa, sb));
}
