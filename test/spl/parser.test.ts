import { describe, expect, test } from 'vitest';
import type { SearchExpr } from '../../src/spl/ast.js';
import { expandMacros } from '../../src/spl/macros.js';
import { LayeredMacros } from '../../src/detections/macros.js';
import { parsePipeline } from '../../src/spl/parser.js';
import { SplError, SplSource } from '../../src/spl/source.js';

const parse = (s: string) => parsePipeline(SplSource.plain(s));

/** A compact text form of a search expression, to compare structure. */
function show(e: SearchExpr | undefined): string {
  if (!e) return '';
  switch (e.k) {
    case 'and':
      return `AND(${e.items.map(show).join(', ')})`;
    case 'or':
      return `OR(${e.items.map(show).join(', ')})`;
    case 'not':
      return `NOT(${show(e.item)})`;
    case 'cmp':
      return `${e.field}${e.op}${e.value.text}`;
    case 'in':
      return `${e.field} IN [${e.values.map((v) => v.text).join(',')}]`;
    case 'term':
      return `term:${e.value.text}`;
    case 'subsearch':
      return `[${e.pipeline.commands.map((c) => c.k).join(' | ')}]`;
  }
}

const baseExpr = (s: string): string => {
  const c = parse(s).commands[0];
  if (c?.k !== 'search') throw new Error('not a search');
  return show(c.expr);
};

describe('search precedence (SEMANTICS: OR binds tighter than AND, NOT tightest)', () => {
  test.each([
    ['a=1 b=2 OR c=3', 'AND(a=1, OR(b=2, c=3))'],
    [
      'eventName=PutImage date_hour>=20 OR date_hour<8 OR date_wday=saturday',
      'AND(eventName=PutImage, OR(date_hour>=20, date_hour<8, date_wday=saturday))',
    ],
    [
      'date_hour>=20 OR date_hour<8 NOT (date_wday=saturday OR date_wday=sunday)',
      'AND(OR(date_hour>=20, date_hour<8), NOT(OR(date_wday=saturday, date_wday=sunday)))',
    ],
    ['NOT a=1 OR b=2', 'OR(NOT(a=1), b=2)'],
    ['a=1 AND b=2', 'AND(a=1, b=2)'],
    ['(a=1 OR b=2) c=3', 'AND(OR(a=1, b=2), c=3)'],
    ['f IN (a, b*) "x.y"=v', 'AND(f IN [a,b*], x.y=v)'],
    ['f!=v g<=3 h>"q"', 'AND(f!=v, g<=3, h>q)'],
  ])('%s', (input, expected) => {
    expect(baseExpr(input)).toBe(expected);
  });

  test('lower-case or/and are search terms, not operators', () => {
    expect(baseExpr('a=1 or b=2')).toBe('AND(a=1, term:or, b=2)');
  });
});

describe('commands', () => {
  test('a pipeline of the commands the ECR detections use', () => {
    const p = parse(
      'sourcetype=aws:cloudtrail x=1 | rename requestParameters.* as * | eval a=b.", ".c, d="x" | where a >= 20 OR b<8 | fillnull | stats count min(_time) as firstTime values(x) by f1, f2 | convert timeformat="%Y" ctime(firstTime) | spath path=a.b{} output=o | mvexpand o | spath input=o | table a b',
    );
    expect(p.commands.map((c) => c.k)).toEqual([
      'search',
      'rename',
      'eval',
      'where',
      'fillnull',
      'stats',
      'convert',
      'spath',
      'mvexpand',
      'spath',
      'table',
    ]);
    const stats = p.commands[5];
    if (stats?.k !== 'stats') throw new Error('stats');
    expect(stats.aggs.map((a) => [a.fn, a.field, a.as])).toEqual([
      ['count', undefined, 'count'],
      ['min', '_time', 'firstTime'],
      ['values', 'x', 'values(x)'],
    ]);
    expect(stats.by.map((b) => b.name)).toEqual(['f1', 'f2']);
  });

  test('eval: a dotted bare word is concatenation of two fields; quoted names are fields', () => {
    const p = parse("sourcetype=x | eval a=userIdentity.userName, b='userIdentity.userName'");
    const ev = p.commands[1];
    if (ev?.k !== 'eval') throw new Error('eval');
    expect(ev.assignments[0]?.expr).toMatchObject({
      k: 'bin',
      op: '.',
      left: { k: 'field', name: 'userIdentity' },
      right: { k: 'field', name: 'userName' },
    });
    expect(ev.assignments[1]?.expr).toMatchObject({ k: 'field', name: 'userIdentity.userName', quoted: true });
  });

  test('where: AND binds tighter than OR', () => {
    const p = parse('sourcetype=x | where a=1 OR b=2 AND c=3');
    const w = p.commands[1];
    if (w?.k !== 'where') throw new Error('where');
    expect(w.expr).toMatchObject({ k: 'bin', op: 'OR', right: { k: 'bin', op: 'AND' } });
  });
});

