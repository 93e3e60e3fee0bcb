import {
  DefaultQueryCompiler,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  sql,
  type CompiledQuery,
  type RawBuilder,
} from 'kysely';
import {
  children,
  type Expr,
  type OrderTerm,
  type ParamSlot,
  type Plan,
  type Stage,
  type TableRef,
} from '../plan/ir.js';
import { dependenciesFirst, PlanCycleError } from '../plan/stages.js';
import { flatName, scopeColumns } from './columns.js';
import { convertTimeFormat, type Dialect, type Frag } from './dialect.js';

/** A parameter value as kysely carries it through compilation. */
export class SlotParam {
  constructor(readonly slot: ParamSlot) {}
}

/** The dialect's placeholders; double-quoted identifiers, as Trino and DuckDB both take them. */
class PlaceholderCompiler extends DefaultQueryCompiler {
  constructor(private readonly placeholder: (n: number) => string) {
    super();
  }
  protected override getCurrentParameterPlaceholder(): string {
    // called after the parameter is added: numParameters is its 1-based position
    return this.placeholder(this.numParameters);
  }
}

// Compile-only kysely (DummyDriver): we want {sql, parameters}, never a connection.
// Untyped on purpose: the schema is the plan's, not a TypeScript interface.
// biome-ignore lint/suspicious/noExplicitAny: kysely builds dynamic, untyped tables here
type Db = Kysely<any>;
const builders = new Map<Dialect, Db>();
function builderFor(d: Dialect): Db {
  let db = builders.get(d);
  if (!db) {
    db = new Kysely({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PlaceholderCompiler(d.placeholder),
      },
    });
    builders.set(d, db);
  }
  return db;
}

export interface RenderedSql {
  text: string;
  slots: ParamSlot[];
}

export class RenderError extends Error {}

/** Renders a plan as one SELECT (stages as CTEs) in the given dialect. */
export function renderPlan(input: Plan, dialect: Dialect): RenderedSql {
  // what the dialect cannot say is rewritten away first (e.g. Athena's parameters outside WHERE)
  const plan = dialect.rewrites.reduce((p, rewrite) => rewrite(p), input);
  const db = builderFor(dialect);
  let lambdaCounter = 0;
  const fresh = (): string => `x${++lambdaCounter}`;
  const r = new ExprRenderer(dialect, fresh);
  const last = plan.stages[plan.stages.length - 1];
  if (!last) throw new RenderError('empty plan');

  // biome-ignore lint/suspicious/noExplicitAny: kysely builds dynamic, untyped tables here
  let query: any = null;
  const ctes = orderedStages(last).slice(0, -1);
  for (const stage of ctes) {
    const built = buildStage(stage, r, db);
    query = query ? query.with(stage.alias, () => built) : db.with(stage.alias, () => built);
  }
  const main = buildStage(last, r, query ?? db);
  const compiled: CompiledQuery = main.compile();
  const slots = compiled.parameters.map((p) => {
    if (!(p instanceof SlotParam)) throw new RenderError(`unexpected parameter ${String(p)}`);
    return p.slot;
  });
  return { text: compiled.sql, slots };
}

