import type { EvalExpr, Span } from '../spl/ast.js';
import type { EvalScope } from './eval.js';
import { asBool, compileEval } from './eval.js';
import { caseWhen, coalesce, fn, isNull, lit, notNull, type Expr } from './ir.js';
import { alwaysNull, NULL_TE, NUMERIC_TEXT, toNum, toStr, type TE } from './typed.js';

interface EvalFunction {
  min: number;
  max: number;
  /** only for the add-on field definitions in src/sources */
  internal?: boolean;
  compile(args: EvalExpr[], s: EvalScope, span: Span): TE;
}

const one = (args: EvalExpr[], s: EvalScope): TE => compileEval(args[0] as EvalExpr, s);

/** A literal string argument (formats, regexes): Splunk allows expressions, hunt needs them constant. */
function literalText(x: EvalExpr | undefined, s: EvalScope, what: string, span: Span): string {
  if (x && x.k === 'str' && !x.external) return x.value;
  throw s.ctx.error(`${what} must be a quoted string literal`, x?.span ?? span);
}

function literalInt(x: EvalExpr | undefined, s: EvalScope, what: string, span: Span): number {
  if (x && x.k === 'num' && Number.isInteger(x.value)) return x.value;
  if (x && x.k === 'neg' && x.arg.k === 'num' && Number.isInteger(x.arg.value)) return -x.arg.value;
  throw s.ctx.error(`${what} must be a whole number literal`, x?.span ?? span);
}

/** Several values of possibly different kinds in one column: text unless all agree. */
function unify(tes: TE[]): { es: Expr[]; t: TE['t'] } {
  const kinds = new Set(tes.filter((t) => !alwaysNull(t)).map((t) => t.t));
  if (kinds.size <= 1) {
    const t = [...kinds][0] ?? 'null';
    return { es: tes.map((x) => x.e), t };
  }
  if ([...kinds].every((k) => k === 'int' || k === 'num')) return { es: tes.map((x) => x.e), t: 'num' };
  if (kinds.has('mv')) return { es: tes.map(asList), t: 'mv' };
  return { es: tes.map(toStr), t: 'str' };
}

/** Any value as a list (for multivalue functions): a single value is a list of one. */
function asList(te: TE): Expr {
  if (te.t === 'mv') return te.e;
  if (alwaysNull(te)) return { k: 'array', items: [{ k: 'cast', a: lit(null), to: 'varchar' }] };
  return { k: 'array', items: [toStr(te)] };
}

const numeric1 =
  (f: 'sqrt' | 'abs' | 'floor' | 'ceil', t: TE['t'] = 'num'): EvalFunction['compile'] =>
  (args, s) => ({ e: fn(f, toNum(one(args, s))), t });

