import type { Command, Pipeline, Span } from '../spl/ast.js';
import { BoundaryEnv, ClosedEnv, LazyEnv, sqlName, type Env } from './env.js';
import {
  and,
  bin,
  coalesce,
  FALSE,
  fn,
  isNull,
  lit,
  notNull,
  or,
  type Expr,
  type SqlType,
  type Stage,
  type ValueType,
} from './ir.js';
import { startPlanner, type Planner } from './planner.js';
import { alwaysNull, isNumeric, toNum, toStr, type TE } from './typed.js';

/**
 * Subsearches: `append [...]`, `join f [...]` and `[search ...]` terms. A subsearch is its own
 * pipeline over the same window as the search it belongs to; its stages join the query's CTEs
 * under fresh aliases. Splunk caps what a subsearch returns: 10,000 rows for a filtering
 * subsearch, 50,000 for append and join (limits.conf maxout); the first rows in the
 * subsearch's order are kept.
 */
const FILTER_MAXOUT = 10000;
const NO_KEYS: Env = new ClosedEnv('', []);
const APPEND_MAXOUT = 50000;
const JOIN_MAXOUT = 50000;

function planSubsearch(p: Planner, pipeline: Pipeline): Planner {
  return startPlanner(pipeline, p.ctx.forSubsearch(), p.target, p.stages);
}

/**
 * Numbers the planner's rows in their order and continues in a new stage that keeps the first
 * `maxout`; returns the row number, a value of the new current stage, built when first read.
 */
function numbered(b: Planner, maxout: number | undefined): () => TE {
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

// ------------------------------------------------------------------ append

/**
 * `append [subsearch]`: the subsearch's rows after the main rows. The field sets may differ;
 * later commands see the union (a field a row lacks is missing there).
 */
export function append(p: Planner, cmd: Extract<Command, { k: 'append' }>): void {
  const sub = planSubsearch(p, cmd.sub.pipeline);
  const seqMain = numbered(p, undefined);
  const seqSub = numbered(sub, APPEND_MAXOUT);
  const branches = [
    { env: p.env, stage: p.current },
    { env: sub.env, stage: sub.current },
  ];
  const alias = p.ctx.fresh('a');
  const union = new UnionEnv(branches, alias);
  p.current = p.addStage({ kind: 'union', alias, stages: branches.map((b) => b.stage) });
  p.env = union;
  // main rows first, each branch in its own order; projected only if something needs the order
  const src = new LazyEnv(NO_KEYS, '__src', () => ({ e: union.column('hunt_src', [lit(0), lit(1)]), t: 'int' }));
  const seq = new LazyEnv(src, '__seq', () => ({ e: union.column('hunt_seq', [seqMain().e, seqSub().e]), t: 'int' }));
  p.useOrder(seq, [
    { name: '__src', desc: false },
    { name: '__seq', desc: false },
  ]);
  for (const n of sub.outputNames()) p.ctx.mention(n);
}

/**
 * The fields after append: a name resolves in every branch; each branch projects it (or a
 * typed NULL) under the same column, in the same column order.
 */
class UnionEnv implements Env {
  private readonly cache = new Map<string, TE | undefined>();
  constructor(
    private readonly branches: { env: Env; stage: Stage }[],
    private readonly alias: string,
  ) {}

  /** a column every branch projects, with each branch's value */
  column(name: string, values: Expr[]): Expr {
    const base = sqlName(name);
    let col = base;
    for (let n = 2; this.branches.some((b) => b.stage.outputs.has(col)); n++) col = `${base}_${n}`;
    this.branches.forEach((b, i) => b.stage.outputs.set(col, values[i] as Expr));
    return { k: 'col', scope: this.alias, path: [col] };
  }

  resolve(name: string): TE | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    const tes = this.branches.map((b) => {
      const te = b.env.resolve(name);
      return te && !alwaysNull(te) ? te : undefined;
    });
    let out: TE | undefined;
    const present = tes.filter((t): t is TE => t !== undefined);
    if (present.length > 0) {
      const t = unifiedKind(present.map((x) => x.t));
      const values = tes.map((te) => (te ? convert(te, t) : { k: 'cast' as const, a: lit(null), to: SQL_TYPE[t] }));
      out = { e: this.column(name, values), t };
    }
    this.cache.set(name, out);
    return out;
  }

  names(): string[] | undefined {
    const lists = this.branches.map((b) => b.env.names());
    if (lists.some((l) => !l)) return undefined;
    const out: string[] = [];
    for (const l of lists as string[][]) for (const n of l) if (!out.includes(n)) out.push(n);
    return out;
  }

  spathRaw(): TE | undefined {
    return undefined;
  }

  /** each branch's event id, so dc(_raw) after append counts the events of both */
  rawIdentity(): TE | undefined {
    if (!this.cache.has('\0raw')) {
      const ids = this.branches.map((b) => b.env.rawIdentity());
      const present = ids.filter((t): t is TE => !!t && !alwaysNull(t));
      this.cache.set(
        '\0raw',
        present.length === 0
          ? undefined
          : {
              e: this.column(
                'hunt_raw',
                ids.map((t) =>
                  t && !alwaysNull(t) ? toStr(t) : { k: 'cast' as const, a: lit(null), to: 'varchar' as const },
                ),
              ),
              t: 'str',
            },
      );
    }
    return this.cache.get('\0raw');
  }
}

const SQL_TYPE: Record<ValueType, SqlType> = {
  str: 'varchar',
  null: 'varchar',
  num: 'double',
  int: 'bigint',
  bool: 'boolean',
  mv: 'varchar[]',
};

