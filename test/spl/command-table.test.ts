/** The command table: names are looked up as the table's own keys only. */
import { describe, expect, test } from 'vitest';
import { parsePipeline } from '../../src/spl/parser.js';
import { SplError, SplSource } from '../../src/spl/source.js';

const parseError = (s: string): SplError => {
  try {
    parsePipeline(SplSource.plain(s));
  } catch (e) {
    if (e instanceof SplError) return e;
    throw e;
  }
  throw new Error('expected an error');
};

describe('command names', () => {
  test.each(['constructor', 'tostring', 'hasownproperty', '__proto__', 'valueof'])(
    '`%s` (a property every object has) is an unsupported command',
    (name) => {
      const e = parseError(`x=1 | ${name} y`);
      expect(e.message).toBe(`unsupported command \`${name}\``);
      expect(e.span).toEqual({ start: 6, end: 6 + name.length });
    },
  );

  test('a refused command gives its reason', () => {
    expect(parseError('x=1 | collect index=x').message).toBe(
      'unsupported command `collect` (hunt does not write to indexes)',
    );
  });

  test('a subsearch starting with a command hunt knows must start with a search', () => {
    expect(parseError('x=1 [| stats count]').message).toBe(
      'a subsearch must start with a search or inputlookup, not `stats`',
    );
    expect(parseError('x=1 [| constructor]').message).toBe('unsupported command `constructor`');
  });
});
