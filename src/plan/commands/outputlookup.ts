import type { Command } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';

/**
 * `outputlookup NAME`: one query cannot write a lookup, so a search with outputlookup runs in
 * steps (translate/staged.ts), each outputlookup replaced by the rows it stored before the
 * rest is planned. Reaching one here means the search was planned as one query.
 */
export function outputlookup(p: PlannerState, cmd: Extract<Command, { k: 'outputlookup' }>): void {
  throw p.ctx.error(
    `\`outputlookup ${cmd.table.name}\` writes a lookup, which one query cannot: the search runs in steps (hunt run, hunt schedule)`,
    cmd.span,
  );
}
