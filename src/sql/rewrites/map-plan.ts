import { type Expr, mapChildren, type Plan, type Stage } from '../../plan/ir.js';

/**
 * A copy of `plan` with `f` applied to every expression, bottom up, with whether the expression
 * sits in a WHERE (a stage's or a table's partition predicates; everything inside them too).
 * Stages are copied once each, so stages shared by several readers stay shared.
 */
export function mapPlanExprs(plan: Plan, f: (e: Expr, inWhere: boolean) => Expr): Plan {
  const copies = new Map<Stage, Stage>();

  const expr = (e: Expr, w: boolean): Expr => f(mapKids(e, w), w);
  // the plan's own child mapper, plus the stage under an EXISTS (mapChildren keeps it, as
  // expression rewrites must; a plan rewrite copies it like any stage)
  const mapKids = (e: Expr, w: boolean): Expr => {
    const m = mapChildren(e, (c) => expr(c, w));
    return m.k === 'exists' ? { ...m, stage: stage(m.stage) } : m;
  };

  const stage = (s: Stage): Stage => {
    const done = copies.get(s);
    if (done) return done;
    // registered before its parts are copied: a stage reached again through them is this copy
    const c: Stage = { ...s };
    copies.set(s, c);
    const from = s.from;
    if (from.kind === 'stage') c.from = { kind: 'stage', stage: stage(from.stage) };
    else if (from.kind === 'union') c.from = { ...from, stages: from.stages.map(stage) };
    else if (from.kind === 'values') c.from = { ...from, rows: from.rows.map((r) => r.map((e) => expr(e, false))) };
    else
      c.from = {
        kind: 'table',
        table: {
          ...from.table,
          tables: from.table.tables.map((t) => ({ ...t, where: t.where.map((e) => expr(e, true)) })),
        },
      };
    c.joins = s.joins.map((j) => ({ ...j, stage: stage(j.stage), on: expr(j.on, false) }));
    c.unnests = s.unnests.map((u) => ({ ...u, array: expr(u.array, false) }));
    c.where = s.where.map((e) => expr(e, true));
    c.groupBy = s.groupBy.map((e) => expr(e, false));
    c.outputs = new Map([...s.outputs].map(([k, e]) => [k, expr(e, false)]));
    c.orderBy = s.orderBy.map((o) => ({ ...o, e: expr(o.e, false) }));
    return c;
  };

  return { ...plan, stages: plan.stages.map(stage) };
}
