import { sql } from 'kysely';
import type { JsonStep } from '../../plan/ir.js';
import type { Dialect, Frag } from '../dialect.js';
import { C_STRFTIME, call, jsonPath, nullIfEmpty, SHARED_AGGREGATES, SHARED_FUNCTIONS } from './common.js';
import { ANSI_STRUCTURE } from './structure.js';

const quoteKey = (k: string): string => `."${k.replace(/"/g, '\\"')}"`;

function json(mode: 'field' | 'spath', target: Frag, path: JsonStep[], fresh: () => string): Frag {
  const keys = path.map((s) => ('key' in s ? s.key : '*'));
  const hasEach = path.some((s) => 'each' in s);
  // DuckDB paths take [*] for "every element", flattening nested wildcards
  const text = jsonPath(
    keys.filter((k) => k !== '*'),
    quoteKey,
  );
  const p = sql.lit(hasEach ? wildcardPath(path) : text);
  if (!hasEach) {
    if (mode === 'spath') return sql`json_extract_string(${target}, ${p})`;
    return sql`CASE WHEN json_type(${target}, ${p}) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(${target}, ${p}) END`;
  }
  const v = fresh();
  const x = sql.raw(v);
  const element =
    mode === 'spath'
      ? sql`json_extract_string(${x}, '$')`
      : sql`CASE WHEN json_type(${x}) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(${x}, '$') END`;
  const w = fresh();
  const list = sql`list_filter(list_transform(json_extract(${target}, ${p}), lambda ${x}: ${element}), lambda ${sql.raw(w)}: ${sql.raw(w)} IS NOT NULL)`;
  return nullIfEmpty(list, 'len');
}

function wildcardPath(path: JsonStep[]): string {
  let out = '$';
  for (const s of path) {
    if ('each' in s) out += '[*]';
    else out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.key) ? `.${s.key}` : quoteKey(s.key);
  }
  return out;
}

/** DuckDB, for the local lake. */
export const duckdb: Dialect = {
  name: 'duckdb',
  title: 'DuckDB',
  ...ANSI_STRUCTURE,
  paramsOutsideWhere: true,
  rewrites: [],
  types: { varchar: 'VARCHAR', double: 'DOUBLE', bigint: 'BIGINT', boolean: 'BOOLEAN', 'varchar[]': 'VARCHAR[]' },
  tryCast: (a, to) => sql`TRY_CAST(${a} AS ${sql.raw(duckdb.types[to])})`,
  lambda: (v, body) => sql`lambda ${sql.raw(v)}: ${body}`,
  json,
  jsonObject: (keys, values) =>
    call(
      'json_object',
      keys.flatMap((k, i) => [sql.lit(k), values[i] as Frag]),
    ),
  functions: {
    ...SHARED_FUNCTIONS,
    regexLike: (a) => call('regexp_matches', a),
    ceil: (a) => call('ceil', a),
    epochFromIso: ([s]) => sql`epoch(TRY_CAST(${s} AS TIMESTAMPTZ))`,
    epochFromTimestamp: (a) => call('epoch', a),
    formatEpoch: ([x, f, z]) => sql`strftime(timezone(${z}, to_timestamp(${x})), ${f})`,
    split: (a) => call('string_split', a),
    elementAt: (a) => call('list_extract', a),
    cardinality: (a) => call('len', a),
    arrayConcat: (a) => call('list_concat', a),
    arrayCompact: ([a]) => sql`list_filter(${a}, lambda e: e IS NOT NULL)`,
    mvOutput: ([a]) => a as Frag,
    nullIfEmpty: ([a]) => nullIfEmpty(a as Frag, 'len'),
    anyMatch: ([a, f]) => sql`(len(list_filter(${a}, ${f})) > 0)`,
    arrayTransform: (a) => call('list_transform', a),
    arraySortDistinct: ([a]) => sql`list_sort(list_distinct(${a}))`,
    replaceRegex: ([s, p, r]) => sql`regexp_replace(${s}, ${p}, ${r}, 'g')`,
    mapGet: (a) => call('map_extract_value', a),
    // DuckDB's regexp_extract gives '' without a match; Splunk leaves the field unset
    regexExtract: ([s, p, g]) => sql`CASE WHEN regexp_matches(${s}, ${p}) THEN regexp_extract(${s}, ${p}, ${g}) END`,
    regexExtractAll: (a) => call('regexp_extract_all', a),
    arraySlice: ([l, from, n]) => sql`list_slice(${l}, ${from}, ${from} + ${n} - 1)`,
    arrayJoin: (a) => call('array_to_string', a),
    // list_distinct does not keep the order; keep each value where it first occurs
    arrayDistinct: ([l]) => sql`list_filter(${l}, lambda dx, di: list_position(${l}, dx) = di)`,
    arrayFlatten: (a) => call('flatten', a),
    // list_zip pads the shorter list with NULLs, and x || NULL is NULL: drop them
    arrayZip: ([a, b, sep]) =>
      sql`list_filter(list_transform(list_zip(${a}, ${b}), lambda zp: zp[1] || ${sep} || zp[2]), lambda ze: ze IS NOT NULL)`,
    arrayFilter: (a) => call('list_filter', a),
    replaceText: (a) => call('replace', a),
    parseTime: ([s, f, z]) => sql`epoch(timezone(${z}, try_strptime(${s}, ${f})))`,
    // wall-clock time in the zone, truncated or shifted there, and back to an instant
    truncTime: ([x, u, z]) => sql`epoch(timezone(${z}, date_trunc(${u}, timezone(${z}, to_timestamp(${x})))))`,
    addTime: ([x, , n, z], lit) => {
      const unit = lit(1);
      if (typeof unit !== 'string' || !/^[a-z]+$/.test(unit)) throw new Error('addTime needs a literal unit');
      return sql`epoch(timezone(${z}, timezone(${z}, to_timestamp(${x})) + ${sql.raw(`to_${unit}s`)}(${n})))`;
    },
    weekday: ([x, z]) => sql`dayofweek(timezone(${z}, to_timestamp(${x})))`,
    least: (a) => call('least', a),
    greatest: (a) => call('greatest', a),
    toJson: (a) => call('to_json', a),
    // json() checks the text, so a malformed value fails the query instead of vanishing
    jsonParse: (a) => call('json', a),
    jsonFormat: ([a]) => sql`CAST(${a} AS VARCHAR)`,
  },
  aggregates: {
    ...SHARED_AGGREGATES,
    arg_min: (a) => call('arg_min', a),
    arg_max: (a) => call('arg_max', a),
  },
  // A running count is the row number. DuckDB 1.5 fails ("Failed to cast expression to type")
  // on row_number() <= N over a scan filtered by two bound parameters on one expression (the
  // window bounds): its top-N rewrite of row_number breaks there. count(*) is not rewritten.
  rowNumber: (over) => sql`count(*) OVER (${over} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
  timeFormat: { ...C_STRFTIME, e: '%-d' },
};
