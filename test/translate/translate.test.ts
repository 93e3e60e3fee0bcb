import { describe, expect, test } from 'vitest';
import { TrinoSQL } from 'dt-sql-parser';
import { loadCatalog } from '../../src/detections/catalog.js';
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import type { MacroDef } from '../../src/spl/macros.js';
import { likePattern } from '../../src/plan/search.js';
import { translateDetection, translateSearch, TranslateError } from '../../src/translate/translate.js';
import { shared } from '../support/shared.js';

const shipped = loadMacroDir('detections/macros');
const macros = new LayeredMacros([shipped]);
const withConfig = (defs: Record<string, string>): LayeredMacros =>
  new LayeredMacros([
    Object.entries(defs).map(
      ([name, definition]): MacroDef => ({ name, args: [], definition, definedIn: 'test-config.yml', external: true }),
    ),
    shipped,
  ]);
const trino = new TrinoSQL();

const detections = [...loadCatalog('detections').detections, ...loadCatalog('test/fixtures/seeds').detections];

describe('the shipped ECR detections and their seed versions', () => {
  test('there are five shipped and five seed versions', () => {
    expect(loadCatalog('detections').detections).toHaveLength(5);
    expect(loadCatalog('test/fixtures/seeds').detections).toHaveLength(5);
  });

  test.each(detections.map((d) => [`${d.name} v${d.version}`, d] as const))(
    '%s compiles; Athena SQL parses as Trino',
    (_, d) => {
      const athena = translateDetection(d, { dialect: 'athena', macros, zone: 'UTC' });
      const duck = translateDetection(d, { dialect: 'duckdb', macros, zone: 'UTC' });
      expect(trino.validate(athena.sql)).toEqual([]);
      expect(athena.fields.map((f) => f.name)).toEqual(duck.fields.map((f) => f.name));
      // window bounds are parameters, never text
      expect(athena.slots.filter((s) => s.kind === 'window').length).toBeGreaterThanOrEqual(4);
      expect(athena.sql).not.toMatch(/20\d\d-\d\d-\d\d/);
    },
  );

  test('the Trino check can fail', () => {
    expect(trino.validate('SELECT FROM WHERE').length).toBeGreaterThan(0);
  });
});

describe('compile warnings', () => {
  const upstream = loadCatalog(shared('escu', 'asl')).detections.find(
    (d) => d.name === 'ASL AWS ECR Container Upload Outside Business Hours',
  );
  test('upstream ASL business-hours search: bare words and a BY field no event has', () => {
    if (!upstream) throw new Error('missing upstream detection');
    const t = translateDetection(upstream, { dialect: 'duckdb', macros, zone: 'UTC' });
    const text = t.warnings.map((w) => w.message).join('\n');
    expect(text).toMatch(/bare word Saturday names a field/);
    expect(text).toMatch(/weekday=Sunday can never be true/);
    expect(text).toMatch(/stats BY bucketName: .* returns nothing/);
    expect(t.warnings.find((w) => /bucketName/.test(w.message))?.at).toMatch(/^line 1, column \d+ of the search$/);
  });

  test('the shipped corrected copy compiles without warnings', () => {
    const fixed = detections.find(
      (d) => d.name === 'ASL AWS ECR Container Upload Outside Business Hours' && d.file.includes('/detections/'),
    );
    if (!fixed) throw new Error('missing shipped detection');
    expect(translateDetection(fixed, { dialect: 'duckdb', macros, zone: 'UTC' }).warnings).toEqual([]);
  });

  test('a search term on an undefined field can never match', () => {
    const t = translateSearch('`cloudtrail` nosuchfield=1 | stats count', { dialect: 'duckdb', macros, zone: 'UTC' });
    expect(t.warnings.map((w) => w.message)).toEqual([
      'search term nosuchfield=1 can never match: no source field or earlier command defines nosuchfield',
    ]);
  });

  test('f!=* matches nothing', () => {
    const t = translateSearch('`cloudtrail` eventName!=* | stats count', { dialect: 'duckdb', macros, zone: 'UTC' });
    expect(t.warnings[0]?.message).toMatch(/!=\* matches nothing/);
  });
});

