import type { Command } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';

/** `outputlookup NAME`: not written by a query (see docs/semantics.md). */
export function outputlookup(p: PlannerState, cmd: Extract<Command, { k: 'outputlookup' }>): void {
  throw p.ctx.error(
    `\`outputlookup ${cmd.table.name}\` is not supported yet: hunt does not write lookup tables`,
    cmd.span,
  );
}
