/** The DuckDB dialect's structural syntax, as a table: what each piece renders to. */
import { describe, expect, test } from 'vitest';
import type { Expr } from '../../src/plan/ir.js';
import { duckdb } from '../../src/sql/dialects/duckdb.js';
import { renderPlan } from '../../src/sql/render.js';
import { col, onePlan, text, x, y } from './dialect-support.js';

describe('duckdb: structural syntax', () => {
  test.each([
    ['placeholder ?1', () => duckdb.placeholder(1), '?'],
    ['placeholder ?7', () => duckdb.placeholder(7), '?'],
    ['order ascending', () => text(duckdb.orderTerm(x, false)), 'x ASC NULLS LAST'],
    ['order descending', () => text(duckdb.orderTerm(x, true)), 'x DESC NULLS LAST'],
    ['division', () => text(duckdb.divide(x, y)), '(CAST(x AS DOUBLE) / y)'],
    ['aggregate filter', () => text(duckdb.aggregateFilter(x, y)), 'x FILTER (WHERE y)'],
    ['ordered array_agg', () => text(duckdb.orderedArrayAgg(x, y)), 'array_agg(x ORDER BY y)'],
    ['unnest source', () => text(duckdb.unnest(x, 'u', 'v', 'n').source), 'UNNEST(x) WITH ORDINALITY'],
    ['unnest alias', () => text(duckdb.unnest(x, 'u', 'v', 'n').as), '"u"("v", "n")'],
    [
      'row number',
      () => text(duckdb.rowNumber(x)),
      'count(*) OVER (x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
    ],
  ])('%s', (_, render, expected) => {
    expect(render()).toBe(expected);
  });

  test('needs no rewrite and no parameter read through a filter', () => {
    expect(duckdb.rewrites).toEqual([]);
    expect(duckdb.paramViaFilter).toBeUndefined();
  });
});

describe('duckdb: parameters anywhere', () => {
  const now: Expr = { k: 'param', slot: { kind: 'window', bound: 'latest', as: 'epoch_s' } };
  const value: Expr = { k: 'param', slot: { kind: 'value', value: 'alice' } };
  test.each([
    ['now() in a column', { n: now }, 'select ? as "n" from "events" as "t"', [now]],
    ['a configured value in a column', { v: value }, 'select ? as "v" from "events" as "t"', [value]],
  ])('%s: a plain parameter', (_, outputs, sqlText, params) => {
    const r = renderPlan(onePlan(outputs), duckdb);
    expect(r.text).toBe(sqlText);
    expect(r.slots).toEqual(params.map((p) => (p.k === 'param' ? p.slot : undefined)));
  });

  test('an aggregate filter and an ordered array_agg through the renderer', () => {
    const plan = onePlan(
      {
        c: { k: 'agg', f: 'count_star', a: [], filter: { k: 'bin', o: '=', l: col('a'), r: { k: 'lit', v: 'x' } } },
        l: { k: 'agg', f: 'array_agg', a: [col('a')], order: [{ e: col('t') }] },
      },
      [],
      { groupBy: [col('g')] },
    );
    expect(renderPlan(plan, duckdb).text).toBe(
      `select count(*) FILTER (WHERE ("t"."a" = 'x')) as "c", array_agg("t"."a" ORDER BY "t"."t" ASC NULLS LAST) as "l" from "events" as "t" group by "t"."g"`,
    );
  });
});
