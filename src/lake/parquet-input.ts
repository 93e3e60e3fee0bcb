import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { duckdb } from '../duckdb.js';
import { LakeImportError } from './errors.js';
import { globEscape, sqlIdent, sqlString } from './sql.js';

/**
 * Security Lake Parquet (what Security Lake writes to S3) as import input. The import pipeline
 * stages every record as one line of JSON text; here a Parquet file's rows become those lines
 * in DuckDB itself (`to_json` of the row), slice by slice, so no record passes through
 * JavaScript and memory stays bounded by the slice.
 *
 * - isParquet: the magic number, to tell Parquet from JSON before reading.
 * - inspectParquet: the footer only (row counts, column types, statistics), never the data;
 *   refuses a file that is not Security Lake OCSF, or not readable Parquet, in plain words.
 * - parquetLinesSql: the SELECT of `(k, line)` for rows [from, to). DuckDB 1.5 pushes a
 *   file_row_number range into the Parquet scan and skips the row groups outside it (measured on
 *   a 1.3M-row, 11-row-group v2 file: the last 100 rows in ~30 ms, the whole file in ~9 s), but
 *   inside a row group it decodes from the group's start: 20 equal slices cost 1.5x one full
 *   read, slices on row-group boundaries (parquetSlices) the same as one full read.
 * - pathHints: region and account from Security Lake's S3 layout, which rc.2 rows lack.
 */

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** Whether a file's first bytes are Parquet's magic number `PAR1`. */
export function isParquet(firstBytes: Uint8Array): boolean {
  return firstBytes.length >= MAGIC.length && MAGIC.every((b, i) => firstBytes[i] === b);
}

/** The shape of a column's type, as far as the JSON form of a row depends on it. */
export type ParquetType =
  | { kind: 'struct'; fields: { name: string; type: ParquetType }[] }
  | { kind: 'list'; element: ParquetType }
  | { kind: 'map'; key: ParquetType; value: ParquetType }
  /** `zone`: TIMESTAMP WITH TIME ZONE (Parquet isAdjustedToUTC), else a plain TIMESTAMP (any unit) */
  | { kind: 'timestamp'; zone: boolean }
  /** FLOAT / DOUBLE: to_json writes NaN and Infinity, which are not JSON */
  | { kind: 'float' }
  /** anything to_json already writes as the JSON form has it (strings, integers, booleans, ...) */
  | { kind: 'plain'; sql: string };

export interface ParquetColumn {
  name: string;
  type: ParquetType;
}

/** OCSF versions as Security Lake writes them in metadata.version. */
export const OCSF_RC2 = '1.0.0-rc.2';
export const OCSF_1_1 = '1.1.0';

export interface ParquetFacts {
  /** rows in the file */
  rows: number;
  /**
   * The file's OCSF version: the one metadata.version value the footer's statistics show for
   * every row group, else the version the schema's shape shows (see versionFromShape); null
   * when neither tells. Records whose metadata.version is NULL get this one in their line.
   */
  version: string | null;
  /** where `version` came from */
  versionFrom: 'statistics' | 'schema' | null;
  /** top-level columns in file order */
  columns: ParquetColumn[];
  /** rows of each row group, in file order (they add up to `rows`) */
  rowGroups: number[];
}

function shapeOf(t: DuckDBType): ParquetType {
  const id = duckdb.DuckDBTypeId;
  switch (t.typeId) {
    case id.STRUCT:
      return { kind: 'struct', fields: t.entryNames.map((name, i) => ({ name, type: shapeOf(t.entryTypes[i]!) })) };
    case id.LIST:
    case id.ARRAY:
      return { kind: 'list', element: shapeOf(t.valueType) };
    case id.MAP:
      return { kind: 'map', key: shapeOf(t.keyType), value: shapeOf(t.valueType) };
    case id.TIMESTAMP:
    case id.TIMESTAMP_S:
    case id.TIMESTAMP_MS:
    case id.TIMESTAMP_NS:
      return { kind: 'timestamp', zone: false };
    case id.TIMESTAMP_TZ:
      return { kind: 'timestamp', zone: true };
    case id.FLOAT:
    case id.DOUBLE:
      return { kind: 'float' };
    default:
      return { kind: 'plain', sql: t.toString() };
  }
}

