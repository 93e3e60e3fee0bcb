import { sql } from 'kysely';
import type { Dialect, Frag } from '../dialect.js';

/** Renderings that are the same in Trino and DuckDB. */
export const call = (name: string, args: Frag[]): Frag => sql`${sql.raw(name)}(${sql.join(args)})`;

export const numToStr = (x: Frag, bigint: string, varchar: string): Frag =>
  // Splunk prints whole numbers without a fraction (1764000000, not 1.764E9)
  sql`CASE WHEN ${x} = floor(${x}) AND abs(${x}) < 1e15 THEN CAST(CAST(${x} AS ${sql.raw(bigint)}) AS ${sql.raw(varchar)}) ELSE CAST(${x} AS ${sql.raw(varchar)}) END`;

export const nullIfEmpty = (a: Frag, len: string): Frag =>
  sql`CASE WHEN ${sql.raw(len)}(${a}) = 0 THEN NULL ELSE ${a} END`;

/** JSON path text: `$.a.b`, with quoting for keys that are not plain identifiers. */
export function jsonPath(keys: string[], quoteKey: (k: string) => string): string {
  return `$${keys.map((k) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : quoteKey(k))).join('')}`;
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

/** Functions both dialects write the same way; each dialect adds the rest. */
export const SHARED_FUNCTIONS: Pick<
  Dialect['functions'],
  | 'lower'
  | 'upper'
  | 'length'
  | 'coalesce'
  | 'power'
  | 'sqrt'
  | 'ln'
  | 'abs'
  | 'floor'
  | 'round'
  | 'numToStr'
  | 'concatWs'
  | 'substr'
  | 'trim'
  | 'floorTo'
> = {
  lower: (a) => call('lower', a),
  upper: (a) => call('upper', a),
  length: (a) => call('length', a),
  coalesce: (a) => call('coalesce', a),
  power: (a) => call('power', a),
  sqrt: (a) => call('sqrt', a),
  ln: (a) => call('ln', a),
  abs: (a) => call('abs', a),
  floor: (a) => call('floor', a),
  round: (a) => call('round', a),
  numToStr: ([x]) => numToStr(x as Frag, 'BIGINT', 'VARCHAR'),
  concatWs: (a) => call('concat_ws', a),
  substr: (a) => call('substr', a),
  trim: (a) => call('trim', a),
  floorTo: ([x, s]) => sql`floor(${x} / ${s}) * ${s}`,
};

export const SHARED_AGGREGATES: Pick<
  Dialect['aggregates'],
  'count' | 'count_star' | 'min' | 'max' | 'sum' | 'avg' | 'stddev_samp' | 'var_samp' | 'array_agg' | 'bool_or'
> = {
  count: (a, d) => (d ? sql`count(DISTINCT ${a[0]})` : call('count', a)),
  count_star: () => sql`count(*)`,
  min: (a) => call('min', a),
  max: (a) => call('max', a),
  sum: (a) => call('sum', a),
  avg: (a) => call('avg', a),
  stddev_samp: (a) => call('stddev_samp', a),
  var_samp: (a) => call('var_samp', a),
  array_agg: (a, d) => (d ? sql`array_agg(DISTINCT ${a[0]})` : call('array_agg', a)),
  bool_or: (a) => call('bool_or', a),
};
