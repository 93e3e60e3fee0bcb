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
import type { Expr, ParamSlot, Plan, Stage } from '../plan/ir.js';
import { convertTimeFormat, type Dialect, type Frag } from './dialect.js';

/** A parameter value as kysely carries it through compilation. */
export class SlotParam {
  constructor(readonly slot: ParamSlot) {}
}

/** `?` placeholders and double-quoted identifiers, as Trino and DuckDB both take them. */
class QuestionMarkCompiler extends DefaultQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return '?';
  }
}

// Compile-only kysely (DummyDriver): we want {sql, parameters}, never a connection.
// Untyped on purpose: the schema is the plan's, not a TypeScript interface.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const db = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new QuestionMarkCompiler(),
  },
});

export interface RenderedSql {
  text: string;
  slots: ParamSlot[];
}

export class RenderError extends Error {}

/** Renders a plan as one SELECT (stages as CTEs) in the given dialect. */
export function renderPlan(plan: Plan, dialect: Dialect): RenderedSql {
  let lambdaCounter = 0;
  const fresh = (): string => `x${++lambdaCounter}`;
  const r = new ExprRenderer(dialect, fresh);
  const last = plan.stages[plan.stages.length - 1];
  if (!last) throw new RenderError('empty plan');

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let query: any = null;
  const ctes = plan.stages.slice(0, -1);
  for (const stage of ctes) {
    const built = buildStage(stage, r);
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function buildStage(stage: Stage, r: ExprRenderer, base: any = db): any {
  const from =
    stage.from.kind === 'table'
      ? sql`${sql.id(...stage.from.table.parts)}`.as(stage.from.table.alias)
      : sql`${sql.id(stage.from.stage.alias)}`.as(stage.from.stage.alias);
  let q = base.selectFrom(from);
  for (const u of stage.unnests) {
    q = q.crossJoin(
      sql`UNNEST(${r.render(u.array)}) WITH ORDINALITY`.as(sql`${sql.id(u.alias)}(${sql.id(u.column)}, ${sql.id(u.ordinal)})`),
    );
  }
  const outputs = [...stage.outputs.entries()];
  if (outputs.length === 0) {
    // a stage nothing downstream reads from still needs a column
    q = q.select(sql`1`.as('_'));
  } else {
    q = q.select(outputs.map(([name, e]) => r.render(e).as(name)));
  }
  if (stage.where.length > 0) {
    const cond = stage.where.length === 1 ? (stage.where[0] as Expr) : ({ k: 'and', a: stage.where } as Expr);
    q = q.where(r.render(cond, true));
  }
  if (stage.groupBy.length > 0) q = q.groupBy(stage.groupBy.map((e) => r.render(e)));
  for (const o of stage.orderBy) q = q.orderBy(sql`${r.render(o.e)} ${sql.raw(o.desc ? 'DESC' : 'ASC')} NULLS LAST`);
  if (stage.limit !== undefined) q = q.limit(sql.lit(stage.limit));
  return q;
}

class ExprRenderer {
  constructor(
    readonly d: Dialect,
    readonly fresh: () => string,
  ) {}

  render(e: Expr, inWhere = false): RawBuilder<unknown> {
    const R = (x: Expr): Frag => this.render(x, inWhere);
    const d = this.d;
    switch (e.k) {
      case 'col':
        // scope '' is an output column of the same SELECT (ORDER BY)
        return e.scope ? sql`${sql.id(e.scope, ...e.path)}` : sql`${sql.id(...e.path)}`;
      case 'var':
        return sql.raw(e.name);
      case 'lit':
        return literal(e.v);
      case 'param':
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
          if (typeof fmt !== 'string' || typeof zone !== 'string') throw new RenderError('strftime needs a literal format');
          let converted: string;
          try {
            converted = convertTimeFormat(fmt, d.timeFormat, d.name);
          } catch (err) {
            throw new RenderError((err as Error).message);
          }
          return d.functions.formatEpoch([args[0] as Frag, sql.lit(converted), sql.lit(zone)], litAt);
        }
        return d.functions[e.f](args, litAt);
      }
      case 'bin': {
        if (e.o === '/') return sql`(CAST(${R(e.l)} AS DOUBLE) / ${R(e.r)})`;
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
        const base = d.aggregates[e.f](e.a.map(R), e.distinct ?? false);
        return e.filter ? sql`${base} FILTER (WHERE ${this.render(e.filter, inWhere)})` : base;
      }
      case 'win': {
        const base = d.aggregates[e.f](e.a.map(R), false);
        const part = e.partition?.length ? sql`PARTITION BY ${sql.join(e.partition.map(R))}` : sql``;
        return sql`${base} OVER (${part})`;
      }
      case 'lambda':
        return d.lambda(e.v, R(e.body));
      case 'json':
        return d.json(e.mode, R(e.a), e.path, this.fresh);
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
