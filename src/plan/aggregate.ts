import type { StatsAgg } from '../spl/ast.js';
import type { PlanContext } from './context.js';
import type { Env } from './env.js';
import {
  and,
  bin,
  caseWhen,
  coalesce,
  fn,
  lit,
  notNull,
  transform,
  type AggName,
  type Expr,
  type OrderTerm,
} from './ir.js';
import { alwaysNull, isNumeric, toNum, toStr, type TE } from './typed.js';

/**
 * One stats function over the events of a group (`order`: the result order, read only by the
 * functions that need it, so other stats do not carry the order keys along), with Splunk's semantics:
 * - `count` counts events, `count(f)` the values of f (every value of a multivalue field);
 * - `dc(f)` distinct values (as text), `values(f)` distinct values sorted as text, every value
 *   of every event for multivalue fields; no values: no field;
 * - `min`/`max` numeric when the values are numbers, else lexicographic; `avg`, `sum`, `stdev`
 *   over the numeric values;
 * - `list(f)` the values in result order (at most 100), `first(f)`/`last(f)` the first and last
 *   value in result order (events come newest first, so first() is the latest);
 * - `var` the sample variance, `range` max - min of the numeric values;
 * - `dc(_raw)` counts distinct raw events: the source's event id stands for `_raw`; the other
 *   functions read the source's `_raw` text, where it has one.
 */
export function aggregate(a: StatsAgg, env: Env, ctx: PlanContext, order: () => OrderTerm[]): TE {
  if (a.evalArg) throw ctx.error(`${a.fn}(eval(...)) is not supported yet`, a.span);
  const fn0 = a.fn;
  if (fn0 === 'count' && a.field === undefined) return { e: agg('count_star', []), t: 'int' };
  if (a.field === undefined) throw ctx.error(`${fn0} needs a field, e.g. ${fn0}(x)`, a.span);
  let te: TE | undefined;
  if (a.field === '_raw') {
    // distinct raw texts are distinct events: the event id counts them, whatever the text is
    const counts = fn0 === 'dc' || fn0 === 'distinct_count' || fn0 === 'count';
    te = counts ? env.rawIdentity() : env.resolve('_raw');
    if (!te && counts)
      throw ctx.error(`${fn0}(_raw): the raw events are gone at this point (after stats or table)`, a.span);
    if (!te) {
      throw ctx.error(
        `${fn0}(_raw) is not supported: hunt has no raw event text here, only dc(_raw) and count(_raw)`,
        a.span,
      );
    }
  } else {
    ctx.mention(a.field);
    te = env.resolve(a.field);
  }
  const missing = !te || alwaysNull(te);
  if (missing)
    ctx.warn(`${fn0}(${a.field}): no source field or earlier command defines ${a.field}`, a.span, {
      code: 'unknown-field',
      field: a.field,
    });
  const v: TE = missing ? { e: { k: 'cast', a: lit(null), to: 'varchar' }, t: 'str' } : (te as TE);
  if (v.t === 'mv') return multivalue(fn0, v, a, ctx, order);
  switch (fn0) {
    case 'count':
      return { e: agg('count', [v.e]), t: 'int' };
    case 'dc':
    case 'distinct_count':
      return { e: { k: 'agg', f: 'count', a: [toStr(v)], distinct: true }, t: 'int' };
    case 'min':
    case 'max':
      return minMax(fn0, v);
    case 'sum':
      return { e: agg('sum', [toNum(v)]), t: 'num' };
    case 'avg':
    case 'mean':
      return { e: agg('avg', [toNum(v)]), t: 'num' };
    case 'stdev':
      return { e: agg('stddev_samp', [toNum(v)]), t: 'num' };
    case 'var':
      return { e: agg('var_samp', [toNum(v)]), t: 'num' };
    case 'range': {
      const num = toNum(v);
      return { e: bin('-', agg('max', [num]), agg('min', [num])), t: 'num' };
    }
    case 'list':
      return { e: fn('arraySlice', inOrder(toStr(v), order), lit(1), lit(LIST_MAX)), t: 'mv' };
    case 'first':
    case 'last':
      return { e: fn('elementAt', inOrder(v.e, order), lit(fn0 === 'first' ? 1 : -1)), t: v.t };
    case 'values': {
      const text = toStr(v);
      // distinct values, sorted lexicographically as text; no values: no field
      return { e: fn('arraySortDistinct', { k: 'agg', f: 'array_agg', a: [text], filter: notNull(text) }), t: 'mv' };
    }
    case 'earliest':
    case 'latest': {
      const time = env.resolve('_time');
      if (!time) throw ctx.error(`${fn0}() needs _time, which is gone at this point`, a.span);
      return {
        e: { k: 'agg', f: fn0 === 'earliest' ? 'arg_min' : 'arg_max', a: [v.e, time.e], filter: notNull(v.e) },
        t: v.t,
      };
    }
    default:
      throw ctx.error(`stats function ${fn0}() is not supported yet`, a.span);
  }
}

