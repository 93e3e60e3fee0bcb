import { describe, expect, test } from 'vitest';
import { children, type Expr, lit, mapChildren, transform } from '../../src/plan/ir.js';

const a = lit('a');
const b = lit('b');
const c = lit('c');
const stage = {
  alias: 's1',
  from: { kind: 'stage' as const, stage: undefined as never },
  joins: [],
  unnests: [],
  where: [],
  groupBy: [],
  outputs: new Map(),
  orderBy: [],
};

/** One node of every kind, each with every optional child present. */
const nodes: Expr[] = [
  { k: 'col', scope: 't', path: ['x'] },
  a,
  { k: 'param', slot: { kind: 'value', value: 1 } },
  { k: 'var', name: 'v' },
  { k: 'fn', f: 'lower', a: [a] },
  { k: 'and', a: [a, b] },
  { k: 'or', a: [a, b] },
  { k: 'not', a },
  { k: 'isnull', a, negate: true },
  { k: 'bin', o: '+', l: a, r: b },
  { k: 'case', w: [{ when: a, then: b }], else: c },
  { k: 'cast', a, to: 'double', try: true },
  { k: 'like', a, p: b },
  { k: 'in', a, list: [b, c] },
  { k: 'agg', f: 'array_agg', a: [a], filter: b, order: [{ e: c, desc: true }] },
  { k: 'win', f: 'row_number', a: [a], partition: [b], order: [{ e: c }] },
  { k: 'exists', stage, where: a },
  { k: 'lambda', v: 'x', body: a },
  { k: 'json', mode: 'spath', a, path: [{ key: 'k' }, { each: true }] },
  { k: 'array', items: [a, b] },
];

const mark = (x: Expr): Expr => ({ k: 'fn', f: 'upper', a: [x] });

describe('mapChildren', () => {
  test('covers every node kind', () => {
    expect(new Set(nodes.map((n) => n.k)).size).toBe(20);
  });

  test.each(nodes.map((n) => [n.k, n] as const))('%s: maps exactly the children children() lists', (_, n) => {
    const mapped = mapChildren(n, mark);
    expect(children(mapped)).toEqual(children(n).map(mark));
    // everything else about the node stays
    expect(mapChildren(mapped, (x) => (x.k === 'fn' && x.f === 'upper' ? (x.a[0] as Expr) : x))).toEqual(n);
  });

  test('an EXISTS keeps its stage object', () => {
    const e = nodes.find((n) => n.k === 'exists') as Extract<Expr, { k: 'exists' }>;
    expect(mapChildren(e, mark).stage).toBe(stage);
  });
});

describe('transform', () => {
  const tree: Expr = {
    k: 'fn',
    f: 'coalesce',
    a: [
      { k: 'lambda', v: 'x', body: a },
      { k: 'win', f: 'count', a: [a] },
      { k: 'array', items: [{ k: 'json', mode: 'field', a, path: [{ key: 'k' }] }] },
    ],
  };
  const count = (e: Expr): number =>
    (e.k === 'lit' && e.v === 'z' ? 1 : 0) + children(e).reduce((n, x) => n + count(x), 0);

  test('descends into every node kind by default', () => {
    const out = transform(tree, (x) => (x.k === 'lit' ? lit('z') : undefined));
    expect(count(out)).toBe(3);
  });

  test('a node the callback returns is not entered', () => {
    const out = transform(tree, (x) => (x.k === 'win' ? x : x.k === 'lit' ? lit('z') : undefined));
    expect(count(out)).toBe(2);
  });

  test('a replacement may rewrite the parts it keeps', () => {
    const out = transform({ k: 'not', a: { k: 'not', a } }, (x, R) =>
      x.k === 'not' && x.a.k === 'not' ? R(x.a.a) : x.k === 'lit' ? lit('z') : undefined,
    );
    expect(out).toEqual(lit('z'));
  });
});
