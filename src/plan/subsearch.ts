import type { Pipeline, Span } from '../spl/ast.js';
import { BoundaryEnv, ClosedEnv, type Env } from './env.js';
import { and, bin, FALSE, fn, isNull, lit, notNull, or, type Expr, type SqlType, type ValueType } from './ir.js';
import type { PlannerState } from './planner-state.js';
import { alwaysNull, isNumeric, toNum, toStr, type TE } from './typed.js';

/**
 * Subsearches: what `append [...]`, `join f [...]` (src/plan/commands) and `[search ...]` terms share, and the terms themselves. A subsearch is its own
 * pipeline over the same window as the search it belongs to; its stages join the query's CTEs
 * under fresh aliases. Splunk caps what a subsearch returns: 10,000 rows for a filtering
 * subsearch, 50,000 for append and join (limits.conf maxout); the first rows in the
 * subsearch's order are kept.
 */
const FILTER_MAXOUT = 10000;
export const NO_KEYS: Env = new ClosedEnv('', []);

/**
 * Numbers the planner's rows in their order and continues in a new stage that keeps the first
 * `maxout`; returns the row number, a value of the new current stage, built when first read.
 */
export function numbered(b: PlannerState, maxout: number | undefined): () => TE {
  const k = b.carryRowNumber();
  b.newStage();
  const keys = b.keys;
  const seq = (): TE => {
    const te = keys.resolve(k.name);
    if (!te) throw new Error(`row number ${k.name} is lost`);
    return te;
  };
  if (maxout !== undefined) b.filter(bin('<=', seq().e, lit(maxout)));
  return seq;
}

export const SQL_TYPE: Record<ValueType, SqlType> = {
  str: 'varchar',
  null: 'varchar',
  num: 'double',
  int: 'bigint',
  bool: 'boolean',
  mv: 'varchar[]',
};

/** One kind for values that come from several places: text unless they agree. */
export function unifiedKind(kinds: ValueType[]): ValueType {
  const set = new Set(kinds);
  if (set.size === 1) return kinds[0] as ValueType;
  if ([...set].every(isNumeric)) return 'num';
  if (set.has('mv')) return 'mv';
  return 'str';
}

export function convert(te: TE, t: ValueType): Expr {
  if (te.t === t) return te.e;
  if (t === 'num') return { k: 'cast', a: toNum(te), to: 'double' };
  if (t === 'mv') return { k: 'array', items: [toStr(te)] };
  return toStr(te);
}

// ------------------------------------------------------------------ [search ...] terms

/**
 * `[search ... | table a b]` as a search term: the subsearch's rows become
 * `(a="v1" AND b="v2") OR (...)`, each a search term (case-insensitive, `*` a wildcard). A
 * field a row lacks is left out of its group; no rows means the outer search matches nothing.
 */
export function subsearchFilter(p: PlannerState, pipeline: Pipeline, span: Span): Expr {
  const ctx = p.ctx;
  const sub = p.subsearch(pipeline);
  const names = sub.env.names();
  if (!names) {
    throw ctx.error(
      'a subsearch used as a search term must end with table, fields or stats, so its fields are known',
      span,
    );
  }
  const fields = names.filter((n) => !n.startsWith('_'));
  if (fields.length === 0) throw ctx.error('this subsearch returns no fields to search for', span);
  numbered(sub, FILTER_MAXOUT);
  const head = sub.current;
  const inner = fields.map((n) => sub.env.resolve(n));
  // a row with none of the fields adds no condition
  const present = inner.filter((te): te is TE => !!te && !alwaysNull(te));
  if (present.length === 0) {
    ctx.warn('this subsearch never has a value for its fields, so the search matches nothing', span);
    return FALSE;
  }
  head.where.push(or(...present.map((te) => notNull(te.e))));
  const exported = new BoundaryEnv(sub.env, head);
  const conds = fields.map((n): Expr => {
    const v = exported.resolve(n);
    if (!v || alwaysNull(v)) return lit(true);
    ctx.mention(n);
    const outer = p.env.resolve(n);
    if (!outer || alwaysNull(outer)) {
      ctx.warn(
        `subsearch field ${n}: no source field or earlier command of the outer search defines ${n}, so rows with ${n} match nothing`,
        span,
      );
      return isNull(v.e);
    }
    return or(
      isNull(v.e),
      valueMatches(outer, v, (x) => ctx.fresh(x)),
    );
  });
  return { k: 'exists', stage: head, where: and(...conds) };
}

/** The outer value matches a subsearch value as `field="value"` would: any value, any case, `*` wildcards. */
function valueMatches(outer: TE, v: TE, fresh: (prefix: string) => string): Expr {
  if (v.t === 'mv') {
    const y = fresh('m');
    return fn('anyMatch', v.e, {
      k: 'lambda',
      v: y,
      body: valueMatches(outer, { e: { k: 'var', name: y }, t: 'str' }, fresh),
    });
  }
  const pattern = wildcardPattern(fn('lower', toStr(v)));
  if (outer.t === 'mv') {
    const x = fresh('m');
    return and(
      notNull(outer.e),
      fn('anyMatch', outer.e, {
        k: 'lambda',
        v: x,
        body: { k: 'like', a: fn('lower', { k: 'var', name: x }), p: pattern },
      }),
    );
  }
  const text = toStr(outer);
  return and(notNull(text), { k: 'like', a: fn('lower', text), p: pattern });
}

/** A value as a LIKE pattern at run time: LIKE's own wildcards escaped, `*` as `%`. */
function wildcardPattern(e: Expr): Expr {
  const esc = (x: Expr, from: string, to: string): Expr => fn('replaceText', x, lit(from), lit(to));
  return esc(esc(esc(esc(e, '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%');
}
