import {
  and,
  bin,
  cast,
  children,
  fn,
  lit,
  mapChildren,
  transform,
  type Expr,
  type OrderTerm,
  type Plan,
  type Stage,
} from '../plan/ir.js';
import { dependenciesFirst } from '../plan/stages.js';

/**
 * Many tiled windows in one query: a plan rewritten so that every row carries the window it
 * belongs to, and everything that groups, numbers or correlates rows does so per window.
 *
 * The windows are [offset + k·W, offset + (k+1)·W) for integers k (W = `windowSeconds`, the
 * schedule's windows tile time). The query is bound to the whole range (earliest of the first
 * window, latest of the last), so its time filter and partition pruning cover the range; the
 * first stage of every chain computes k = floor((t − offset) / W) from the very time
 * expression the window filter compares, and every stage passes k on:
 * - GROUP BY (stats, chart): k is one more grouping key;
 * - window functions (eventstats, fillnull's "some result", dedup/head/tail/sort/maxout row
 *   numbers): k leads the PARTITION BY, so each window numbers and aggregates its own rows;
 * - join: the joined subsearch row must be of the same window; EXISTS subsearch filters
 *   likewise; append: both branches carry k in the same column position;
 * - now()/time() (the window's latest bound) become offset + (k+1)·W;
 * - the final ORDER BY leads with k, so each window's rows keep the order they have alone.
 * The window number leaves the query as the hidden column BATCH_KEY_COLUMN (not a field).
 *
 * k is absolute (counted from the epoch, shifted by `offset`), so it is written with literals
 * only: Athena takes parameters in WHERE only, and the window functions and GROUP BY that
 * carry k are outside it.
 *
 * What cannot be made per window exactly is refused with a reason (the runner then goes
 * window by window): an aggregate without GROUP BY (stats without BY gives one row even for an
 * empty window, a grouped query gives none), a stage LIMIT, a window bound used anywhere but
 * the window filter, partition pruning and now().
 */

export const BATCH_KEY_COLUMN = 'hunt_window';

export interface BatchSpec {
  /** window length, whole seconds */
  windowSeconds: number;
  /** windows start at offsetSeconds + k·windowSeconds (0 <= offset < windowSeconds) */
  offsetSeconds: number;
}

export type BatchPlanResult = { ok: true; plan: Plan } | { ok: false; reason: string };

class NotBatchable extends Error {}

/** Rewrites `plan` (mutating its stages: plan a fresh one for this) to answer many windows at once. */
export function batchPlan(plan: Plan, spec: BatchSpec): BatchPlanResult {
  const { windowSeconds: W, offsetSeconds: off } = spec;
  if (!Number.isInteger(W) || W <= 0 || !Number.isInteger(off) || off < 0 || off >= W) {
    return { ok: false, reason: `windows of ${W} s starting at offset ${off} s cannot be numbered` };
  }
  try {
    const last = plan.stages[plan.stages.length - 1];
    if (!last) throw new NotBatchable('empty plan');
    // null: a stage of lookup rows only, the same in every window (see windowFree)
    const keys = new Map<Stage, Expr | null>();
    // stages in dependency order: a stage's key reads the key its sources output
    for (const stage of dependenciesFirst(last)) {
      keys.set(stage, windowFree(stage, keys) ? null : rewriteStage(stage, keys, W, off));
    }
    const key = keys.get(last);
    if (!key) throw new NotBatchable('the search reads lookup rows only, which belong to no window');
    last.outputs.set(BATCH_KEY_COLUMN, key);
    last.orderBy.unshift({ e: key });
    return { ok: true, plan };
  } catch (err) {
    if (err instanceof NotBatchable) return { ok: false, reason: err.message };
    throw err;
  }
}

/**
 * A stage of lookup rows (or grouped from them, as `lookup` does) reads no window: it stays as it
 * is, the same rows for every window, and the stages joining it need no window condition. It
 * may not read a window bound (now() in a lookup's filter): that is per window.
 */
function windowFree(stage: Stage, keys: Map<Stage, Expr | null>): boolean {
  const from = stage.from;
  const free =
    (from.kind === 'values' || (from.kind === 'stage' && keys.get(from.stage) === null)) &&
    stage.joins.every((j) => keys.get(j.stage) === null) &&
    stageExprs(stage).every((e) => !readsWindow(e, keys));
  if (free) {
    for (const e of stageExprs(stage)) {
      transform(e, (x) => {
        if (x.k === 'param' && x.slot.kind === 'window')
          throw new NotBatchable(`the window's ${x.slot.bound} bound is read over lookup rows`);
        return undefined;
      });
    }
  }
  return free;
}

function stageExprs(stage: Stage): Expr[] {
  return [
    ...stage.where,
    ...stage.outputs.values(),
    ...stage.groupBy,
    ...stage.orderBy.map((o) => o.e),
    ...stage.unnests.map((u) => u.array),
    ...stage.joins.map((j) => j.on),
  ];
}

/** Whether `e` has an EXISTS over a stage of windowed rows. */
function readsWindow(e: Expr, keys: Map<Stage, Expr | null>): boolean {
  if (e.k === 'exists' && keys.get(e.stage) !== null) return true;
  return children(e).some((c) => readsWindow(c, keys));
}