export const EVAL_FUNCTIONS: Record<string, EvalFunction> = {
  if: {
    min: 3,
    max: 3,
    compile: (args, s) => {
      const c = asBool(args[0] as EvalExpr, s);
      const u = unify([compileEval(args[1] as EvalExpr, s), compileEval(args[2] as EvalExpr, s)]);
      return { e: caseWhen([{ when: c, then: u.es[0] as Expr }], u.es[1]), t: u.t };
    },
  },
  case: {
    min: 2,
    max: Infinity,
    compile: (args, s, span) => {
      if (args.length % 2 !== 0) throw s.ctx.error('case() takes condition/value pairs', span);
      const conds: Expr[] = [];
      const values: TE[] = [];
      for (let i = 0; i < args.length; i += 2) {
        conds.push(asBool(args[i] as EvalExpr, s));
        values.push(compileEval(args[i + 1] as EvalExpr, s));
      }
      const u = unify(values);
      // no ELSE: null when nothing matches
      return { e: caseWhen(conds.map((when, i) => ({ when, then: u.es[i] as Expr }))), t: u.t };
    },
  },
  coalesce: {
    min: 1,
    max: Infinity,
    compile: (args, s) => {
      const tes = args.map((a) => compileEval(a, s)).filter((t) => !alwaysNull(t));
      if (tes.length === 0) return NULL_TE;
      const u = unify(tes);
      return { e: coalesce(...u.es), t: u.t };
    },
  },
  isnull: { min: 1, max: 1, compile: (args, s) => ({ e: isNull(one(args, s).e), t: 'bool' }) },
  isnotnull: { min: 1, max: 1, compile: (args, s) => ({ e: notNull(one(args, s).e), t: 'bool' }) },
  isnum: {
    min: 1,
    max: 1,
    compile: (args, s) => {
      const te = one(args, s);
      if (te.t === 'num' || te.t === 'int') return { e: notNull(te.e), t: 'bool' };
      if (alwaysNull(te)) return { e: lit(false), t: 'bool' };
      return { e: coalesce(fn('regexLike', toStr(te), lit(NUMERIC_TEXT)), lit(false)), t: 'bool' };
    },
  },
  null: { min: 0, max: 0, compile: () => NULL_TE },
  true: { min: 0, max: 0, compile: () => ({ e: lit(true), t: 'bool' }) },
  false: { min: 0, max: 0, compile: () => ({ e: lit(false), t: 'bool' }) },
  match: {
    min: 2,
    max: 2,
    compile: (args, s, span) => {
      const subject = one(args, s);
      const re = literalText(args[1], s, 'the regular expression of match()', span);
      if (alwaysNull(subject)) return { e: lit(null), t: 'bool' };
      return { e: fn('regexLike', toStr(subject), lit(re)), t: 'bool' };
    },
  },
  like: {
    min: 2,
    max: 2,
    compile: (args, s) => {
      const a = one(args, s);
      const p = compileEval(args[1] as EvalExpr, s);
      if (alwaysNull(a) || alwaysNull(p)) return { e: lit(null), t: 'bool' };
      return { e: { k: 'like', a: toStr(a), p: toStr(p) }, t: 'bool' };
    },
  },
  pow: {
    min: 2,
    max: 2,
    compile: (args, s) => ({ e: fn('power', toNum(one(args, s)), toNum(compileEval(args[1] as EvalExpr, s))), t: 'num' }),
  },
  sqrt: { min: 1, max: 1, compile: numeric1('sqrt') },
  abs: { min: 1, max: 1, compile: numeric1('abs') },
  floor: { min: 1, max: 1, compile: numeric1('floor', 'int') },
  ceil: { min: 1, max: 1, compile: numeric1('ceil', 'int') },
  ceiling: { min: 1, max: 1, compile: numeric1('ceil', 'int') },
  round: {
    min: 1,
    max: 2,
    compile: (args, s, span) => {
      const digits = args[1] ? literalInt(args[1], s, 'the precision of round()', span) : 0;
      return { e: fn('round', toNum(one(args, s)), lit(digits)), t: digits === 0 ? 'int' : 'num' };
    },
  },
  tonumber: {
    min: 1,
    max: 2,
    compile: (args, s, span) => {
      if (args[1] && literalInt(args[1], s, 'the base of tonumber()', span) !== 10) {
        throw s.ctx.error('tonumber() with a base other than 10 is not supported', span);
      }
      return { e: toNum(one(args, s)), t: 'num' };
    },
  },
  tostring: {
    min: 1,
    max: 1,
    compile: (args, s) => ({ e: toStr(one(args, s)), t: 'str' }),
  },
  lower: { min: 1, max: 1, compile: (args, s) => ({ e: fn('lower', toStr(one(args, s))), t: 'str' }) },
  upper: { min: 1, max: 1, compile: (args, s) => ({ e: fn('upper', toStr(one(args, s))), t: 'str' }) },
  len: { min: 1, max: 1, compile: (args, s) => ({ e: fn('length', toStr(one(args, s))), t: 'int' }) },
  trim: { min: 1, max: 1, compile: (args, s) => ({ e: fn('trim', toStr(one(args, s))), t: 'str' }) },
  substr: {
    min: 2,
    max: 3,
    compile: (args, s) => {
      const parts = [toStr(one(args, s)), toNum(compileEval(args[1] as EvalExpr, s))];
      if (args[2]) parts.push(toNum(compileEval(args[2], s)));
      return { e: fn('substr', ...parts), t: 'str' };
    },
  },
  strftime: {
    min: 2,
    max: 2,
    compile: (args, s, span) => {
      const t = one(args, s);
      const format = literalText(args[1], s, 'the format of strftime()', span);
      if (alwaysNull(t)) return NULL_TE;
      return { e: fn('formatEpoch', toNum(t), lit(format), lit(s.ctx.zone)), t: 'str' };
    },
  },
  hunt_utc_strftime: {
    min: 2,
    max: 2,
    internal: true,
    compile: (args, s, span) => {
      const format = literalText(args[1], s, 'the format', span);
      return { e: fn('formatEpoch', toNum(one(args, s)), lit(format), lit('UTC')), t: 'str' };
    },
  },
  split: {
    min: 2,
    max: 2,
    compile: (args, s, span) => {
      const subject = one(args, s);
      const sep = literalText(args[1], s, 'the separator of split()', span);
      if (alwaysNull(subject)) return NULL_TE;
      return { e: fn('split', toStr(subject), lit(sep)), t: 'mv' };
    },
  },
  mvindex: {
    min: 2,
    max: 3,
    compile: (args, s, span) => {
      const mv = one(args, s);
      const start = literalInt(args[1], s, 'the index of mvindex()', span);
      if (args[2]) throw s.ctx.error('mvindex() with an end index is not supported yet', span);
      if (alwaysNull(mv)) return NULL_TE;
      if (mv.t !== 'mv') {
        // a single value is a list of one
        return start === 0 || start === -1 ? { e: toStr(mv), t: 'str' } : NULL_TE;
      }
      // 0-based, negative from the end; out of range is null (element_at/list_extract agree)
      return { e: fn('elementAt', mv.e, lit(start >= 0 ? start + 1 : start)), t: 'str' };
    },
  },
  mvcount: {
    min: 1,
    max: 1,
    compile: (args, s) => {
      const mv = one(args, s);
      if (alwaysNull(mv)) return NULL_TE;
      if (mv.t !== 'mv') return { e: caseWhen([{ when: notNull(mv.e), then: lit(1) }]), t: 'int' };
      return { e: fn('cardinality', mv.e), t: 'int' };
    },
  },
  mvappend: {
    min: 1,
    max: Infinity,
    compile: (args, s) => {
      const lists = args
        .map((a) => compileEval(a, s))
        .filter((t) => !alwaysNull(t))
        .map((t) => (t.t === 'mv' ? coalesce(t.e, asList(NULL_TE)) : asList(t)));
      if (lists.length === 0) return NULL_TE;
      const joined = lists.slice(1).reduce<Expr>((acc, l) => fn('arrayConcat', acc, l), lists[0] as Expr);
      return { e: fn('nullIfEmpty', fn('arrayCompact', joined)), t: 'mv' };
    },
  },
};
