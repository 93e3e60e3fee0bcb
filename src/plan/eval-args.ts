import type { EvalExpr, Span } from '../spl/ast.js';
import type { EvalScope } from './eval.js';
import { compileEval } from './eval.js';
import { lit, type Expr } from './ir.js';
import { alwaysNull, toStr, type TE } from './typed.js';

/** How eval functions take their arguments; the function tables (eval-*.ts) are built from these. */
export interface EvalFunction {
  min: number;
  max: number;
  /** only for the add-on field definitions in src/sources */
  internal?: boolean;
  compile(args: EvalExpr[], s: EvalScope, span: Span): TE;
}

export const one = (args: EvalExpr[], s: EvalScope): TE => compileEval(args[0] as EvalExpr, s);

/** A literal string argument (formats, regexes): Splunk allows expressions, hunt needs them constant. */
export function literalText(x: EvalExpr | undefined, s: EvalScope, what: string, span: Span): string {
  if (x && x.k === 'str' && !x.external) return x.value;
  throw s.ctx.error(`${what} must be a quoted string literal`, x?.span ?? span);
}

export function literalInt(x: EvalExpr | undefined, s: EvalScope, what: string, span: Span): number {
  if (x && x.k === 'num' && Number.isInteger(x.value)) return x.value;
  if (x && x.k === 'neg' && x.arg.k === 'num' && Number.isInteger(x.arg.value)) return -x.arg.value;
  throw s.ctx.error(`${what} must be a whole number literal`, x?.span ?? span);
}

/** Several values of possibly different kinds in one column: text unless all agree. */
export function unify(tes: TE[]): { es: Expr[]; t: TE['t'] } {
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
export function asList(te: TE): Expr {
  if (te.t === 'mv') return te.e;
  if (alwaysNull(te)) return { k: 'array', items: [{ k: 'cast', a: lit(null), to: 'varchar' }] };
  return { k: 'array', items: [toStr(te)] };
}
