import type { Command, FieldName, StatsAgg } from '../../spl/ast.js';
import { aggregate } from '../aggregate.js';
import { eventstats } from './eventstats.js';
import { allocColumn, allocUnique, ClosedEnv, wildcardRegex } from '../env.js';
import { lit, notNull, type OrderTerm } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { alwaysNull, type TE } from '../typed.js';

/** `stats ... by f` groups the events; `eventstats ... by f` gives each event its group's aggregates. */
export function statsCommand(p: PlannerState, cmd: Extract<Command, { k: 'stats' }>): void {
  if (cmd.name === 'eventstats') eventstats(p, cmd.aggs, cmd.by);
  else stats(p, cmd.aggs, cmd.by);
}

/**
 * stats: one row per combination of the BY fields (events missing one are dropped), the rest
 * of the pipeline reading the aggregated rows in BY order.
 */
function stats(p: PlannerState, aggs: StatsAgg[], by: FieldName[]): void {
  const ctx = p.ctx;
  p.newStage();
  const stage = p.current;
  const fields: { name: string; column: string; t: TE['t'] }[] = [];
  const groups: TE[] = [];
  for (const f of by) {
    ctx.mention(f.name);
    let te = p.env.resolve(f.name);
    if (!te || alwaysNull(te)) {
      ctx.warn(
        `stats BY ${f.name}: no source field or earlier command defines ${f.name}, so every event is dropped and the search returns nothing`,
        f.span,
        { code: 'stats-by-missing', field: f.name },
      );
      stage.where.push(lit(false));
      te = { e: { k: 'cast', a: lit(null), to: 'varchar' }, t: 'str' };
    } else if (te.t === 'mv') {
      // a multivalue BY field groups by each of its values
      const alias = ctx.fresh('u');
      stage.unnests.push({ array: te.e, alias, column: 'v', ordinal: 'n' });
      te = { e: { k: 'col', scope: alias, path: ['v'] }, t: 'str' };
    }
    // events whose BY field is missing are dropped before grouping
    stage.where.push(notNull(te.e));
    stage.groupBy.push(te.e);
    const column = allocColumn(stage, f.name, te.e);
    fields.push({ name: f.name, column, t: te.t });
    groups.push({ e: { k: 'col', scope: stage.alias, path: [column] }, t: te.t });
  }
  const order = (): OrderTerm[] => p.orderTerms();
  for (const a of expandWildcards(p, aggs, by)) {
    const agg = aggregate(a, p.env, ctx, order);
    const column = allocUnique(stage, a.as, agg.e);
    const existing = fields.findIndex((x) => x.name === a.as);
    if (existing >= 0) fields.splice(existing, 1);
    fields.push({ name: a.as, column, t: agg.t });
  }
  // the rest of the pipeline reads the aggregated rows, ordered by the BY fields
  p.current = p.addStage({ kind: 'stage', stage });
  p.env = new ClosedEnv(stage.alias, fields);
  p.setOrder(groups.map((te) => ({ te })));
}

/**
 * `values(*) as *`, `max(count*) as last*`: one aggregate per known field the pattern matches
 * (BY fields and internal `_` fields aside), named by the AS pattern with the same parts. Only
 * where the field set is known (after stats, table, fields, inputlookup).
 */
function expandWildcards(p: PlannerState, aggs: StatsAgg[], by: FieldName[]): StatsAgg[] {
  return aggs.flatMap((a) => {
    if (!a.field?.includes('*')) return [a];
    const names = p.env.names();
    if (!names) {
      throw p.ctx.error(
        `${a.fn}(${a.field}): a wildcard needs the fields to be known here (after stats, table, fields or inputlookup)`,
        a.span,
      );
    }
    const from = wildcardRegex(a.field);
    const stars = (a.field.match(/\*/g) ?? []).length;
    if ((a.as.match(/\*/g) ?? []).length !== stars && a.as.includes('*')) {
      throw p.ctx.error(`${a.fn}(${a.field}) as ${a.as}: wildcards must match on both sides`, a.span);
    }
    return names.flatMap((name) => {
      const m = from.exec(name);
      if (!m || name.startsWith('_') || by.some((b) => b.name === name)) return [];
      let i = 1;
      return [{ ...a, field: name, as: a.as.replace(/\*/g, () => m[i++] ?? '') }];
    });
  });
}
