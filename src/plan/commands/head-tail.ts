import type { Command } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';
import { keepFirst } from '../rows.js';

/**
 * `head N` keeps the first N results; `tail N` the last N, in reverse order (Splunk returns
 * them from the end).
 */
export function headTail(p: PlannerState, cmd: Extract<Command, { k: 'head' | 'tail' }>): void {
  const { k, count: n } = cmd;
  const rn = keepFirst(p, p.rowNumber([], k === 'tail'), n);
  if (k === 'tail') p.setOrder([{ te: rn }]);
}
