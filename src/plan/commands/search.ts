import type { Command } from '../../spl/ast.js';
import type { Planner } from '../planner.js';

/** `search <terms>` after the base search: a filter with search-term semantics (src/plan/search.ts). */
export function search(p: Planner, cmd: Extract<Command, { k: 'search' }>): void {
  if (cmd.expr) p.filter(p.search(cmd.expr));
}
