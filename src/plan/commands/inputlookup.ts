import type { Command } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';
import { appendRows } from './append.js';

/**
 * `inputlookup append=t NAME [where ...]` after other commands: the lookup's rows, in file order,
 * after the rows so far (as `append` would, without its row cap). As the first command the
 * planner starts from the rows instead (planner.ts); anywhere else without append=t Splunk
 * refuses it, and so does hunt.
 */
export function inputlookup(p: PlannerState, cmd: Extract<Command, { k: 'inputlookup' }>): void {
  if (!cmd.append) {
    throw p.ctx.error('`inputlookup` must be the first command, unless it has append=t', cmd.span);
  }
  const sub = p.subsearch({ commands: [{ ...cmd, append: false }] });
  appendRows(p, sub, undefined);
  for (const n of sub.outputNames()) p.ctx.mention(n);
}
