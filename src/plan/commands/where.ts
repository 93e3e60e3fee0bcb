import type { Command } from '../../spl/ast.js';
import { compileEval } from '../eval.js';
import { lit } from '../ir.js';
import type { PlannerState } from '../planner-state.js';

/** `where <condition>`: keeps the events where the eval condition is true (null is not). */
export function where(p: PlannerState, cmd: Extract<Command, { k: 'where' }>): void {
  const te = compileEval(cmd.expr, { env: p.env, ctx: p.ctx });
  if (te.t !== 'bool' && te.t !== 'null') throw p.ctx.error('`where` needs a condition', cmd.expr.span);
  p.filter(te.t === 'null' ? lit(false) : te.e);
}
