import { sql } from 'kysely';
import type { JsonStep, ParamSlot } from '../../plan/ir.js';
import type { Dialect, Frag } from '../dialect.js';
import { windowBoundsViaFilter } from '../rewrites/window-bounds.js';
import { call, jsonPath, nullIfEmpty, SHARED_AGGREGATES, SHARED_FUNCTIONS } from './common.js';
import { ANSI_STRUCTURE } from './structure.js';

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
  return mode === 'field'
    ? sql`json_extract_scalar(${x}, '$')`
    : sql`coalesce(json_extract_scalar(${x}, '$'), nullif(json_format(${x}), 'null'))`;
}

/** A Splunk (PCRE-style) replacement as Java's: \N groups become $N, a literal $ is escaped. */
function javaReplacement(r: string): string {
  return r.replace(/\\(\d)|\$|\\(.)/g, (_, group: string | undefined, other: string | undefined) =>
    group !== undefined ? `$${group}` : other !== undefined ? `\\${other}` : '\\$',
  );
}

/**
 * A window bound (epoch seconds) where Athena takes no parameters (outside WHERE), for now():
 * a scalar subquery whose WHERE reads the bound in epoch milliseconds and keeps the bits that
 * are set, so the bound is the sum of their powers of two. The value stays a parameter.
 */
function windowBoundViaFilter(slot: ParamSlot, bind: (slot: ParamSlot) => Frag): Frag {
  if (slot.kind !== 'window' || slot.as !== 'epoch_s')
    throw new Error('only a window bound in epoch seconds can be read through a filter');
  const ms = bind({ kind: 'window', bound: slot.bound, as: 'epoch_ms' });
  return sql`(SELECT sum(power(2, hunt_bit)) / 1000 FROM UNNEST(sequence(0, 52)) AS hunt_bits(hunt_bit) WHERE floor(${ms} / power(2, hunt_bit)) % 2 = 1)`;
}

/** Athena engine v3 (Trino). */
export const athena: Dialect = {
  name: 'athena',
  title: 'Athena (Trino)',
  ...ANSI_STRUCTURE,
  paramsOutsideWhere: false,
  // half of Athena's 262,144-byte query text, leaving the rest for the detection's own SQL
  inlineValuesLimit: 131072,
  paramViaFilter: windowBoundViaFilter,
  rewrites: [windowBoundsViaFilter],
  types: { varchar: 'VARCHAR', double: 'DOUBLE', bigint: 'BIGINT', boolean: 'BOOLEAN', 'varchar[]': 'ARRAY(VARCHAR)' },
  tryCast: (a, to) => sql`try_cast(${a} AS ${sql.raw(athena.types[to])})`,
  lambda: (v, body) => sql`${sql.raw(v)} -> ${body}`,
  json,
  // a map keeps the keys' case (a ROW's field names would be lower-cased) and writes its keys sorted
  jsonObject: (keys, values) =>
    sql`CAST(MAP(ARRAY[${sql.join(keys.map((k) => sql.lit(k)))}], ARRAY[${sql.join(values)}]) AS JSON)`,
  functions: {
    ...SHARED_FUNCTIONS,
    regexLike: (a) => call('regexp_like', a),
    ceil: (a) => call('ceiling', a),
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
    // Athena writes arrays in results as `[a, b]`, unquoted: a value holding ", " would split
    mvOutput: ([a]) => sql`CAST(${a} AS JSON)`,
    // Splunk writes groups as \1 in the replacement, Trino as $1
    replaceRegex: ([s, p], lit) => {
      const r = lit(2);
      if (typeof r !== 'string') throw new Error('replace() needs a literal replacement');
      return sql`regexp_replace(${s}, ${p}, ${sql.lit(javaReplacement(r))})`;
    },
    mapGet: (a) => call('element_at', a),
    // Trino's regexp_extract gives NULL without a match, as Splunk leaves the field unset
    regexExtract: (a) => call('regexp_extract', a),
    regexExtractAll: (a) => call('regexp_extract_all', a),
    arraySlice: (a) => call('slice', a),
    arrayJoin: (a) => call('array_join', a),
    // array_distinct keeps the first occurrence of each value in place
    arrayDistinct: (a) => call('array_distinct', a),
    arrayFlatten: (a) => call('flatten', a),
    // zip_with pads the shorter list with NULLs, and x || NULL is NULL: drop them
    arrayZip: ([a, b, sep]) => sql`filter(zip_with(${a}, ${b}, (zx, zy) -> zx || ${sep} || zy), ze -> ze IS NOT NULL)`,
    arrayFilter: (a) => call('filter', a),
    replaceText: (a) => call('replace', a),
    // parseTime(text, format, zone): the format is already converted to date_parse specifiers
    parseTime: ([s, f, z]) => sql`to_unixtime(with_timezone(try(date_parse(${s}, ${f})), ${z}))`,
    truncTime: ([x, u, z]) => sql`to_unixtime(date_trunc(${u}, from_unixtime(${x}, ${z})))`,
    addTime: ([x, u, n, z]) => sql`to_unixtime(date_add(${u}, ${n}, from_unixtime(${x}, ${z})))`,
    weekday: ([x, z]) => sql`(day_of_week(from_unixtime(${x}, ${z})) % 7)`,
    least: (a) => call('least', a),
    greatest: (a) => call('greatest', a),
    toJson: ([a]) => sql`CAST(${a} AS JSON)`,
    jsonParse: (a) => call('json_parse', a),
    jsonFormat: (a) => call('json_format', a),
  },
  aggregates: {
    ...SHARED_AGGREGATES,
    arg_min: (a) => call('min_by', a),
    arg_max: (a) => call('max_by', a),
  },
  rowNumber: (over) => sql`row_number() OVER (${over})`,
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