describe('errors name the command and its position', () => {
  const err = (s: string): SplError => {
    try {
      parse(s);
    } catch (e) {
      if (e instanceof SplError) return e;
      throw e;
    }
    throw new Error('expected an error');
  };

  test('unsupported command', () => {
    const e = err('sourcetype=x | transaction user');
    expect(e.message).toBe('unsupported command `transaction`');
    expect(e.span.start).toBe(15);
  });
  test('stats without aggregation', () =>
    expect(err('sourcetype=x | stats by a').message).toMatch(/needs at least one aggregation/));
  test('rename without AS', () => expect(err('sourcetype=x | rename a b').message).toMatch(/expected AS after a/));
  test('dangling OR', () => expect(err('a=1 OR').message).toMatch(/OR needs a term/));
  test('unterminated string', () => expect(err('a="x').message).toMatch(/unterminated/));
  test('empty command', () => expect(err('a=1 | | stats count').message).toMatch(/empty command/));
  test('eval garbage', () => expect(err('sourcetype=x | eval a=1 +').message).toMatch(/expected an expression/));

  test('positions map back to the search line and column', () => {
    const src = SplSource.plain('sourcetype=x\n| frobnicate');
    try {
      parsePipeline(src);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(SplError);
      expect(src.describe((e as SplError).span.start)).toBe('line 2, column 3 of the search');
    }
  });
});

describe('macros', () => {
  const macros = new LayeredMacros([
    [
      { name: 'cloudtrail', args: [], definition: 'sourcetype=aws:cloudtrail', definedIn: 'm.yml', external: false },
      { name: 'ctime', args: ['field'], definition: 'convert ctime($field$)', definedIn: 'm.yml', external: false },
      { name: 'allow', args: [], definition: 'userName IN (alice, bob)', definedIn: 'config.yml', external: true },
      { name: 'loop', args: [], definition: '`loop`', definedIn: 'm.yml', external: false },
    ],
  ]);

  test('expansion with arguments, filter macros default to search *', () => {
    const src = expandMacros('`cloudtrail` x=1 | `ctime(firstTime)` | `my_detection_filter`', macros);
    expect(src.text).toBe('sourcetype=aws:cloudtrail x=1 | convert ctime(firstTime) | search *');
  });

  test('text from configuration is marked external, the detection text is not', () => {
    const src = expandMacros('`cloudtrail` NOT `allow`', macros);
    const p = parsePipeline(src);
    const c = p.commands[0];
    if (c?.k !== 'search' || c.expr?.k !== 'and') throw new Error('shape');
    const not = c.expr.items[1];
    if (not?.k !== 'not' || not.item.k !== 'in') throw new Error('shape');
    expect(not.item.values.map((v) => v.external)).toEqual([true, true]);
    const first = c.expr.items[0];
    expect(first?.k === 'cmp' && first.value.external).toBe(false);
    expect(src.describe(src.text.indexOf('bob'))).toMatch(/macro `allow` \(config.yml\)/);
  });

  test('unknown macro is an error naming it', () => {
    expect(() => expandMacros('`nope` x=1', macros)).toThrow('unknown macro `nope`');
  });
  test('recursive macro is an error', () => {
    expect(() => expandMacros('`loop`', macros)).toThrow(/expands into itself/);
  });
  test('wrong arity is unknown', () => {
    expect(() => expandMacros('`ctime(a, b)`', macros)).toThrow(/unknown macro `ctime`\(2 arguments\)/);
  });
});
