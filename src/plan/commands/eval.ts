import type { Command } from '../../spl/ast.js';
import { OverlayEnv } from '../env.js';
import { compileEval } from '../eval.js';
import type { PlannerState } from '../planner-state.js';
import { alwaysNull } from '../typed.js';

/** `eval f=expr, ...`: each assignment sees the ones before it. */
export function evalCommand(p: PlannerState, cmd: Extract<Command, { k: 'eval' }>): void {
  const ctx = p.ctx;
  for (const a of cmd.assignments) {
    const te = compileEval(a.expr, { env: p.env, ctx });
    if (te.t === 'bool') throw ctx.error(`eval cannot store a condition in ${a.field.name}; use if(...)`, a.expr.span);
    ctx.mention(a.field.name);
    p.env = new OverlayEnv(p.env, new Map([[a.field.name, alwaysNull(te) ? null : te]]));
  }
}
