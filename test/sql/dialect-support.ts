/**
 * Dialect tables tested as text, without an engine: a fragment's SQL (placeholders as `?`),
 * and a plan of one stage to render through renderPlan.
 */
import { DefaultQueryCompiler, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, sql } from 'kysely';
import type { Expr, Plan, Stage } from '../../src/plan/ir.js';
import type { Frag } from '../../src/sql/dialect.js';

class Question extends DefaultQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return '?';
  }
}
const db = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new Question(),
  },
});

/** A fragment's SQL text. */
export const text = (f: Frag): string => f.compile(db).sql;

/** Named stand-ins for the renderer's operands. */
export const x = sql.raw('x');
export const y = sql.raw('y');

export const col = (name: string): Expr => ({ k: 'col', scope: 't', path: [name] });

/** One stage over table `events` as `t`: `outputs`, `where`, optional unnest. */
export function onePlan(
  outputs: Record<string, Expr>,
  where: Expr[] = [],
  extra: Partial<Pick<Stage, 'unnests' | 'orderBy' | 'groupBy'>> = {},
): Plan {
  const stage: Stage = {
    alias: 's1',
    from: { kind: 'table', table: { alias: 't', sourcetype: 'test', tables: [{ parts: ['events'], where: [] }] } },
    joins: [],
    unnests: extra.unnests ?? [],
    where,
    groupBy: extra.groupBy ?? [],
    outputs: new Map(Object.entries(outputs)),
    orderBy: extra.orderBy ?? [],
  };
  return { stages: [stage], fields: Object.keys(outputs).map((n) => ({ name: n, column: n, type: 'str' as const })) };
}
