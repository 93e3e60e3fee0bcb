import type { EvalExpr } from '../spl/ast.js';
import { OverlayEnv } from './env.js';
import { asBool, compileEval } from './eval.js';
import { asList, literalInt, one, type EvalFunction } from './eval-args.js';
import type { EvalScope } from './eval.js';
import { and, bin, caseWhen, coalesce, FALSE, fn, lit, notNull, type Expr } from './ir.js';
import { alwaysNull, NULL_TE, toStr, type TE } from './typed.js';

/**
 * Multivalue eval functions. A single value is a list of one; a missing field is no list
 * (the functions give null), as in Splunk.
 */

/** A literal or computed separator (mvjoin, mvzip). */
function separator(x: EvalExpr | undefined, s: EvalScope, fallback: string): Expr {
  return x ? toStr(compileEval(x, s)) : lit(fallback);
}

/** mvindex positions: 0-based, negative from the end, as a 1-based SQL position. */
function position(i: number, list: Expr): Expr {
  return i >= 0 ? lit(i + 1) : bin('+', fn('cardinality', list), lit(i + 1));
}

export const MULTIVALUE_FUNCTIONS: Record<string, EvalFunction> = {
  mvindex: {
    min: 2,
    max: 3,
    compile: (args, s, span) => {
      const mv = one(args, s);
      const start = literalInt(args[1], s, 'the start index of mvindex()', span);
      const end = args[2] ? literalInt(args[2], s, 'the end index of mvindex()', span) : undefined;
      if (alwaysNull(mv)) return NULL_TE;
      const list = mv.t === 'mv' ? mv.e : asList(mv);
      if (end === undefined) {
        // 0-based, negative from the end; out of range is null (element_at/list_extract agree)
        return { e: fn('elementAt', list, lit(start >= 0 ? start + 1 : start)), t: 'str' };
      }
      // start..end inclusive; a range outside the list is null
      const from = position(start, list);
      const to = position(end, list);
      const n = fn('cardinality', list);
      const last = fn('least', to, n);
      return {
        e: caseWhen([
          {
            when: and(bin('>=', from, lit(1)), bin('<=', from, last)),
            then: fn('arraySlice', list, from, bin('+', bin('-', last, from), lit(1))),
          },
        ]),
        t: 'mv',
      };
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
  /** mvjoin(mv, sep): the values joined by sep, in order */
  mvjoin: {
    min: 2,
    max: 2,
    compile: (args, s) => {
      const mv = one(args, s);
      if (alwaysNull(mv)) return NULL_TE;
      const list = mv.t === 'mv' ? mv.e : asList(mv);
      return { e: fn('arrayJoin', list, separator(args[1], s, ',')), t: 'str' };
    },
  },
  /** mvdedup(mv): each value once, where it first occurs */
  mvdedup: {
    min: 1,
    max: 1,
    compile: (args, s) => {
      const mv = one(args, s);
      if (alwaysNull(mv)) return NULL_TE;
      if (mv.t !== 'mv') return mv;
      return { e: fn('arrayDistinct', mv.e), t: 'mv' };
    },
  },
  /** mvzip(a, b[, sep]): a1.sep.b1, a2.sep.b2, ... as long as the shorter list (sep defaults to ",") */
  mvzip: {
    min: 2,
    max: 3,
    compile: (args, s) => {
      const a = one(args, s);
      const b = compileEval(args[1] as EvalExpr, s);
      if (alwaysNull(a) || alwaysNull(b)) return NULL_TE;
      const la = a.t === 'mv' ? a.e : asList(a);
      const lb = b.t === 'mv' ? b.e : asList(b);
      return { e: fn('nullIfEmpty', fn('arrayZip', la, lb, separator(args[2], s, ','))), t: 'mv' };
    },
  },
  /**
   * mvfilter(condition): the values of the one field the condition names for which it is true.
   * Inside the condition that field is each value in turn.
   */
  mvfilter: {
    min: 1,
    max: 1,
    compile: (args, s, span) => {
      const cond = args[0] as EvalExpr;
      const names = [...new Set(fieldNames(cond))];
      if (names.length !== 1) {
        throw s.ctx.error(
          `mvfilter() takes a condition on exactly one field (found ${names.length ? names.join(', ') : 'none'})`,
          span,
        );
      }
      const name = names[0] as string;
      const mv = s.env.resolve(name);
      s.ctx.mention(name);
      if (!mv || alwaysNull(mv)) return NULL_TE;
      const v = s.ctx.fresh('f');
      const env = new OverlayEnv(s.env, new Map<string, TE>([[name, { e: { k: 'var', name: v }, t: 'str' }]]));
      const body = asBool(cond, { ...s, env });
      const list = mv.t === 'mv' ? mv.e : asList(mv);
      return {
        e: fn('nullIfEmpty', fn('arrayFilter', list, { k: 'lambda', v, body: coalesce(body, FALSE) })),
        t: 'mv',
      };
    },
  },
};

/** The field names an eval expression reads. */
function fieldNames(x: EvalExpr): string[] {
  switch (x.k) {
    case 'field':
      return [x.name];
    case 'call':
      return x.args.flatMap(fieldNames);
    case 'bin':
      return [...fieldNames(x.left), ...fieldNames(x.right)];
    case 'in':
      return [...fieldNames(x.arg), ...x.values.flatMap(fieldNames)];
    case 'not':
    case 'neg':
      return fieldNames(x.arg);
    default:
      return [];
  }
}