/** One kind for values that come from several places: text unless they agree. */
function unifiedKind(kinds: ValueType[]): ValueType {
  const set = new Set(kinds);
  if (set.size === 1) return kinds[0] as ValueType;
  if ([...set].every(isNumeric)) return 'num';
  if (set.has('mv')) return 'mv';
  return 'str';
}

function convert(te: TE, t: ValueType): Expr {
  if (te.t === t) return te.e;
  if (t === 'num') return { k: 'cast', a: toNum(te), to: 'double' };
  if (t === 'mv') return { k: 'array', items: [toStr(te)] };
  return toStr(te);
}

// ------------------------------------------------------------------ join

/**
 * `join [type=inner|left] [max=N] f1 f2 [subsearch]`: each main row joins the subsearch rows
 * whose join fields equal its own (as text, case-sensitively), at most `max` of them (default
 * 1: the first in the subsearch's order; 0: all). Rows missing a join field match nothing; an
 * inner join drops unmatched main rows, a left join keeps them as they are. With
 * overwrite=true (the default) the subsearch's values replace the main row's.
 */
export function join(p: Planner, cmd: Extract<Command, { k: 'join' }>): void {
  const ctx = p.ctx;
  const sub = planSubsearch(p, cmd.sub.pipeline);
  numbered(sub, JOIN_MAXOUT);
  const subKeys: (TE | undefined)[] = [];
  for (const f of cmd.fields) {
    const te = sub.env.resolve(f.name);
    if (!te || alwaysNull(te)) {
      ctx.warn(`join ${f.name}: the subsearch defines no ${f.name}, so no row matches`, f.span);
      subKeys.push(undefined);
      continue;
    }
    if (te.t === 'mv') throw ctx.error(`join on the multivalue field ${f.name} is not supported`, f.span);
    // subsearch rows missing a join field match nothing
    sub.filter(notNull(te.e));
    subKeys.push(te);
  }
  // each subsearch row's rank among the rows with the same join values, in subsearch order
  const present = subKeys.filter((k): k is TE => k !== undefined).map((k) => toStr(k));
  const rank = sub.carryRowNumber(present);
  sub.newStage();
  const head = sub.current;
  const subEnv = new BoundaryEnv(sub.env, head);
  const subInternal = new BoundaryEnv(sub.keys, head);
  const rankCol = subInternal.resolve(rank.name);
  // the subsearch's row order rides along for main rows that join several rows
  const subOrder = sub.order.flatMap((o) => {
    const te = subInternal.resolve(o.name);
    return te ? [{ te, desc: o.desc }] : [];
  });

  p.newStage();
  const conds: Expr[] = [];
  cmd.fields.forEach((f, i) => {
    ctx.mention(f.name);
    const mainKey = p.env.resolve(f.name);
    const subKey = subKeys[i] ? subEnv.resolve(f.name) : undefined;
    if (!mainKey || alwaysNull(mainKey)) {
      ctx.warn(`join ${f.name}: no source field or earlier command defines ${f.name}, so no row matches`, f.span, {
        code: 'unknown-field',
        field: f.name,
      });
      conds.push(FALSE);
      return;
    }
    if (mainKey.t === 'mv') throw ctx.error(`join on the multivalue field ${f.name} is not supported`, f.span);
    conds.push(subKey ? bin('=', toStr(mainKey), toStr(subKey)) : FALSE);
  });
  if (cmd.max > 0 && rankCol) conds.push(bin('<=', rankCol.e, lit(cmd.max)));
  p.current.joins.push({ stage: head, type: cmd.type, on: and(...conds) });
  p.env = new JoinEnv(
    p.env,
    subEnv,
    cmd.fields.map((f) => f.name),
    cmd.overwrite,
  );
  p.addOrder(subOrder);
  for (const n of sub.outputNames()) ctx.mention(n);
}

/** The fields after join: the join fields are the main row's; others merge, the subsearch's winning with overwrite. */
class JoinEnv implements Env {
  constructor(
    private readonly main: Env,
    private readonly sub: Env,
    private readonly keys: string[],
    private readonly overwrite: boolean,
  ) {}

  resolve(name: string): TE | undefined {
    const m = this.main.resolve(name);
    if (this.keys.includes(name) || name.startsWith('_')) return m;
    const s = this.sub.resolve(name);
    if (!s || alwaysNull(s)) return m;
    if (!m || alwaysNull(m)) return s;
    const t = unifiedKind([m.t, s.t]);
    const [first, second] = this.overwrite ? [s, m] : [m, s];
    return { e: coalesce(convert(first, t), convert(second, t)), t };
  }

  names(): string[] | undefined {
    const m = this.main.names();
    const s = this.sub.names();
    if (!m || !s) return undefined;
    return [...m, ...s.filter((n) => !m.includes(n))];
  }

  spathRaw(path: string): TE | undefined {
    return this.main.spathRaw(path);
  }

  rawIdentity(): TE | undefined {
    return this.main.rawIdentity();
  }
}

// ------------------------------------------------------------------ [search ...] terms

/**
 * `[search ... | table a b]` as a search term: the subsearch's rows become
 * `(a="v1" AND b="v2") OR (...)`, each a search term (case-insensitive, `*` a wildcard). A
 * field a row lacks is left out of its group; no rows means the outer search matches nothing.
 */
export function subsearchFilter(p: Planner, pipeline: Pipeline, span: Span): Expr {
  const ctx = p.ctx;
  const sub = planSubsearch(p, pipeline);
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
