import type { Expr, Plan, Stage } from '../../plan/ir.js';

/**
 * A copy of `plan` with `f` applied to every expression, bottom up, with whether the expression
 * sits in a WHERE (a stage's or a table's partition predicates; everything inside them too).
 * Stages are copied once each, so stages shared by several readers stay shared.
 * (A local mapper until the plan's own transformer lands beside children() in plan/ir.ts.)
 */
export function mapPlanExprs(plan: Plan, f: (e: Expr, inWhere: boolean) => Expr): Plan {
  const copies = new Map<Stage, Stage>();

  const expr = (e: Expr, w: boolean): Expr => f(mapChildren(e, w), w);
  const mapChildren = (e: Expr, w: boolean): Expr => {
    const x = (c: Expr): Expr => expr(c, w);
    switch (e.k) {
      case 'col':
      case 'lit':
      case 'param':
      case 'var':
        return e;
      case 'fn':
      case 'and':
      case 'or':
        return { ...e, a: e.a.map(x) };
      case 'agg':
        return {
          ...e,
          a: e.a.map(x),
          ...(e.filter ? { filter: x(e.filter) } : {}),
          ...(e.order ? { order: e.order.map((o) => ({ ...o, e: x(o.e) })) } : {}),
        };
      case 'win':
        return {
          ...e,
          a: e.a.map(x),
          ...(e.partition ? { partition: e.partition.map(x) } : {}),
          ...(e.order ? { order: e.order.map((o) => ({ ...o, e: x(o.e) })) } : {}),
        };
      case 'bin':
        return { ...e, l: x(e.l), r: x(e.r) };
      case 'not':
      case 'isnull':
      case 'cast':
      case 'json':
        return { ...e, a: x(e.a) };
      case 'case':
        return {
          ...e,
          w: e.w.map((c) => ({ when: x(c.when), then: x(c.then) })),
          ...(e.else ? { else: x(e.else) } : {}),
        };
      case 'like':
        return { ...e, a: x(e.a), p: x(e.p) };
      case 'in':
        return { ...e, a: x(e.a), list: e.list.map(x) };
      case 'exists':
        return { ...e, stage: stage(e.stage), where: x(e.where) };
      case 'lambda':
        return { ...e, body: x(e.body) };
      case 'array':
        return { ...e, items: e.items.map(x) };
    }
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
