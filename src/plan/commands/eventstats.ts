import type { FieldName, StatsAgg } from '../../spl/ast.js';
import { aggregate, windowed, WindowOrderError } from '../aggregate.js';
import { OverlayEnv } from '../env.js';
import { lit, type Expr } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { alwaysNull, type TE } from '../typed.js';

/**
 * eventstats: each row gets its group's aggregates (window functions); unlike stats, rows
 * whose BY fields are missing are kept and get no aggregate. A new stage follows, so later
 * filters do not change the groups.
 */
export function eventstats(p: PlannerState, aggs: StatsAgg[], by: FieldName[]): void {
  const ctx = p.ctx;
  const partition: Expr[] = [];
  for (const f of by) {
    ctx.mention(f.name);
    const te = p.env.resolve(f.name);
    if (!te || alwaysNull(te)) {
      ctx.warn(
        `eventstats BY ${f.name}: no source field or earlier command defines ${f.name}, so no row gets an aggregate`,
        f.span,
        {
          code: 'unknown-field',
          field: f.name,
        },
      );
      partition.push({ k: 'cast', a: lit(null), to: 'varchar' });
      continue;
    }
    if (te.t === 'mv') throw ctx.error(`eventstats BY the multivalue field ${f.name} is not supported`, f.span);
    partition.push(te.e);
  }
  const defs = new Map<string, TE | null>();
  for (const a of aggs) {
    const agg = aggregate(a, p.env, ctx, () => []);
    ctx.mention(a.as);
    try {
      defs.set(a.as, { e: windowed(agg.e, partition), t: agg.t });
    } catch (err) {
      if (err instanceof WindowOrderError) throw ctx.error(err.message, a.span);
      throw err;
    }
  }
  p.env = new OverlayEnv(p.env, defs);
  p.newStage();
}