function rewriteStage(stage: Stage, keys: Map<Stage, Expr | null>, W: number, off: number): Expr {
  if (stage.outputs.has(BATCH_KEY_COLUMN)) throw new NotBatchable(`a column is already named ${BATCH_KEY_COLUMN}`);
  if (stage.limit !== undefined) throw new NotBatchable('a LIMIT over the rows of all windows');
  const key = stageKey(stage, keys, W, off);
  const now = cast(bin('+', lit(off), bin('*', bin('+', key, lit(1)), lit(W))), 'double');
  const rw = (e: Expr): Expr => rewrite(e, key, now, (st) => keys.get(st) === null);

  const from = stage.from;
  // the table stage's window filter (the planner puts it first): bound to the whole range
  const windowFilter = from.kind === 'table' ? stage.where.slice(0, 2) : [];
  stage.where = [...windowFilter, ...stage.where.slice(windowFilter.length).map(rw)];
  for (const u of stage.unnests) u.array = rw(u.array);
  for (const j of stage.joins) {
    // lookup rows join every window's rows
    const same =
      keys.get(j.stage) === null ? [] : [bin('=', { k: 'col', scope: j.stage.alias, path: [BATCH_KEY_COLUMN] }, key)];
    j.on = { k: 'and', a: [rw(j.on), ...same] };
  }
  const grouped = stage.groupBy.length > 0;
  stage.groupBy = grouped ? [key, ...stage.groupBy.map(rw)] : [];
  for (const [name, e] of stage.outputs) {
    if (!grouped && hasAggregate(e)) {
      throw new NotBatchable(
        'an aggregate without BY (stats/chart over all events gives one row even for an empty window)',
      );
    }
    stage.outputs.set(name, rw(e));
  }
  stage.orderBy = stage.orderBy.map((o): OrderTerm => ({ ...o, e: rw(o.e) }));
  stage.outputs.set(BATCH_KEY_COLUMN, key);
  keys.set(stage, key);
  return key;
}

/** The window number of the stage's rows, in the stage's scope. */
function stageKey(stage: Stage, keys: Map<Stage, Expr | null>, W: number, off: number): Expr {
  const from = stage.from;
  const free = from.kind === 'stage' ? [from.stage] : from.kind === 'union' ? from.stages : [];
  // lookup rows appended to each window's rows (inputlookup append=t) would be per window: not done
  if (free.some((st) => keys.get(st) === null))
    throw new NotBatchable('lookup rows combined with the rows of every window (inputlookup append=t)');
  if (from.kind === 'stage') return { k: 'col', scope: from.stage.alias, path: [BATCH_KEY_COLUMN] };
  if (from.kind === 'union') return { k: 'col', scope: from.alias, path: [BATCH_KEY_COLUMN] };
  if (from.kind === 'values') throw new NotBatchable(`the rows of lookup ${from.lookup} belong to no window`);
  const [lo, hi] = stage.where;
  const bound = (e: Expr | undefined, o: '>=' | '<', b: 'earliest' | 'latest') =>
    e?.k === 'bin' && e.o === o && e.r.k === 'param' && e.r.slot.kind === 'window' && e.r.slot.bound === b
      ? e
      : undefined;
  const l = bound(lo, '>=', 'earliest');
  const h = bound(hi, '<', 'latest');
  const slotAs = (e: Expr | undefined): unknown =>
    e?.k === 'param' && e.slot.kind === 'window' ? e.slot.as : undefined;
  const as = slotAs(l?.r);
  if (!l || !h || JSON.stringify(l.l) !== JSON.stringify(h.l) || JSON.stringify(as) !== JSON.stringify(slotAs(h.r))) {
    throw new NotBatchable(`stage ${stage.alias} reads a table without the window filter first`);
  }
  const scale = as === 'epoch_ms' ? 1000 : as === 'epoch_s' ? 1 : undefined;
  if (scale === undefined)
    throw new NotBatchable(`the window filter of stage ${stage.alias} compares ${JSON.stringify(as)}`);
  // the same time expression the window filter compares, so a row is in window k exactly when
  // the per-window filter of window k keeps it (the bounds are whole seconds: the subtraction
  // and the division are exact enough that floor() never crosses a millisecond)
  return cast(fn('floor', bin('/', bin('-', l.l, lit(off * scale)), lit(W * scale))), 'bigint');
}

/**
 * `e` with the stage's key where it must be per window: window partitions, EXISTS, now().
 * Everything is entered (lambdas, JSON, arrays, aggregates): a window bound may hide anywhere.
 */
function rewrite(e: Expr, key: Expr, now: Expr, windowFree: (s: Stage) => boolean): Expr {
  return transform(e, (x, R) => {
    switch (x.k) {
      case 'param': {
        const s = x.slot;
        if (s.kind === 'value') return x;
        if (s.bound === 'latest' && s.as === 'epoch_s') return now;
        throw new NotBatchable(
          `the window's ${s.bound} bound (${JSON.stringify(s.as)}) is used outside the window filter`,
        );
      }
      case 'win': {
        const inner = mapChildren(x, R);
        return { ...inner, partition: [key, ...(inner.partition ?? [])] };
      }
      case 'exists':
        // lookup rows are every window's
        if (windowFree(x.stage)) return mapChildren(x, R);
        // the subsearch's stage was rewritten before (it is a dependency): its rows carry their window
        return {
          ...x,
          where: and(R(x.where), bin('=', { k: 'col', scope: x.stage.alias, path: [BATCH_KEY_COLUMN] }, key)),
        };
      default:
        return undefined;
    }
  });
}

/** An aggregate that groups the stage's rows (not inside a window function or a subquery). */
function hasAggregate(e: Expr): boolean {
  if (e.k === 'agg') return true;
  // window functions and subqueries aggregate over rows of their own
  if (e.k === 'win' || e.k === 'exists') return false;
  return children(e).some(hasAggregate);
}
