/**
 * The Athena (Trino) dialect's structural syntax, as a table: what each piece renders to, and
 * the rewrite that reads window bounds outside WHERE through a filter of their own.
 */
import { describe, expect, test } from 'vitest';
import type { Expr } from '../../src/plan/ir.js';
import { athena } from '../../src/sql/dialects/athena.js';
import { renderPlan } from '../../src/sql/render.js';
import { windowBoundsViaFilter } from '../../src/sql/rewrites/window-bounds.js';
import { col, onePlan, text, x, y } from './dialect-support.js';

const now: Expr = { k: 'param', slot: { kind: 'window', bound: 'latest', as: 'epoch_s' } };
const earliestS: Expr = { k: 'param', slot: { kind: 'window', bound: 'earliest', as: 'epoch_s' } };

describe('athena: structural syntax', () => {
  test.each([
    ['placeholder ?1', () => athena.placeholder(1), '?'],
    ['placeholder ?7', () => athena.placeholder(7), '?'],
    ['order ascending', () => text(athena.orderTerm(x, false)), 'x ASC NULLS LAST'],
    ['order descending', () => text(athena.orderTerm(x, true)), 'x DESC NULLS LAST'],
    ['division', () => text(athena.divide(x, y)), '(CAST(x AS DOUBLE) / y)'],
    ['aggregate filter', () => text(athena.aggregateFilter(x, y)), 'x FILTER (WHERE y)'],
    ['ordered array_agg', () => text(athena.orderedArrayAgg(x, y)), 'array_agg(x ORDER BY y)'],
    ['unnest source', () => text(athena.unnest(x, 'u', 'v', 'n').source), 'UNNEST(x) WITH ORDINALITY'],
    ['unnest alias', () => text(athena.unnest(x, 'u', 'v', 'n').as), '"u"("v", "n")'],
  ])('%s', (_, render, expected) => {
    expect(render()).toBe(expected);
  });

  test('a window bound read through a filter: a scalar subquery over the bits of the bound in ms', () => {
    const f = athena.paramViaFilter;
    if (!f) throw new Error('athena reads parameters through filters');
    const frag = f({ kind: 'window', bound: 'latest', as: 'epoch_s' }, () => x);
    expect(text(frag)).toBe(
      '(SELECT sum(power(2, hunt_bit)) / 1000 FROM UNNEST(sequence(0, 52)) AS hunt_bits(hunt_bit) WHERE floor(x / power(2, hunt_bit)) % 2 = 1)',
    );
    expect(() => f({ kind: 'value', value: 'v' }, () => x)).toThrow(/only a window bound in epoch seconds/);
  });
});

describe('athena: window bounds outside WHERE', () => {
  test('the rewrite marks only epoch-second window bounds outside WHERE, and leaves its input alone', () => {
    const plan = onePlan({ n: now }, [{ k: 'bin', o: '>=', l: col('time'), r: earliestS }]);
    const out = windowBoundsViaFilter(plan);
    const [before, after] = [plan.stages[0], out.stages[0]];
    expect(after?.outputs.get('n')).toEqual({ ...now, via: 'filter' });
    expect(after?.where).toEqual(before?.where);
    expect(before?.outputs.get('n')).toEqual(now);
  });

  test.each([
    [
      'now() in a column: through a filter, the bound bound in ms',
      { n: now },
      [] as Expr[],
      'select (SELECT sum(power(2, hunt_bit)) / 1000 FROM UNNEST(sequence(0, 52)) AS hunt_bits(hunt_bit) WHERE floor(? / power(2, hunt_bit)) % 2 = 1) as "n" from "events" as "t"',
      [{ kind: 'window', bound: 'latest', as: 'epoch_ms' }],
    ],
    [
      'a bound in WHERE stays a plain parameter',
      { a: col('a') },
      [{ k: 'bin', o: '>=', l: col('time'), r: earliestS }] as Expr[],
      'select "t"."a" as "a" from "events" as "t" where ("t"."time" >= ?)',
      [{ kind: 'window', bound: 'earliest', as: 'epoch_s' }],
    ],
  ])('%s', (_, outputs, where, sqlText, slots) => {
    const r = renderPlan(onePlan(outputs, where), athena);
    expect(r.text).toBe(sqlText);
    expect(r.slots).toEqual(slots);
  });

  test('a configured value outside WHERE is refused, naming the dialect', () => {
    const v: Expr = { k: 'param', slot: { kind: 'value', value: 'x' } };
    expect(() => renderPlan(onePlan({ v }), athena)).toThrow(
      'a value from configuration is used outside a filter; athena accepts parameters only in WHERE',
    );
  });
});

describe('athena: structure through the renderer', () => {
  test('unnest, order and division in one stage', () => {
    const plan = onePlan({ q: { k: 'bin', o: '/', l: col('a'), r: col('b') } }, [], {
      unnests: [{ array: col('list'), alias: 'u', column: 'v', ordinal: 'n' }],
      orderBy: [{ e: col('a'), desc: true }],
    });
    expect(renderPlan(plan, athena).text).toBe(
      'select (CAST("t"."a" AS DOUBLE) / "t"."b") as "q" from "events" as "t" cross join UNNEST("t"."list") WITH ORDINALITY as "u"("v", "n") order by "t"."a" DESC NULLS LAST',
    );
  });
});
