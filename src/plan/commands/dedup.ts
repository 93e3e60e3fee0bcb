import type { Command } from '../../spl/ast.js';
import { lit, notNull, type Expr } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { keepFirst } from '../rows.js';
import { alwaysNull } from '../typed.js';

/**
 * `dedup [N] f1 f2`: the first N events (default 1) of each combination of values, in the
 * current order, which it keeps. Events missing any of the fields are dropped (Splunk's
 * keepempty=false).
 */
export function dedup(p: PlannerState, cmd: Extract<Command, { k: 'dedup' }>): void {
  const partition: Expr[] = [];
  for (const f of cmd.fields) {
    p.ctx.mention(f.name);
    const te = p.env.resolve(f.name);
    if (!te || alwaysNull(te)) {
      p.ctx.warn(
        `dedup ${f.name}: no source field or earlier command defines ${f.name}, so every event is dropped`,
        f.span,
        {
          code: 'unknown-field',
          field: f.name,
        },
      );
      p.filter(lit(false));
      return;
    }
    p.filter(notNull(te.e));
    partition.push(te.e);
  }
  keepFirst(p, p.rowNumber(partition), cmd.count);
}
