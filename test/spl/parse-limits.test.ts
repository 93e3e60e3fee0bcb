/**
 * Input nested thousands deep is refused with an error at its position, in both grammars
 * and through subsearches, instead of overflowing the stack; nesting up to the limits
 * parses and compiles.
 */
import { describe, expect, test } from 'vitest';
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import { MAX_EXPR_DEPTH, MAX_NESTING, parseEvalText, parsePipeline } from '../../src/spl/parser.js';
import { SplError, SplSource } from '../../src/spl/source.js';
import { translateSearch } from '../../src/translate/translate.js';

const macros = new LayeredMacros([loadMacroDir('detections/macros')]);

const parseError = (parse: () => unknown): SplError => {
  try {
    parse();
  } catch (e) {
    if (e instanceof SplError) return e;
    throw e;
  }
  throw new Error('expected an error');
};
const pipelineError = (s: string): SplError => parseError(() => parsePipeline(SplSource.plain(s)));

const parens = (n: number, inner: string): string => '('.repeat(n) + inner + ')'.repeat(n);
const subsearches = (n: number): string =>
  n === 0
    ? 'search `cloudtrail` eventName=x | fields eventName'
    : `search \`cloudtrail\` [${subsearches(n - 1)}] | fields eventName`;

describe('search grammar', () => {
  test('5,000 nested parentheses: an error at the parenthesis past the limit', () => {
    const e = pipelineError(`x=1 ${parens(5000, 'y=2')}`);
    expect(e.message).toBe(`parentheses and NOT nest more than ${MAX_NESTING} levels deep`);
    expect(e.span).toEqual({ start: 4 + MAX_NESTING, end: 5 + MAX_NESTING });
  });

  test('5,000 NOTs', () => {
    expect(pipelineError(`${'NOT '.repeat(5000)}x=1`).message).toMatch(/^parentheses and NOT nest more than/);
  });

  test('subsearches nested past the limit', () => {
    const e = pipelineError(`x=1 [${subsearches(5000)}]`);
    expect(e.message).toBe(`subsearches nest more than ${MAX_NESTING} levels deep`);
    expect(pipelineError(`x=1 ${'[search '.repeat(300)}x${']'.repeat(300)}`).message).toMatch(/^subsearches nest/);
  });

  test('nesting at the limit parses', () => {
    expect(parsePipeline(SplSource.plain(parens(MAX_NESTING, 'y=2'))).commands).toHaveLength(1);
  });
});

describe('eval grammar', () => {
  test.each([
    ['parentheses', `x=${parens(5000, '1')}`],
    ['NOT', `x=${'NOT '.repeat(5000)}true()`],
    ['!', `x=${'!'.repeat(5000)}true()`],
    ['unary minus', `x=${'-'.repeat(5000)}1`],
    ['function calls', `x=${'abs('.repeat(5000)}1${')'.repeat(5000)}`],
    ['IN lists', `x=${'a IN ('.repeat(5000)}1${')'.repeat(5000)}`],
  ])('5,000 nested %s in eval: an error, not a stack overflow', (_, assignment) => {
    const e = pipelineError(`x=1 | eval ${assignment}`);
    expect(e.message).toBe(`parentheses, NOT, signs and function calls nest more than ${MAX_NESTING} levels deep`);
    expect(e.span.start).toBeGreaterThan(14);
  });

  test('in where, in count(eval(...)) and in an eval of its own text', () => {
    expect(pipelineError(`x=1 | where ${parens(5000, 'a=1')}`).message).toMatch(/nest more than/);
    expect(pipelineError(`x=1 | stats count(eval(${parens(5000, 'a=1')})) as n`).message).toMatch(/nest more than/);
    expect(parseError(() => parseEvalText(SplSource.plain(parens(5000, 'a')))).message).toMatch(/nest more than/);
  });

  test('a chain of operators longer than the depth limit: an error at the expression', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => `a="${i}"`).join(' OR ');
    const e = pipelineError(`x=1 | where ${chain}`);
    expect(e.message).toBe(
      `the expression is more than ${MAX_EXPR_DEPTH} operations deep; split it into several eval assignments or where commands`,
    );
    expect(e.span.start).toBe(12);
    expect(pipelineError(`x=1 | eval y=${Array(5000).fill('1').join('+')}`).message).toMatch(/operations deep/);
  });
});

describe('wide rather than deep', () => {
  test('a call with 300,000 arguments and an IN list of 300,000 values parse', () => {
    const many = Array(300_000).fill('a').join(',');
    const p = parsePipeline(SplSource.plain(`x=1 | eval y=coalesce(${many}) | where z IN (${many})`));
    expect(p.commands.map((c) => c.k)).toEqual(['search', 'eval', 'where']);
  });
});

describe('at the limits, the search compiles', () => {
  const compile = (s: string): string => translateSearch(s, { dialect: 'duckdb', macros, zone: 'UTC' }).sql;

  test.each([
    ['eval parentheses', `\`cloudtrail\` | where ${parens(MAX_NESTING, 'eventName="x"')} | stats count`],
    ['search parentheses', `\`cloudtrail\` ${parens(MAX_NESTING, 'eventName=x')} | stats count`],
    ['unary minus', `\`cloudtrail\` | eval n=${'-'.repeat(MAX_NESTING)}1 | stats count by n`],
    ['an operator chain', `\`cloudtrail\` | eval n=${Array(MAX_EXPR_DEPTH).fill('1').join('+')} | stats count by n`],
    ['subsearches', `\`cloudtrail\` [${subsearches(MAX_NESTING - 1)}] | stats count`],
    // an allow-list as long as configuration macros give them (compiled before the limit existed)
    [
      'a where allow-list of 600 values',
      `\`cloudtrail\` | where ${Array.from({ length: 600 }, (_, i) => `userName="u${i}"`).join(' OR ')} | stats count`,
    ],
  ])('%s', (_, search) => {
    expect(compile(search)).toMatch(/^with /);
  });
});