const REQUIRED = ['class_uid', 'time', 'metadata'];

function field(type: ParquetType | undefined, name: string): ParquetType | undefined {
  return type?.kind === 'struct' ? type.fields.find((f) => f.name.toLowerCase() === name)?.type : undefined;
}

/**
 * The OCSF version a Security Lake file's schema shows, for files whose metadata.version is
 * missing. OCSF 1.0.0-rc.2 (Security Lake source version 1) names the account `account_uid`
 * (cloud.account_uid, actor.user.account_uid) and has no `*_dt` datetime columns; OCSF 1.1.0
 * (source version 2) has `time_dt` and the account as an object (cloud.account.uid,
 * actor.user.account.uid). Evidence of one kind and none of the other decides; none, or both,
 * leaves the version unknown (null).
 */
export function versionFromShape(columns: ParquetColumn[]): string | null {
  const top = (name: string): ParquetType | undefined => columns.find((c) => c.name.toLowerCase() === name)?.type;
  const cloud = top('cloud');
  const user = field(top('actor'), 'user');
  const rc2 = field(cloud, 'account_uid') !== undefined || field(user, 'account_uid') !== undefined;
  const v11 =
    top('time_dt') !== undefined || field(cloud, 'account') !== undefined || field(user, 'account') !== undefined;
  if (rc2 === v11) return null;
  return rc2 ? OCSF_RC2 : OCSF_1_1;
}

/** DuckDB's words for an unreadable file, after ours. */
function unreadable(file: string, e: unknown): LakeImportError {
  const said = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  const missing = /No files found|No such file/i.test(said);
  const what = missing ? 'cannot be read (no such file)' : 'not a readable Parquet file (truncated or corrupt?)';
  return new LakeImportError(`${file}: ${what}: DuckDB says: ${said}`, file, { cause: e });
}

/** The file for read_parquet / parquet_metadata: quoted, glob characters taken literally. */
function fileArg(file: string): string {
  return sqlString(globEscape(file));
}

/**
 * Hive partitioning off: DuckDB would otherwise turn the path's `region=`/`accountId=`/
 * `eventDay=` into columns (accountId autocast to a number); pathHints reads them instead.
 */
function readParquet(file: string, rowNumbers: boolean): string {
  return `read_parquet(${fileArg(file)}, hive_partitioning = false${rowNumbers ? ', file_row_number = true' : ''})`;
}

/** metadata.version when the footer's statistics show one exact value in every row group with one. */
async function versionFromStatistics(conn: DuckDBConnection, file: string): Promise<string | null> {
  const rows = (
    await conn.runAndReadAll(
      `SELECT stats_min_value, stats_max_value, min_is_exact, max_is_exact, stats_null_count, row_group_num_rows ` +
        `FROM parquet_metadata(${fileArg(file)}) WHERE lower(path_in_schema) = 'metadata, version'`,
    )
  ).getRows();
  const values = new Set<string>();
  for (const [min, max, minExact, maxExact, nulls, n] of rows) {
    if (nulls !== null && Number(nulls) === Number(n)) continue; // all NULL: says nothing
    if (min === null || min !== max || minExact !== true || maxExact !== true) return null;
    values.add(String(min));
  }
  return values.size === 1 ? [...values][0]! : null;
}

/**
 * What an import needs to know of a Parquet file, from its footer only. LakeImportError, naming
 * the file, when it is not readable Parquet or not Security Lake OCSF (class_uid, time, metadata).
 */
