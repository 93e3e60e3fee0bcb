import type { Expr, Plan } from '../../plan/ir.js';
import { mapPlanExprs } from './map-plan.js';

/**
 * For an engine that takes parameters only in WHERE (Athena): a window bound in epoch seconds
 * used elsewhere (now(), relative_time(), ...) is marked to be read through a WHERE of its own
 * (the dialect's paramViaFilter), so the value stays a parameter. Other parameters outside
 * WHERE are left for the renderer to refuse, naming them.
 */
export function windowBoundsViaFilter(plan: Plan): Plan {
  return mapPlanExprs(plan, (e, inWhere): Expr => {
    if (inWhere || e.k !== 'param' || e.slot.kind !== 'window' || e.slot.as !== 'epoch_s') return e;
    return { ...e, via: 'filter' };
  });
}
