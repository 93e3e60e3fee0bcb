/** eventstats' rewrite (aggregates → windows over the BY fields): which scopes it enters. */
import { describe, expect, test } from 'vitest';
import { type Expr, fn, lit } from '../../src/plan/ir.js';
import { WindowOrderError, windowed } from '../../src/plan/aggregate.js';

const col = (name: string): Expr => ({ k: 'col', scope: 't', path: [name] });
const by = [col('g')];
const count: Expr = { k: 'agg', f: 'count', a: [col('x')] };
const asWindow: Expr = { k: 'win', f: 'count', a: [col('x')], partition: by };

describe('windowed', () => {
  test('an aggregate becomes a window over the BY fields, for rows that have them', () => {
    expect(windowed(count, by)).toEqual({
      k: 'case',
      w: [{ when: { k: 'isnull', a: col('g'), negate: true }, then: asWindow }],
    });
  });

  test('aggregates inside lambdas, JSON and arrays are rewritten too', () => {
    const e: Expr = {
      k: 'array',
      items: [
        { k: 'lambda', v: 'v', body: count },
        { k: 'json', mode: 'field', a: count, path: [{ key: 'k' }] },
      ],
    };
    expect(windowed(e, [])).toEqual({
      k: 'array',
      items: [
        { k: 'lambda', v: 'v', body: { ...asWindow, partition: [] } },
        { k: 'json', mode: 'field', a: { ...asWindow, partition: [] }, path: [{ key: 'k' }] },
      ],
    });
  });

  test('a window function or an EXISTS is its own scope: left as it is', () => {
    const inWindow: Expr = { k: 'win', f: 'sum', a: [count] };
    expect(windowed(fn('coalesce', inWindow, lit(0)), [])).toEqual(fn('coalesce', inWindow, lit(0)));
  });

  test('an ordered aggregate (list, first, last) is refused', () => {
    expect(() => windowed({ k: 'agg', f: 'array_agg', a: [col('x')], order: [{ e: col('t') }] }, by)).toThrow(
      WindowOrderError,
    );
  });
});