export async function inspectParquet(conn: DuckDBConnection, file: string): Promise<ParquetFacts> {
  let columns: ParquetColumn[];
  let rowGroups: number[];
  try {
    // Preparing binds the scan, which reads the footer's schema; nothing is executed.
    const prepared = await conn.prepare(`SELECT * FROM ${readParquet(file, false)}`);
    try {
      columns = Array.from({ length: prepared.columnCount }, (_, i) => ({
        name: prepared.columnName(i),
        type: shapeOf(prepared.columnType(i)),
      }));
    } finally {
      prepared.destroySync();
    }
    const groups = await conn.runAndReadAll(
      `SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata(${fileArg(file)}) ORDER BY row_group_id`,
    );
    rowGroups = groups.getRows().map((r) => Number(r[1]));
  } catch (e) {
    throw unreadable(file, e);
  }
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  const missing = REQUIRED.filter((n) => !names.has(n));
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw new LakeImportError(
      `${file}: not Security Lake OCSF Parquet: no ${list} column${missing.length > 1 ? 's' : ''}`,
      file,
    );
  }
  // the row number parquetLinesSql slices on would shadow it
  if (names.has('file_row_number')) {
    throw new LakeImportError(`${file}: not Security Lake OCSF Parquet: it has a file_row_number column`, file);
  }
  const metadata = columns.find((c) => c.name.toLowerCase() === 'metadata')!;
  if (metadata.type.kind !== 'struct') {
    const t = metadata.type.kind === 'plain' ? metadata.type.sql : metadata.type.kind;
    throw new LakeImportError(`${file}: not Security Lake OCSF Parquet: metadata is ${t}, not a struct`, file);
  }
  let stats: string | null;
  try {
    stats = await versionFromStatistics(conn, file);
  } catch (e) {
    throw unreadable(file, e);
  }
  const shape = versionFromShape(columns);
  const version = stats ?? shape;
  return {
    rows: rowGroups.reduce((a, b) => a + b, 0),
    version,
    versionFrom: stats !== null ? 'statistics' : shape !== null ? 'schema' : null,
    columns,
    rowGroups,
  };
}

const ISO = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

function needsRewrite(t: ParquetType): boolean {
  switch (t.kind) {
    case 'struct':
      return t.fields.some((f) => needsRewrite(f.type));
    case 'list':
      return needsRewrite(t.element);
    case 'map':
      return needsRewrite(t.key) || needsRewrite(t.value);
    case 'plain':
      return false;
    default:
      return true;
  }
}

/**
 * SQL for a value as its JSON form has it. to_json alone is right except for timestamps (it
 * writes them without a zone, and a TIMESTAMPTZ in the session's zone: here ISO 8601 UTC with
 * `Z`, which hunt_ts reads as such) and NaN/Infinity (not JSON: null).
 */
function jsonReady(t: ParquetType, expr: string, depth: number): string {
  if (!needsRewrite(t)) return expr;
  const e = `e${depth}`;
  switch (t.kind) {
    case 'timestamp':
      return t.zone ? `strftime(timezone('UTC', ${expr}), ${ISO})` : `strftime(${expr}::TIMESTAMP, ${ISO})`;
    case 'float':
      return `CASE WHEN isfinite(${expr}) THEN ${expr} END`;
    case 'struct':
      return `CASE WHEN ${expr} IS NOT NULL THEN struct_pack(${t.fields.map((f) => `${sqlIdent(f.name)} := ${jsonReady(f.type, `struct_extract(${expr}, ${sqlString(f.name)})`, depth)}`).join(', ')}) END`;
    case 'list':
      return `list_transform(${expr}, lambda ${e}: ${jsonReady(t.element, e, depth + 1)})`;
    case 'map':
      return (
        `map_from_entries(list_transform(map_entries(${expr}), lambda ${e}: struct_pack(` +
        `key := ${jsonReady(t.key, `${e}.key`, depth + 1)}, value := ${jsonReady(t.value, `${e}.value`, depth + 1)})))`
      );
    case 'plain':
      return expr;
  }
}

