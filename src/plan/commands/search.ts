import type { Command } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';

/** `search <terms>` after the base search: a filter with search-term semantics (src/plan/search.ts). */
export function search(p: PlannerState, cmd: Extract<Command, { k: 'search' }>): void {
  if (cmd.expr) p.filter(p.search(cmd.expr));
}
