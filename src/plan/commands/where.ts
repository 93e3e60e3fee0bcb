import type { Command } from '../../spl/ast.js';
import { compileEval } from '../eval.js';
import { lit } from '../ir.js';
import type { Planner } from '../planner.js';

/** `where <condition>`: keeps the events where the eval condition is true (null is not). */
export function where(p: Planner, cmd: Extract<Command, { k: 'where' }>): void {
  const te = compileEval(cmd.expr, { env: p.env, ctx: p.ctx });
  if (te.t !== 'bool' && te.t !== 'null') throw p.ctx.error('`where` needs a condition', cmd.expr.span);
  p.filter(te.t === 'null' ? lit(false) : te.e);
}
