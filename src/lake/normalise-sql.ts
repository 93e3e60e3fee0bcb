import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdbType, type Column, type ColumnType } from '../sources/table-schema.js';
import { LOCAL_TABLES, storedColumns, type LocalTable, type LocalTableId } from './layout.js';
import { mergeRaw, RAW_COLUMNS, rawKey, structureSql, type Naming, type RawType } from './raw-sql.js';
import { sqlIdent, sqlString } from './sql.js';

/**
 * The one place raw records become table rows: SQL expressions, generated from the table
 * schemas, over the raw columns of `raw-sql.ts` (alias `r`). Everything an import decides per
 * record is defined here: which table it belongs to, why it is unusable, its partition and key.
 */

/** Epoch milliseconds DuckDB's epoch_ms() accepts without error: years 1 to 9999. */
const MIN_EPOCH_MS = -62135596800000;
const MAX_EPOCH_MS = 253402300799999;

/**
 * Session setup every import connection needs: UTC, so TIMESTAMPTZ → TIMESTAMP yields UTC (the
 * local lake's TIMESTAMPs are UTC like Athena's), and the helper macros the expressions use.
 */
export async function prepareConnection(conn: DuckDBConnection): Promise<void> {
  await conn.run(`SET TimeZone = 'UTC'`);
  await conn.run(
    `CREATE OR REPLACE MACRO hunt_epoch_ms(ms) AS ` +
      `CASE WHEN ms BETWEEN ${MIN_EPOCH_MS} AND ${MAX_EPOCH_MS} THEN epoch_ms(ms) END`,
  );
  // A TIMESTAMPTZ as a UTC TIMESTAMP; 'infinity' and friends are not times.
  await conn.run(`CREATE OR REPLACE MACRO hunt_finite(t) AS CASE WHEN isfinite(t) THEN t::TIMESTAMP END`);
  // ISO 8601 with or without offset (none means UTC).
  await conn.run(`CREATE OR REPLACE MACRO hunt_iso(v) AS hunt_finite(TRY_CAST(v AS TIMESTAMPTZ))`);
  // An ISO time, else epoch milliseconds; NULL otherwise.
  await conn.run(`CREATE OR REPLACE MACRO hunt_ts(v) AS coalesce(hunt_iso(v), hunt_epoch_ms(TRY_CAST(v AS BIGINT)))`);
  await conn.run(
    `CREATE OR REPLACE MACRO hunt_describe(v) AS CASE WHEN v IS NULL THEN 'missing' ` +
      `WHEN length(v) > 60 THEN '"' || left(v, 57) || '..."' ELSE '"' || v || '"' END`,
  );
}

function onlyStrings(t: ColumnType): boolean {
  switch (t.kind) {
    case 'string':
      return true;
    case 'struct':
      return t.fields.every((f) => onlyStrings(f.type));
    case 'array':
      return onlyStrings(t.element);
    case 'map':
      return onlyStrings(t.key) && onlyStrings(t.value);
    default:
      return false;
  }
}

/**
 * SQL turning a raw value into the column's type. All-string subtrees are one CAST: DuckDB
 * casts structs by field name, case-insensitively, so `userIdentity.sessionContext` lands in
 * `useridentity.sessioncontext` and raw-only fields are dropped. Typed leaves use TRY_CAST so
 * a bad value becomes NULL.
 */
