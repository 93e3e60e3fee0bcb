/**
 * The compiler's table-driven tests: rows of SPL and the SQL each dialect must get for it, in
 * the manner of sqlglot's dialect tests, so a compiler change shows without running an engine.
 * A row is `[spl, sql]` (the same SQL for both dialects) or `[spl, { athena, duckdb }]`.
 */
import { expect, test } from 'vitest';
import type { DialectName } from '../../src/sql/dialect.js';

export type Expected = string | Record<DialectName, string>;
export type Row = readonly [spl: string, sql: Expected];

const DIALECTS: DialectName[] = ['athena', 'duckdb'];

/** One test per row and dialect: `actual` of the row's SPL is exactly the row's SQL. */
export function exactRows(rows: readonly Row[], actual: (spl: string, dialect: DialectName) => string): void {
  test.each(cases(rows))('%s: %s', (dialect, spl, expected) => {
    expect(actual(spl, dialect)).toBe(expected);
  });
}

/** One test per row and dialect: `actual` of the row's SPL contains the row's SQL. */
export function fragmentRows(rows: readonly Row[], actual: (spl: string, dialect: DialectName) => string): void {
  test.each(cases(rows))('%s: %s', (dialect, spl, expected) => {
    const sql = actual(spl, dialect);
    if (!sql.includes(expected)) throw new Error(divergence(sql, expected));
  });
}

function cases(rows: readonly Row[]): [DialectName, string, string][] {
  return rows.flatMap(([spl, sql]) =>
    DIALECTS.map((d): [DialectName, string, string] => [d, spl, typeof sql === 'string' ? sql : sql[d]]),
  );
}

/** Where the expected fragment stops matching the SQL: the longest part of it that is there, and what follows. */
function divergence(sql: string, expected: string): string {
  let lo = 0;
  let hi = expected.length;
  // the longest prefix of `expected` that occurs in `sql` (occurrence is monotone in the length)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sql.includes(expected.slice(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  const at = sql.indexOf(expected.slice(0, lo));
  const show = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);
  return [
    'the SQL does not contain the expected fragment',
    `  matching:  ${show(expected.slice(Math.max(0, lo - 40), lo))}`,
    `  expected:  ${show(expected.slice(lo))}`,
    `  but SQL has: ${show(sql.slice(at + lo))}`,
    `  whole SQL: ${sql}`,
  ].join('\n');
}
