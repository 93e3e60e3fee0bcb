import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdbType, type ColumnType } from '../sources/table-schema.js';
import type { ImportRule, LakeTableDef } from '../sources/source.js';
import { LAKE_TABLES, localTable, storedColumns, type LocalTable, type LocalTableId } from './layout.js';
import { mergeRaw, rawColumnsOf, rawKey, structureSql, type Naming, type RawType } from './raw-sql.js';
import { sqlIdent, sqlString } from './sql.js';

/**
 * The one place raw records become table rows: SQL expressions, generated from the table
 * schemas, over the raw columns of `raw-sql.ts` (alias `r`). What an import decides per record
 * (which table it belongs to, why it is unusable, its partition and key) is each source's
 * import rule (src/sources/<source>/lake.ts); the column conversions are generated here.
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
export interface TableSql<Id extends string = LocalTableId> {
  id: Id;
  table: LocalTable;
  /** the source's import rule the SQL comes from */
  rule: ImportRule;
  /** every top-level raw key the table reads, with its raw type */
  raw: ReadonlyMap<string, RawType>;
  /** each stored column, in schema order, with the SQL producing it */
  columns: { name: string; expr: string }[];
  /** from_json structure reading every raw key the table uses */
  structure: string;
}

/** A source's lake table definition → the SQL its import runs. Throws on a rule that reads unknown keys. */
export function tableSql<Id extends string>(def: LakeTableDef<Id>): TableSql<Id> {
  const table = localTable(def);
  const raw = rawColumnsOf([...def.schema.columns, ...(def.import.extraRaw ?? [])], def.naming);
  const columns = storedColumns(table).map((c) => {
    const key = rawKey(c, def.naming);
    const t = raw.get(key);
    if (!t) throw new Error(`${def.id}: no raw column ${key}`);
    return {
      name: c.name,
      expr: def.import.columns?.[c.name] ?? convertSql(c.type, t, `r.${sqlIdent(key)}`, def.naming),
    };
  });
  if (def.import.partitions.length !== table.partitions.length) {
    throw new Error(
      `${def.id}: ${def.import.partitions.length} partition expressions for ${table.partitions.length} partitions`,
    );
  }
  for (const key of def.import.metaKeys) {
    if (!raw.has(key)) throw new Error(`${def.id}: meta key ${key} is not a raw column`);
  }
  return { id: def.id, table, rule: def.import, raw, columns, structure: structureSql(raw) };
}

export const TABLE_SQL = Object.fromEntries(LAKE_TABLES.map((d) => [d.id, tableSql(d)])) as Record<
  LocalTableId,
  TableSql
>;

export const TABLE_IDS: LocalTableId[] = LAKE_TABLES.map((d) => d.id);

/** from_json structure of the narrow pass: just the keys every table's meta expressions read. */
export const META_STRUCTURE = structureSql(
  (() => {
    const out = new Map<string, RawType>();
    for (const id of TABLE_IDS) {
      for (const key of TABLE_SQL[id].rule.metaKeys) {
        // tableSql refused a meta key that is no raw column
        const t = TABLE_SQL[id].raw.get(key) as RawType;
        const mine = out.get(key);
        out.set(key, mine ? mergeRaw(mine, t, key) : t);
      }
    }
    return out;
  })(),
);
