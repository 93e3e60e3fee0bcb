import type { EvalExpr } from '../spl/ast.js';
import { asBool, compileEval, describe } from './eval.js';
import { literalInt, literalText, one, unify, type EvalFunction } from './eval-args.js';
import { MULTIVALUE_FUNCTIONS } from './eval-multivalue.js';
import { TEXT_FUNCTIONS } from './eval-text.js';
import { TIME_FUNCTIONS } from './eval-time.js';
import { regexArgument } from './regex-syntax.js';
import { caseWhen, coalesce, fn, isNull, lit, notNull, type Expr } from './ir.js';
import { alwaysNull, NULL_TE, NUMERIC_TEXT, toNum, toStr, type TE } from './typed.js';

const numeric1 =
  (f: 'sqrt' | 'abs' | 'floor' | 'ceil', t: TE['t'] = 'num'): EvalFunction['compile'] =>
  (args, s) => ({ e: fn(f, toNum(one(args, s))), t });

export const EVAL_FUNCTIONS: Record<string, EvalFunction> = {
  ...MULTIVALUE_FUNCTIONS,
  ...TEXT_FUNCTIONS,
  ...TIME_FUNCTIONS,
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
      const re = compileEval(regexArgument(s.ctx, args[1] as EvalExpr), s);
      if (alwaysNull(subject) || alwaysNull(re)) {
        const which =
          alwaysNull(subject) && alwaysNull(re)
            ? 'its text and its regex are'
            : alwaysNull(subject)
              ? 'its text is'
              : 'its regex is';
        s.ctx.warn(
          `${describe({ span }, s)} is never true: ${which} always empty, so it is null for every event (if() takes its else branch, where drops the event)`,
          span,
          { code: 'never-true' },
        );
        return { e: lit(null), t: 'bool' };
      }
      return { e: fn('regexLike', toStr(subject), toStr(re)), t: 'bool' };
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
    compile: (args, s) => ({
      e: fn('power', toNum(one(args, s)), toNum(compileEval(args[1] as EvalExpr, s))),
      t: 'num',
    }),
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
};
