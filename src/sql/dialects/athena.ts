import { sql } from 'kysely';
import type { JsonStep } from '../../plan/ir.js';
import type { Dialect, Frag } from '../dialect.js';
import { call, jsonPath, nullIfEmpty, numToStr } from './common.js';

const quoteKey = (k: string): string => `["${k.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`;

function json(mode: 'field' | 'spath', target: Frag, path: JsonStep[], fresh: () => string): Frag {
  const each = path.findIndex((s) => 'each' in s);
  const keys = (steps: JsonStep[]): string[] => steps.map((s) => ('key' in s ? s.key : ''));
  if (each < 0) {
    const p = sql.lit(jsonPath(keys(path), quoteKey));
    if (mode === 'field') return sql`json_extract_scalar(${target}, ${p})`;
    // a path ending on an object or array yields its compact JSON text; JSON null is no value
    return sql`coalesce(json_extract_scalar(${target}, ${p}), nullif(json_format(json_extract(${target}, ${p})), 'null'))`;
  }
  const prefix = sql.lit(jsonPath(keys(path.slice(0, each)), quoteKey));
  const rest = path.slice(each + 1);
  const v = fresh();
  const element = rest.length === 0 ? elementValue(mode, sql.raw(v)) : json(mode, sql.raw(v), rest, fresh);
  const nested = rest.some((s) => 'each' in s);
  const mapped = sql`transform(try_cast(json_extract(${target}, ${prefix}) AS ARRAY(JSON)), ${sql.raw(v)} -> ${element})`;
  const flat = nested ? sql`flatten(${mapped})` : mapped;
  const w = fresh();
  return nullIfEmpty(sql`filter(${flat}, ${sql.raw(w)} -> ${sql.raw(w)} IS NOT NULL)`, 'cardinality');
}

function elementValue(mode: 'field' | 'spath', x: Frag): Frag {
  return mode === 'field' ? sql`json_extract_scalar(${x}, '$')` : sql`coalesce(json_extract_scalar(${x}, '$'), nullif(json_format(${x}), 'null'))`;
}

/** Athena engine v3 (Trino). */
export const athena: Dialect = {
  name: 'athena',
  paramsOutsideWhere: false,
  types: { varchar: 'VARCHAR', double: 'DOUBLE', bigint: 'BIGINT', boolean: 'BOOLEAN', 'varchar[]': 'ARRAY(VARCHAR)' },
  tryCast: (a, to) => sql`try_cast(${a} AS ${sql.raw(athena.types[to])})`,
  lambda: (v, body) => sql`${sql.raw(v)} -> ${body}`,
  json,
  functions: {
    lower: (a) => call('lower', a),
    upper: (a) => call('upper', a),
    length: (a) => call('length', a),
    coalesce: (a) => call('coalesce', a),
    regexLike: (a) => call('regexp_like', a),
    power: (a) => call('power', a),
    sqrt: (a) => call('sqrt', a),
    abs: (a) => call('abs', a),
    floor: (a) => call('floor', a),
    ceil: (a) => call('ceiling', a),
    round: (a) => call('round', a),
    numToStr: ([x]) => numToStr(x as Frag, 'BIGINT', 'VARCHAR'),
    epochFromIso: ([s]) => sql`to_unixtime(try(from_iso8601_timestamp(${s})))`,
    epochFromTimestamp: (a) => call('to_unixtime', a),
    // formatEpoch(seconds, format, zone): format already converted to date_format specifiers
    formatEpoch: ([x, f, z]) => sql`date_format(from_unixtime(${x}, ${z}), ${f})`,
    split: (a) => call('split', a),
    elementAt: (a) => call('element_at', a),
    cardinality: (a) => call('cardinality', a),
    arrayConcat: (a) => call('concat', a),
    arrayCompact: ([a]) => sql`filter(${a}, e -> e IS NOT NULL)`,
    nullIfEmpty: ([a]) => nullIfEmpty(a as Frag, 'cardinality'),
    anyMatch: (a) => call('any_match', a),
    arrayTransform: (a) => call('transform', a),
    arraySortDistinct: ([a]) => sql`array_sort(array_distinct(${a}))`,
    concatWs: (a) => call('concat_ws', a),
    substr: (a) => call('substr', a),
    replaceRegex: (a) => call('regexp_replace', a),
    trim: (a) => call('trim', a),
    mapGet: (a) => call('element_at', a),
    floorTo: ([x, s]) => sql`floor(${x} / ${s}) * ${s}`,
  },
  aggregates: {
    count: (a, d) => (d ? sql`count(DISTINCT ${a[0]})` : call('count', a)),
    count_star: () => sql`count(*)`,
    min: (a) => call('min', a),
    max: (a) => call('max', a),
    sum: (a) => call('sum', a),
    avg: (a) => call('avg', a),
    stddev_samp: (a) => call('stddev_samp', a),
    arg_min: (a) => call('min_by', a),
    arg_max: (a) => call('max_by', a),
    array_agg: (a, d) => (d ? sql`array_agg(DISTINCT ${a[0]})` : call('array_agg', a)),
    bool_or: (a) => call('bool_or', a),
  },
  // MySQL-style date_format specifiers
  timeFormat: {
    Y: '%Y',
    y: '%y',
    m: '%m',
    d: '%d',
    e: '%e',
    H: '%H',
    I: '%h',
    M: '%i',
    S: '%s',
    p: '%p',
    A: '%W',
    a: '%a',
    B: '%M',
    b: '%b',
    j: '%j',
    '%': '%%',
    T: '%H:%i:%s',
    F: '%Y-%m-%d',
  },
};
