/**
 * formatSql only turns spaces outside quotes into line breaks: the formatted text must be the
 * same query. Checked on every corpus detection that compiles, in both dialects (unformatting
 * gives back the compiler's text exactly, which test/translate/corpus.test.ts parses as Trino).
 */
import { describe, expect, test } from 'vitest';
import { compileDirectory } from '../../src/compile/compile.js';
import { formatSql, unformatSql } from '../../src/compile/format-sql.js';
import { loadConfig } from '../../src/config/config.js';
import { shared } from '../support/shared.js';

const config = loadConfig(undefined, {});

describe('formatSql', () => {
  test('breaks before clauses, after list commas, between CTEs and before top-level ANDs of where', () => {
    const sql =
      'with "s1" as (select "t"."a" as "a", lower("t"."b") as "b" from "t" as "t" cross join UNNEST("t"."c") as "u"("v") where (("t"."a" = 1) AND ("t"."b" = 2))), ' +
      '"s2" as (select "s1"."a" as "a", count(*) as "n" from "s1" as "s1" group by "s1"."a") select "s2"."a" as "a" from "s2" as "s2" order by "a" ASC, "n" DESC';
    expect(formatSql(sql)).toBe(
      [
        'with "s1" as (select "t"."a" as "a",',
        '      lower("t"."b") as "b"',
        '  from "t" as "t"',
        '  cross join UNNEST("t"."c") as "u"("v")',
        '  where (("t"."a" = 1)',
        '      AND ("t"."b" = 2))),',
        '"s2" as (select "s1"."a" as "a",',
        '      count(*) as "n"',
        '  from "s1" as "s1"',
        '  group by "s1"."a")',
        'select "s2"."a" as "a"',
        'from "s2" as "s2"',
        'order by "a" ASC,',
        '    "n" DESC',
      ].join('\n'),
    );
  });

  test('text inside quotes is never touched, nor function arguments', () => {
    const sql = `select 'a from b, c where d' as "x from y, z", coalesce(a, b) as "c" from "t" where ("q" = 'it''s AND so')`;
    const f = formatSql(sql);
    expect(f).toContain(
      `'a from b, c where d' as "x from y, z",\n    coalesce(a, b) as "c"\nfrom "t"\nwhere ("q" = 'it''s AND so')`,
    );
    expect(unformatSql(f)).toBe(sql);
  });

  const outcomes = (['athena', 'duckdb'] as const).flatMap((dialect) =>
    compileDirectory(shared('escu'), config, { dialect }).flatMap((o) =>
      o.translation ? [[`${dialect} ${o.detection?.name ?? ''}`, o.translation] as const] : [],
    ),
  );
  test('the corpus compiles to enough SQL to check', () => expect(outcomes.length).toBeGreaterThan(100));
  test.each(outcomes)('%s: formatting keeps the query', (_, t) => {
    const f = formatSql(t.sql);
    expect(unformatSql(f)).toBe(t.sql);
    expect(f.split('\n').length).toBeGreaterThan(3);
  });
});