export function convertSql(type: ColumnType, raw: RawType, expr: string, naming: Naming, depth = 0): string {
  if (onlyStrings(type)) return type.kind === 'string' ? expr : `CAST(${expr} AS ${duckdbType(type)})`;
  switch (type.kind) {
    case 'bigint':
    case 'int':
    case 'double':
    case 'boolean':
      return `TRY_CAST(${expr} AS ${duckdbType(type)})`;
    case 'timestamp':
      return `hunt_ts(${expr})`;
    case 'struct': {
      if (raw.kind !== 'struct') throw new Error(`raw type of ${expr} is not a struct`);
      const fields = type.fields.map((f) => {
        const key = rawKey(f, naming);
        const sub = raw.fields.get(key);
        if (!sub) throw new Error(`raw struct ${expr} has no field ${key}`);
        return `${sqlIdent(f.name)} := ${convertSql(f.type, sub, `struct_extract(${expr}, ${sqlString(key)})`, naming, depth)}`;
      });
      return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${fields.join(', ')}) END`;
    }
    case 'array': {
      if (raw.kind !== 'list') throw new Error(`raw type of ${expr} is not a list`);
      const e = `e${depth}`;
      return `list_transform(${expr}, lambda ${e}: ${convertSql(type.element, raw.element, e, naming, depth + 1)})`;
    }
    case 'map': {
      if (raw.kind !== 'map') throw new Error(`raw type of ${expr} is not a map`);
      const e = `e${depth}`;
      const value = convertSql(type.value, raw.value, `${e}.value`, naming, depth + 1);
      return `map_from_entries(list_transform(map_entries(${expr}), lambda ${e}: struct_pack(key := ${e}.key, value := ${value})))`;
    }
    case 'string':
      return expr;
  }
}

/** Everything the import computes per record of one table, as SQL over raw alias `r`. */
export interface TableSql {
  id: LocalTableId;
  table: LocalTable;
  /** the record has this table's identifying keys */
  recognise: string;
  /**
   * Values `problem` and `partitions` read more than once, computed once per record before them
   * (each refers to the earlier ones and raw alias `r`; they read as `r.<name>`). Parsing a time
   * is the costliest step of the narrow pass, and DuckDB does not share it between CASE arms.
   */
  derived: { name: string; expr: string }[];
  /** for a recognised record: why it is unusable, or NULL */
  problem: string;
  /** each stored column, in schema order, with the SQL producing it */
  columns: { name: string; expr: string }[];
  /** partition values (VARCHAR), in LocalTable.partitions order */
  partitions: string[];
  /** the record's own id, or NULL (then the key is a hash of the row) */
  naturalKey: string;
  /** raw keys `recognise`, `problem`, `partitions` and `naturalKey` read (the narrow pass) */
  metaKeys: string[];
  /** from_json structure reading every raw key the table uses */
  structure: string;
}

const raw = (key: string): string => `r.${sqlIdent(key)}`;
const field = (expr: string, ...keys: string[]): string =>
  keys.reduce((e, k) => `struct_extract(${e}, ${sqlString(k)})`, expr);

function columnSql(id: LocalTableId, c: Column, naming: Naming, override?: string): { name: string; expr: string } {
  const key = rawKey(c, naming);
  const t = RAW_COLUMNS[id].get(key);
  if (!t) throw new Error(`no raw column ${key}`);
  return { name: c.name, expr: override ?? convertSql(c.type, t, raw(key), naming) };
}

function cloudTrailSql(): TableSql {
  const id = 'cloudtrail';
  const table = LOCAL_TABLES.cloudtrail;
  const time = raw('hunt_ct_time');
  return {
    id,
    table,
    recognise: `(${raw('eventTime')} IS NOT NULL AND ${raw('eventName')} IS NOT NULL)`,
    derived: [
      { name: 'hunt_ct_tz', expr: `TRY_CAST(${raw('eventTime')} AS TIMESTAMPTZ)` },
      { name: 'hunt_ct_time', expr: `hunt_finite(${raw('hunt_ct_tz')})` },
    ],
    problem: `CASE WHEN ${time} IS NULL THEN 'eventTime ' || hunt_describe(${raw('eventTime')}) || ' is not an ISO 8601 time' END`,
    columns: storedColumns(table).map((c) => columnSql(id, c, 'json')),
    partitions: [raw('awsRegion'), `strftime(${time}, '%Y')`, `strftime(${time}, '%m')`, `strftime(${time}, '%d')`],
    naturalKey: `nullif(${raw('eventID')}, '')`,
    metaKeys: ['eventTime', 'eventName', 'awsRegion', 'eventID'],
    structure: structureSql(RAW_COLUMNS[id]),
  };
}

function securityLakeSql(): TableSql {
  const id = 'securityLake';
  const table = LOCAL_TABLES.securityLake;
  const timeMs = `hunt_epoch_ms(TRY_CAST(${raw('time')} AS BIGINT))`;
  // time_dt is the record's own (offset-bearing) time when it parses, else derived from `time`.
  const timeDt = `coalesce(hunt_ts(${raw('time_dt')}), ${timeMs})`;
  const derivedTimeMs = raw('hunt_sl_time_ms');
  const accountid = `coalesce(${raw('accountid')}, ${field(raw('cloud'), 'account', 'uid')}, ${field(raw('actor'), 'user', 'account', 'uid')}, ${raw('unmapped')}['recipientAccountId'])`;
  const region = `coalesce(${raw('region')}, ${field(raw('cloud'), 'region')})`;
  return {
    id,
    table,
    recognise: `(${raw('class_uid')} IS NOT NULL AND ${raw('time')} IS NOT NULL)`,
    derived: [{ name: 'hunt_sl_time_ms', expr: timeMs }],
    problem: `CASE WHEN ${derivedTimeMs} IS NULL THEN 'time ' || hunt_describe(${raw('time')}) || ' is not epoch milliseconds' END`,
    columns: storedColumns(table).map((c) => columnSql(id, c, 'column', c.name === 'time_dt' ? timeDt : undefined)),
    partitions: [region, accountid, `strftime(coalesce(hunt_ts(${raw('time_dt')}), ${derivedTimeMs}), '%Y-%m-%d')`],
    naturalKey: `nullif(${field(raw('metadata'), 'uid')}, '')`,
    metaKeys: ['class_uid', 'time', 'time_dt', 'region', 'accountid', 'cloud', 'actor', 'unmapped', 'metadata'],
    structure: structureSql(RAW_COLUMNS[id]),
  };
}

export const TABLE_SQL: Record<LocalTableId, TableSql> = {
  cloudtrail: cloudTrailSql(),
  securityLake: securityLakeSql(),
};

export const TABLE_IDS: LocalTableId[] = ['cloudtrail', 'securityLake'];

/** from_json structure of the narrow pass: just the keys every table's meta expressions read. */
export const META_STRUCTURE = structureSql(
  (() => {
    const out = new Map<string, RawType>();
    for (const id of TABLE_IDS) {
      for (const key of TABLE_SQL[id].metaKeys) {
        const t = RAW_COLUMNS[id].get(key);
        if (!t) throw new Error(`${id}: meta key ${key} is not a raw column`);
        const mine = out.get(key);
        out.set(key, mine ? mergeRaw(mine, t, key) : t);
      }
    }
    return out;
  })(),
);

/** What a record must have to be one of the tables, for problem messages. */
export const TABLE_NEEDS: Record<LocalTableId, string> = {
  cloudtrail: 'a CloudTrail event (eventTime, eventName)',
  securityLake: 'an OCSF record (class_uid, time)',
};
