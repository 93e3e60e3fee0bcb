import { bin, lit } from './ir.js';
import type { PlannerState } from './planner-state.js';
import type { TE } from './typed.js';

/**
 * Keeps the rows numbered at most `n`: what the commands that pick rows by their position in
 * the current result order share (dedup, sort, head, tail). The rows are numbered by a window
 * over the current stage and filtered in the next one, so the position is taken after every
 * earlier filter and before any later one.
 */
export function keepFirst(p: PlannerState, rowNumber: TE, n: number): TE {
  const k = p.carry(rowNumber);
  p.newStage();
  const rn = p.internal(k.name);
  p.filter(bin('<=', rn.e, lit(n)));
  return rn;
}