function orderedStages(last: Stage): Stage[] {
  try {
    return dependenciesFirst(last);
  } catch (err) {
    if (err instanceof PlanCycleError) throw new RenderError(err.message);
    throw err;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: kysely builds dynamic, untyped tables here
function buildStage(stage: Stage, outer: ExprRenderer, base: any): any {
  const from = stage.from;
  // over several tables the stage reads the union's flattened columns (see tableSource)
  const r = from.kind === 'table' && from.table.tables.length > 1 ? outer.flattening(from.table.alias) : outer;
  let q = base.selectFrom(from.kind === 'table' ? tableSource(stage, from.table, outer) : fromSource(from, outer));
  for (const j of stage.joins) {
    const target = sql`${sql.id(j.stage.alias)}`.as(j.stage.alias);
    // biome-ignore lint/suspicious/noExplicitAny: kysely builds dynamic, untyped tables here
    const on = (join: any) => join.on(r.render(j.on));
    q = j.type === 'left' ? q.leftJoin(target, on) : q.innerJoin(target, on);
  }
  for (const u of stage.unnests) {
    const { source, as } = r.d.unnest(r.render(u.array), u.alias, u.column, u.ordinal);
    q = q.crossJoin(source.as(as));
  }
  const outputs = [...stage.outputs.entries()];
  if (outputs.length === 0) {
    // a stage nothing downstream reads from still needs a column
    q = q.select(sql`1`.as('_'));
  } else {
    q = q.select(outputs.map(([name, e]) => r.render(e).as(name)));
  }
  // one table: its partition predicates lead the stage's own conditions
  const only = from.kind === 'table' && from.table.tables.length === 1 ? from.table.tables[0] : undefined;
  const where = only ? [...only.where, ...stage.where] : stage.where;
  if (where.length > 0) {
    const cond = where.length === 1 ? (where[0] as Expr) : ({ k: 'and', a: where } as Expr);
    q = q.where(r.render(cond, true));
  }
  if (stage.groupBy.length > 0) q = q.groupBy(stage.groupBy.map((e) => r.render(e)));
  for (const o of stage.orderBy) q = q.orderBy(r.d.orderTerm(r.render(o.e), o.desc ?? false));
  if (stage.limit !== undefined) q = q.limit(sql.lit(stage.limit));
  return q;
}

type Source = ReturnType<RawBuilder<unknown>['as']>;

/**
 * The tables of the first stage. One table is named as it is. Several are a UNION ALL of a
 * SELECT per table under the same alias: each branch carries its own partition predicates,
 * so the engine prunes every table, and selects exactly the paths the stage reads (never
 * `*`), struct leaves as flat columns (`"actor.user.uid"`), so a branch reads no more of a
 * nested column than the query uses whatever the engine pushes through the union.
 */
function tableSource(stage: Stage, table: TableRef, r: ExprRenderer): Source {
  const [first, ...more] = table.tables;
  if (!first) throw new RenderError(`no table for ${table.sourcetype}`);
  if (more.length === 0) return sql`${sql.id(...first.parts)}`.as(table.alias);
  const paths = scopeColumns(stage, table.alias);
  const list =
    paths.length > 0
      ? sql.join(paths.map((p) => sql`${sql.id(table.alias, ...p)} as ${sql.id(flatName(p))}`))
      : sql`1 as ${sql.id('_')}`;
  // lower-case keywords like kysely's own, so the SQL formatter lays the branches out too
  const branches = table.tables.map((t) => {
    const where =
      t.where.length === 0
        ? sql``
        : sql` where ${r.render(t.where.length === 1 ? (t.where[0] as Expr) : { k: 'and', a: t.where }, true)}`;
    return sql`select ${list} from ${sql.id(...t.parts)} as ${sql.id(table.alias)}${where}`;
  });
  return sql`(${sql.join(branches, sql` union all `)})`.as(table.alias);
}

/** The FROM source of a later stage: an earlier stage, the UNION ALL of stages (append), or rows. */
function fromSource(from: Exclude<Stage['from'], { kind: 'table' }>, r: ExprRenderer): Source {
  switch (from.kind) {
    case 'values':
      return valuesSource(from, r);
    case 'stage':
      return sql`${sql.id(from.stage.alias)}`.as(from.stage.alias);
    case 'union': {
      const first = from.stages[0];
      if (!first) throw new RenderError('a union of no stages');
      // every branch has the same columns in the same order; name them, never SELECT *
      const cols = [...first.outputs.keys()];
      for (const b of from.stages) {
        const names = [...b.outputs.keys()];
        if (names.length !== cols.length || names.some((n, i) => n !== cols[i])) {
          throw new RenderError(`the branches of ${from.alias} have different columns`);
        }
      }
      // a branch nothing reads a column of still selects one (see buildStage)
      const list = cols.length > 0 ? sql.join(cols.map((c) => sql.id(c))) : sql.id('_');
      const selects = from.stages.map((b) => sql`SELECT ${list} FROM ${sql.id(b.alias)}`);
      return sql`(${sql.join(selects, sql` UNION ALL `)})`.as(from.alias);
    }
  }
}

/** A lookup's rows as `(VALUES (...), ...) AS alias(columns)`, within the dialect's size limit. */
function valuesSource(from: Extract<Stage['from'], { kind: 'values' }>, r: ExprRenderer): Source {
  const limit = r.d.inlineValuesLimit;
  if (limit !== undefined) {
    let chars = 0;
    const count = (e: Expr): void => {
      if (e.k === 'lit' && typeof e.v === 'string') chars += e.v.length;
      children(e).forEach(count);
    };
    from.rows.forEach((row) => row.forEach(count));
    if (chars > limit) {
      throw new RenderError(
        `lookup ${from.lookup} has ${chars.toLocaleString('en-US')} characters of values; ${r.d.name} takes at most ${limit.toLocaleString('en-US')} written into one query`,
      );
    }
  }
  if (from.rows.length === 0) throw new RenderError(`lookup ${from.lookup}: VALUES of no rows`);
  const rows = from.rows.map((row) => sql`(${sql.join(row.map((e) => r.render(e)))})`);
  return sql`(VALUES ${sql.join(rows)})`.as(
    sql`${sql.id(from.alias)}(${sql.join(from.columns.map((c) => sql.id(c)))})`,
  );
}

function orderTerms(terms: OrderTerm[], R: (e: Expr) => Frag, d: Dialect): Frag {
  return sql.join(terms.map((o) => d.orderTerm(R(o.e), o.desc ?? false)));
}

class ExprRenderer {
  constructor(
    readonly d: Dialect,
    readonly fresh: () => string,
    /** a FROM scope whose columns are a union's flattened paths (see tableSource) */
    readonly flattened?: string,
  ) {}

  flattening(scope: string): ExprRenderer {
    return new ExprRenderer(this.d, this.fresh, scope);
  }

  render(e: Expr, inWhere = false): RawBuilder<unknown> {
    const R = (x: Expr): Frag => this.render(x, inWhere);
    const d = this.d;
    switch (e.k) {
      case 'col':
        if (e.scope && e.scope === this.flattened) return sql`${sql.id(e.scope, flatName(e.path))}`;
        // scope '' is an output column of the same SELECT (ORDER BY)
        return e.scope ? sql`${sql.id(e.scope, ...e.path)}` : sql`${sql.id(...e.path)}`;
      case 'var':
        return sql.raw(e.name);
      case 'lit':
        return literal(e.v);
      case 'param':
        if (e.via === 'filter') {
          if (!d.paramViaFilter) throw new RenderError(`${d.name} has no way to read a parameter through a filter`);
          return d.paramViaFilter(e.slot, (slot) => sql`${sql.val(new SlotParam(slot))}`);
        }
        if (!inWhere && !d.paramsOutsideWhere) {
          throw new RenderError(
            `a value from configuration is used outside a filter; ${d.name} accepts parameters only in WHERE`,
          );
        }
        return sql`${sql.val(new SlotParam(e.slot))}`;
      case 'fn': {
        const args = e.a.map(R);
        const litAt = (i: number): string | number | boolean | null | undefined => {
          const a = e.a[i];
          return a && a.k === 'lit' ? a.v : undefined;
        };
        if (e.f === 'formatEpoch') {
          const fmt = litAt(1);
          const zone = litAt(2);
          if (typeof fmt !== 'string' || typeof zone !== 'string')
            throw new RenderError('strftime needs a literal format');
          let converted: string;
          try {
            converted = convertTimeFormat(fmt, d.timeFormat, d.name);
          } catch (err) {
            throw new RenderError((err as Error).message);
          }
          return d.functions.formatEpoch([args[0] as Frag, sql.lit(converted), sql.lit(zone)], litAt);
        }
        if (e.f === 'parseTime') {
          const fmt = litAt(1);
          const zone = litAt(2);
          if (typeof fmt !== 'string' || typeof zone !== 'string')
            throw new RenderError('strptime needs a literal format');
          let converted: string;
          try {
            converted = convertTimeFormat(fmt, d.timeFormat, d.name);
          } catch (err) {
            throw new RenderError((err as Error).message);
          }
          return d.functions.parseTime([args[0] as Frag, sql.lit(converted), sql.lit(zone)], litAt);
        }
        return d.functions[e.f](args, litAt);
      }
      case 'bin': {
        if (e.o === '/') return d.divide(R(e.l), R(e.r));
        return sql`(${R(e.l)} ${sql.raw(e.o)} ${R(e.r)})`;
      }
      case 'and':
      case 'or': {
        if (e.a.length === 0) return sql.raw(e.k === 'and' ? 'TRUE' : 'FALSE');
        return sql`(${sql.join(e.a.map(R), sql.raw(e.k === 'and' ? ' AND ' : ' OR '))})`;
      }
      case 'not':
        return sql`(NOT ${R(e.a)})`;
      case 'isnull':
        return sql`(${R(e.a)} ${sql.raw(e.negate ? 'IS NOT NULL' : 'IS NULL')})`;
      case 'case': {
        const whens = e.w.map((w) => sql`WHEN ${R(w.when)} THEN ${R(w.then)}`);
        const otherwise = e.else ? sql` ELSE ${R(e.else)}` : sql``;
        return sql`CASE ${sql.join(whens, sql.raw(' '))}${otherwise} END`;
      }
      case 'cast':
        return e.try ? d.tryCast(R(e.a), e.to) : sql`CAST(${R(e.a)} AS ${sql.raw(d.types[e.to])})`;
      case 'like':
        return sql`(${R(e.a)} LIKE ${R(e.p)} ESCAPE '\\')`;
      case 'in':
        return sql`(${R(e.a)} IN (${sql.join(e.list.map(R))}))`;
      case 'agg': {
        if (e.f === 'row_number') throw new RenderError('row_number is a window function only');
        if (e.order?.length && (e.f !== 'array_agg' || e.distinct))
          throw new RenderError('only array_agg takes an order');
        const base = e.order?.length
          ? d.orderedArrayAgg(R(e.a[0] as Expr), orderTerms(e.order, R, d))
          : d.aggregates[e.f](e.a.map(R), e.distinct ?? false);
        return e.filter ? d.aggregateFilter(base, this.render(e.filter, inWhere)) : base;
      }
      case 'win': {
        const part = e.partition?.length ? sql`PARTITION BY ${sql.join(e.partition.map(R))}` : sql``;
        const order = e.order?.length ? sql` ORDER BY ${orderTerms(e.order, R, d)}` : sql``;
        if (e.f === 'row_number') return d.rowNumber(sql`${part}${order}`);
        return sql`${d.aggregates[e.f](e.a.map(R), false)} OVER (${part}${order})`;
      }
      case 'exists':
        return sql`EXISTS (SELECT 1 FROM ${sql.id(e.stage.alias)} AS ${sql.id(e.stage.alias)} WHERE ${R(e.where)})`;
      case 'lambda':
        return d.lambda(e.v, R(e.body));
      case 'json':
        return d.json(e.mode, R(e.a), e.path, this.fresh);
      case 'jsonObject':
        if (e.keys.length !== e.values.length || e.keys.length === 0)
          throw new RenderError('a JSON object needs one value per key, and a key');
        return d.jsonObject(e.keys, e.values.map(R));
      case 'array':
        return sql`ARRAY[${sql.join(e.items.map(R))}]`;
    }
  }
}

function literal(v: string | number | boolean | null): Frag {
  if (v === null) return sql.raw('NULL');
  if (typeof v === 'boolean') return sql.raw(v ? 'TRUE' : 'FALSE');
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RenderError(`cannot write the number ${v} in SQL`);
    // integers stay integers; other numbers are DOUBLE literals (1.5 would be DECIMAL in Trino)
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 53) return sql.raw(String(v));
    return sql.raw(v.toExponential().toUpperCase());
  }
  return sql.lit(v);
}