describe('values from configuration travel as parameters', () => {
  const search = '`cloudtrail` eventName=PutImage NOT `aws_ecr_users` | stats count by userName';
  test('allow-list values are parameters in both dialects', () => {
    for (const dialect of ['athena', 'duckdb'] as const) {
      const t = translateSearch(search, {
        dialect,
        macros: withConfig({ aws_ecr_users: 'userName IN (alice, "bob o\'neil")' }),
        zone: 'UTC',
      });
      expect(t.sql).not.toMatch(/alice|neil/);
      expect(t.slots).toContainEqual({ kind: 'value', value: 'alice' });
      expect(t.slots).toContainEqual({ kind: 'value', value: "bob o'neil" });
    }
  });

  test.each([
    ["it's"],
    ['a\\b'],
    ['x -- y'],
    ['x; DROP TABLE t'],
    ['*/ x /*'],
    ['line\nbreak'],
    ['ünïcödé ✓'],
    ['a'.repeat(1025)],
  ])('hostile value %j never reaches the SQL text', (value) => {
    const quoted = `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    const t = translateSearch(search, {
      dialect: 'athena',
      macros: withConfig({ aws_ecr_users: `userName=${quoted}` }),
      zone: 'UTC',
    });
    // `*` is a wildcard in search: the parameter is then a LIKE pattern
    const expected = value.includes('*') ? likePattern(value.toLowerCase()) : value.toLowerCase();
    expect(t.slots).toContainEqual({ kind: 'value', value: expected });
    expect(t.sql.includes(value.toLowerCase())).toBe(false);
    expect(trino.validate(t.sql)).toEqual([]);
  });

  test('a configuration value outside a filter is refused for Athena', () => {
    const m = withConfig({ tag: '"release"' });
    expect(() =>
      translateSearch('`cloudtrail` | eval phase=`tag` | stats count by phase', {
        dialect: 'athena',
        macros: m,
        zone: 'UTC',
      }),
    ).toThrow(/accepts parameters only in WHERE/);
    // DuckDB binds it anywhere
    const t = translateSearch('`cloudtrail` | eval phase=`tag` | stats count by phase', {
      dialect: 'duckdb',
      macros: m,
      zone: 'UTC',
    });
    expect(t.slots).toContainEqual({ kind: 'value', value: 'release' });
  });
});

describe('translation errors', () => {
  const err = (s: string): TranslateError => {
    try {
      translateSearch(s, { dialect: 'duckdb', macros, zone: 'UTC' });
    } catch (e) {
      if (e instanceof TranslateError) return e;
      throw e;
    }
    throw new Error('expected an error');
  };
  test('unsupported sourcetype', () =>
    expect(err('sourcetype=linux_secure x=1').message).toMatch(/sourcetype linux_secure is not supported/));
  test('no sourcetype', () => expect(err('eventName=x | stats count').message).toMatch(/names no sourcetype/));
  test('unsupported eval function, with its position', () =>
    expect(err('`cloudtrail` | eval x=frob(a)').message).toBe(
      'unsupported eval function frob() (at line 1, column 23 of the search)',
    ));
  test('unsupported command in a macro names the macro', () => {
    const m = withConfig({ weird: 'transaction user' });
    expect(() => translateSearch('`cloudtrail` | `weird`', { dialect: 'duckdb', macros: m, zone: 'UTC' })).toThrow(
      'unsupported command `transaction` (at column 1 of macro `weird` (test-config.yml))',
    );
  });
  test('unknown macro', () =>
    expect(err('`cloudtrail` | `nope`').message).toMatch(/unknown macro `nope` \(at line 1, column 16/));
  test('bad strftime specifier', () =>
    expect(err('`cloudtrail` | eval x=strftime(_time, "%Q") | stats count by x').message).toMatch(/specifier %Q/));
});