const agg = (f: AggName, a: Expr[]): Expr => ({ k: 'agg', f, a });

/** Splunk's list() keeps the first 100 values. */
const LIST_MAX = 100;

/** The group's values in result order (rows without a value add nothing). */
const inOrder = (x: Expr, order: () => OrderTerm[]): Expr => ({
  k: 'agg',
  f: 'array_agg',
  a: [x],
  filter: notNull(x),
  order: order(),
});

/** A multivalue field: each of its values counts, as if the events had been expanded. */
function multivalue(fn0: string, v: TE, a: StatsAgg, ctx: PlanContext, order: () => OrderTerm[]): TE {
  // every value of every event, as one list (events without the field add nothing)
  const all = fn('arrayFlatten', { k: 'agg', f: 'array_agg', a: [v.e], filter: notNull(v.e) });
  switch (fn0) {
    case 'count':
      return { e: coalesce(agg('sum', [fn('cardinality', v.e)]), lit(0)), t: 'int' };
    case 'dc':
    case 'distinct_count':
      return { e: coalesce(fn('cardinality', fn('arrayDistinct', all)), lit(0)), t: 'int' };
    case 'values':
      return { e: fn('arraySortDistinct', all), t: 'mv' };
    case 'list':
      return { e: fn('arraySlice', fn('arrayFlatten', inOrder(v.e, order)), lit(1), lit(LIST_MAX)), t: 'mv' };
    default:
      throw ctx.error(
        `${fn0}() over the multivalue field ${a.field} is not supported yet (count, dc, values and list are)`,
        a.span,
      );
  }
}

/** Splunk min/max: numeric when the values are numbers, lexicographic otherwise. */
export function minMax(f: 'min' | 'max', v: TE): TE {
  if (isNumeric(v.t)) return { e: agg(f, [v.e]), t: v.t };
  const text = toStr(v);
  const num = toNum({ e: text, t: 'str' });
  return {
    e: caseWhen([{ when: bin('>', agg('count', [num]), lit(0)), then: fn('numToStr', agg(f, [num])) }], agg(f, [text])),
    t: 'str',
  };
}

/**
 * An aggregate expression as window functions over `partition` (eventstats): every row gets
 * its group's value. Windows take no DISTINCT or FILTER in Trino, so those become list
 * functions and CASE; rows whose BY fields are missing get no value.
 */
/** list(), first() and last() follow the result order, which a window over a group does not keep. */
export class WindowOrderError extends Error {
  constructor() {
    super('list(), first() and last() are not supported in eventstats');
  }
}

export function windowed(e: Expr, partition: Expr[]): Expr {
  const body = rewrite(e, partition);
  if (partition.length === 0) return body;
  return caseWhen([{ when: and(...partition.map(notNull)), then: body }]);
}

/**
 * Each aggregate of `e` as a window over `partition`. Window functions and EXISTS subqueries
 * are left as they are: their rows are their own, not the group's, so no aggregate in them is
 * the eventstats one (SQL allows none there anyway). Lambdas, JSON paths and arrays are
 * row-level expressions like any other and are entered.
 */
function rewrite(e: Expr, partition: Expr[]): Expr {
  return transform(e, (x, R) => {
    if (x.k === 'win' || x.k === 'exists') return x;
    if (x.k !== 'agg') return undefined;
    if (x.order) throw new WindowOrderError();
    const args = x.a.map(R);
    const filtered = (y: Expr): Expr => (x.filter ? caseWhen([{ when: R(x.filter), then: y }]) : y);
    const win = (f: AggName, a: Expr[]): Expr => ({ k: 'win', f, a, partition });
    switch (x.f) {
      case 'arg_min':
      case 'arg_max':
        // rows outside the filter have no ordering key, so they are never picked
        return win(x.f, [args[0] as Expr, filtered(args[1] as Expr)]);
      case 'array_agg': {
        const list = fn('arrayCompact', win('array_agg', [filtered(args[0] as Expr)]));
        return fn('nullIfEmpty', x.distinct ? fn('arrayDistinct', list) : list);
      }
      case 'count':
        if (x.distinct)
          return fn(
            'cardinality',
            fn('arrayDistinct', fn('arrayCompact', win('array_agg', [filtered(args[0] as Expr)]))),
          );
        return win('count', [filtered(args[0] as Expr)]);
      case 'count_star':
        return x.filter ? win('count', [filtered(lit(1))]) : win('count_star', []);
      default:
        return win(x.f, args.map(filtered));
    }
  });
}
