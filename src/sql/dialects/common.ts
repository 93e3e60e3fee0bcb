import { sql } from 'kysely';
import type { Frag } from '../dialect.js';

/** Renderings that are the same in Trino and DuckDB. */
export const call = (name: string, args: Frag[]): Frag => sql`${sql.raw(name)}(${sql.join(args)})`;

export const numToStr = (x: Frag, bigint: string, varchar: string): Frag =>
  // Splunk prints whole numbers without a fraction (1764000000, not 1.764E9)
  sql`CASE WHEN ${x} = floor(${x}) AND abs(${x}) < 1e15 THEN CAST(CAST(${x} AS ${sql.raw(bigint)}) AS ${sql.raw(varchar)}) ELSE CAST(${x} AS ${sql.raw(varchar)}) END`;

export const nullIfEmpty = (a: Frag, len: string): Frag => sql`CASE WHEN ${sql.raw(len)}(${a}) = 0 THEN NULL ELSE ${a} END`;

/** JSON path text: `$.a.b`, with quoting for keys that are not plain identifiers. */
export function jsonPath(keys: string[], quoteKey: (k: string) => string): string {
  return '$' + keys.map((k) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : quoteKey(k))).join('');
}

/** Shared strftime specifiers (C style, as Splunk and DuckDB use them). */
export const C_STRFTIME: Record<string, string> = {
  Y: '%Y',
  y: '%y',
  m: '%m',
  d: '%d',
  H: '%H',
  I: '%I',
  M: '%M',
  S: '%S',
  p: '%p',
  A: '%A',
  a: '%a',
  B: '%B',
  b: '%b',
  j: '%j',
  '%': '%%',
  T: '%H:%M:%S',
  F: '%Y-%m-%d',
};