/**
 * metadata with `version` filled from the file's version where the record's is NULL (added
 * when the file's metadata has no version field). A NULL metadata becomes one holding only the
 * version, so every line says which OCSF it is.
 */
function metadataSql(t: Extract<ParquetType, { kind: 'struct' }>, expr: string, version: string): string {
  const hasVersion = t.fields.some((f) => f.name === 'version');
  const fields = t.fields.map((f) => {
    const value = jsonReady(f.type, `struct_extract(${expr}, ${sqlString(f.name)})`, 0);
    return `${sqlIdent(f.name)} := ${f.name === 'version' ? `coalesce(${value}, ${sqlString(version)})` : value}`;
  });
  if (!hasVersion) fields.push(`"version" := ${sqlString(version)}`);
  return `struct_pack(${fields.join(', ')})`;
}

/**
 * A SELECT of `(k BIGINT, line VARCHAR)` for the file's rows [from, to): k counts from 0 at row
 * `from`; line is the row as JSON text, as a JSON form of the record would have it (MAP
 * `unmapped` an object, BIGINT `time` a number, timestamps ISO 8601 UTC text), with
 * metadata.version filled from `facts.version` where NULL. Run it on a connection where the file
 * reads as `facts` says (inspectParquet); a data page that turns out corrupt fails the query.
 */
export function parquetLinesSql(file: string, facts: ParquetFacts, from: number, to: number): string {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
    throw new RangeError(`bad row range [${from}, ${to})`);
  }
  const cols = facts.columns.map((c) => {
    const expr = `r.${sqlIdent(c.name)}`;
    const value =
      c.name.toLowerCase() === 'metadata' && c.type.kind === 'struct' && facts.version !== null
        ? metadataSql(c.type, expr, facts.version)
        : jsonReady(c.type, expr, 0);
    return `${sqlIdent(c.name)} := ${value}`;
  });
  return (
    `SELECT (r.file_row_number - ${from})::BIGINT AS k, to_json(struct_pack(${cols.join(', ')}))::VARCHAR AS line ` +
    `FROM ${readParquet(file, true)} r WHERE r.file_row_number >= ${from} AND r.file_row_number < ${to}`
  );
}

/**
 * Row ranges [from, to) covering the file in order, each about `rows` long but cut on row-group
 * boundaries, so no slice decodes a row group another slice decodes too. A row group larger
 * than `rows` is cut inside (DuckDB then skips to the pages it needs as far as it can).
 */
export function parquetSlices(facts: ParquetFacts, rows: number): [number, number][] {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`bad slice size ${rows}`);
  const out: [number, number][] = [];
  let start = 0;
  let at = 0;
  for (const n of facts.rowGroups) {
    const end = at + n;
    if (end - start > rows && at > start) {
      out.push([start, at]);
      start = at;
    }
    while (end - start > rows) {
      out.push([start, start + rows]);
      start += rows;
    }
    at = end;
  }
  if (at > start) out.push([start, at]);
  return out;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;

/**
 * Region and account from Security Lake's S3 layout (`.../region=R/accountId=A/eventDay=D/...`),
 * which rc.2 rows do not carry as columns. The last `region=` and `accountId=` segments of the
 * path count (keys case-insensitive); a value that is not a region (us-east-1) or a 12-digit
 * account gives no hint rather than a wrong one.
 */
export function pathHints(path: string): { region?: string; account?: string } {
  let region: string | undefined;
  let account: string | undefined;
  for (const segment of path.split(/[/\\]/)) {
    const eq = segment.indexOf('=');
    if (eq < 0) continue;
    const key = segment.slice(0, eq).toLowerCase();
    const value = segment.slice(eq + 1);
    if (key === 'region') region = value;
    else if (key === 'accountid') account = value;
  }
  const out: { region?: string; account?: string } = {};
  if (region !== undefined && REGION.test(region)) out.region = region;
  if (account !== undefined && ACCOUNT.test(account)) out.account = account;
  return out;
}
