/**
 * A malformed regex in a search is refused when the search is compiled (hunt compile, exit 2)
 * and linted (a compile-error finding), naming the regex and where it is, instead of failing
 * in the engine when the query runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, test } from 'vitest';
import { compileTarget } from '../../src/compile/compile.js';
import { loadConfig } from '../../src/config/config.js';
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import { lintOutcome } from '../../src/lint/lint.js';
import { re2Gap, regexProblem } from '../../src/plan/regex-syntax.js';
import { TranslateError, translateSearch } from '../../src/translate/translate.js';

describe('regexProblem: well-formed regexes pass', () => {
  test.each([
    '\\*',
    '^[0-9]+$',
    '[13579]$',
    '(?i)^adm(in)?\\d+$',
    '(?<user>[^@]+)@(?P<domain>.+)',
    "(?'x'a)",
    '(?:a|b)+?c*+',
    '[]a]',
    '[^]a-z]',
    '[[:alpha:]_-]',
    'a{2}b{1,}c{0,3}',
    'x{,2}',
    '{',
    'a(?=b)(?!c)(?<=d)(?<!e)',
    '(?#comment)a',
    '\\Q(*)\\E',
    '(?i:a)b',
    '',
    // a - after a range, or next to an escaped endpoint, is a literal or an uncompared range
    '[a-z0-9-.]',
    '[A-Za-z0-9-.]+\\.amazonaws\\.com',
    '[\\w.-]+@[a-z0-9-.]+',
    '[a-z-0]',
    '[\\x5f-a]',
    '[\\x{41}-Z]',
    '[\\012-\\015]',
  ])('%s', (re) => {
    expect(regexProblem(re)).toBeUndefined();
  });
});

describe('regexProblem: malformed regexes, with the reason and the character', () => {
  test.each([
    ['(abc', 0, 'the group opened here is never closed'],
    ['a(b(c)', 1, 'the group opened here is never closed'],
    ['a)', 1, 'this ) closes no group'],
    ['[abc', 0, 'the character class opened here is never closed'],
    ['*a', 0, '* follows nothing it could repeat'],
    ['a|+b', 2, '+ follows nothing it could repeat'],
    ['(?:*)', 3, '* follows nothing it could repeat'],
    ['a**', 2, '* repeats a repetition'],
    ['a+?*', 3, '* repeats a repetition'],
    ['a{3,1}', 1, 'the repetition {3,1} counts down (3 > 1)'],
    ['[z-a]', 1, 'the range z-a runs backwards'],
    ['abc\\', 3, 'it ends in a lone backslash'],
    ['(?<1x>a)', 0, 'a group name must be a word (letters, digits, _; not starting with a digit)'],
    ['(?Xa)', 0, '(?X starts no kind of group'],
    ['(?#open', 0, 'the comment opened here is never closed'],
  ] as const)('%s', (re, index, reason) => {
    expect(regexProblem(re)).toEqual({ index, reason });
  });
});

const macros = new LayeredMacros([loadMacroDir('detections/macros')]);
const compile = (search: string) => translateSearch(search, { dialect: 'duckdb', macros, zone: 'UTC' });
const refusal = (search: string): TranslateError => {
  try {
    compile(search);
  } catch (err) {
    if (err instanceof TranslateError) return err;
    throw err;
  }
  throw new Error(`compiled: ${search}`);
};

describe('every place SPL takes a regex refuses a malformed one at compile time', () => {
  test.each([
    ['regex', '`cloudtrail` | regex userName="(adm"', 'invalid regex "(adm"', 31],
    ['regex !=', '`cloudtrail` | regex userName!="a)"', 'invalid regex "a)"', 32],
    ['rex', '`cloudtrail` | rex field=userName "(?<u>[a-z+)"', 'invalid regex "(?<u>[a-z+)"', 35],
    ['match()', '`cloudtrail` | where match(userName, "*adm")', 'invalid regex "*adm"', 38],
    ['replace()', '`cloudtrail` | eval u=replace(userName, "a{2,1}", "b")', 'invalid regex "a{2,1}"', 41],
    ['match() in mvfilter', '`cloudtrail` | eval t=mvfilter(match(userName, "["))', 'invalid regex "["', 48],
    [
      'a group name used twice',
      '`cloudtrail` | regex userName="(?<a>x)(?<a>y)"',
      'invalid regex "(?<a>x)(?<a>y)": the group name a is used twice',
      31,
    ],
  ])('%s', (_, search, named, column) => {
    const err = refusal(search);
    expect(err.message).toContain(named);
    expect(err.at).toBe(`line 1, column ${column} of the search`);
  });

  test('a well-formed regex, and one computed per event, still compile', () => {
    expect(() => compile('`cloudtrail` | regex userName="^adm(in)?$"')).not.toThrow();
    expect(() => compile('`cloudtrail` | where match(userName, eventName)')).not.toThrow();
  });
});

describe('hunt compile and hunt lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-regex-'));
  const file = join(dir, 'bad_regex.yml');
  writeFileSync(
    file,
    YAML.stringify({
      name: 'Bad Regex',
      id: 'bad-regex',
      version: 1,
      search: '`cloudtrail` eventName=PutImage | regex userName="(adm" | stats count by userName',
    }),
  );
  const [outcome] = compileTarget({ kind: 'rule', rule: file }, loadConfig(undefined, {}), { dialect: 'athena' });

  test('compile: a detection error (exit 2), not a query that fails later', () => {
    expect(outcome?.translation).toBeUndefined();
    expect(outcome?.error).toMatch(/^invalid regex "\(adm": the group opened here is never closed/);
    expect(outcome?.errorAt).toBe('line 1, column 50 of the search');
  });

  test('lint: a compile-error finding at the regex', () => {
    const findings = outcome ? lintOutcome(outcome, dir) : [];
    expect(findings).toMatchObject([
      { rule: 'compile-error', severity: 'error', position: 'line 1, column 50 of the search' },
    ]);
    expect(findings[0]?.message).toContain('invalid regex "(adm"');
  });
});

describe('re2Gap: well-formed PCRE that DuckDB (RE2) cannot run', () => {
  test.each([
    ['a(?=b)', 1, 'a lookahead'],
    ['a(?!b)', 1, 'a lookahead'],
    ['(?<=a)b', 0, 'a lookbehind'],
    ['(?<!a)b', 0, 'a lookbehind'],
    ['(?>a+)b', 0, 'an atomic group'],
    ['(a)\\1', 3, 'a back-reference'],
    ['(?<x>a)\\k<x>', 7, 'a back-reference'],
    ['a++', 2, 'a possessive repetition'],
    ['a{2}+', 4, 'a possessive repetition'],
    ['(?x) a', 0, 'an option RE2 lacks (x, n or J)'],
    ['(?R)', 0, 'a recursion'],
    ['(?i-x)a', 0, 'an option RE2 lacks (x, n or J)'],
    ['a\\Z', 1, 'the escape \\Z'],
    ['\\Gx', 0, 'the escape \\G'],
    ['a\\h+', 1, 'the escape \\h'],
    ['a{1001}', 1, 'a repetition count over 1000'],
    ['a{2,5000}', 1, 'a repetition count over 1000'],
  ] as const)('%s', (re, index, what) => {
    expect(re2Gap(re)).toEqual({ index, what });
  });

  test.each([
    '^[0-9]+$',
    '(?i)^adm(in)?\\d+$',
    '(?<user>[^@]+)@(?P<domain>.+)',
    'a+?b*?c??',
    '\\++',
    '[+]+',
    'a{2,3}?',
    '\\Q(?=\\E',
  ])('%s runs on RE2', (re) => {
    expect(re2Gap(re)).toBeUndefined();
  });

  test('a search with one compiles, with a warning naming the regex and the engine', () => {
    const t = compile('`cloudtrail` | regex userName="adm(?!in)"');
    expect(t.warnings).toMatchObject([
      {
        message:
          'regex "adm(?!in)" uses a lookahead (character 4), which DuckDB\'s regex engine (RE2) does not have: the search runs on Athena but fails on the local lake',
        at: 'line 1, column 31 of the search',
      },
    ]);
  });
});
