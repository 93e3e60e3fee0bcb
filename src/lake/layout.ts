import { join } from 'node:path';
import { REGISTRY, type LocalTableId, type RecordFormat } from '../sources/registry.js';
import type { LakeTableDef } from '../sources/source.js';
import { storedOf } from '../sources/stored.js';
import type { Column, TableSchema } from '../sources/table-schema.js';

export type { LocalTableId } from '../sources/registry.js';

/**
 * Where the local lake keeps each table: data only, no I/O. The layout mirrors the Athena
 * tables' partitioning (Hive-style `name=value` directories) so DuckDB can prune files by
 * partition the way Athena prunes S3 prefixes. Each registered source has one table.
 */
export interface LocalTable {
  /** DuckDB view name */
  name: string;
  /** directory relative to the lake root */
  dir: string;
  schema: TableSchema;
  /** partition columns, outermost directory first */
  partitions: string[];
}

export function localTable(def: LakeTableDef): LocalTable {
  return { name: def.view, dir: def.dir, schema: def.schema, partitions: def.schema.partitions };
}

/** Every source's table definition, in registry order. */
export const LAKE_TABLES: readonly LakeTableDef<LocalTableId, RecordFormat>[] = REGISTRY.map((s) => s.lake);

/** The record formats, in registry order; a format may fill several tables (OCSF: Security Lake's). */
export const RECORD_FORMATS: readonly RecordFormat[] = [...new Set(LAKE_TABLES.map((t) => t.format))];

/** The tables a format's records go to, in registry order (the first that recognises one takes it). */
export function tablesOfFormat(format: string): readonly LakeTableDef<LocalTableId, RecordFormat>[] {
  return LAKE_TABLES.filter((t) => t.format === format);
}

/** The tables by id. */
export const LOCAL_TABLES = Object.fromEntries(LAKE_TABLES.map((d) => [d.id, localTable(d)])) as Record<
  LocalTableId,
  LocalTable
>;

/**
 * Hidden column in every Parquet file the importer writes: the record's dedup key. Views never
 * select it; the importer reads only this column to find what the lake already holds.
 */
export const KEY_COLUMN = '_hunt_key';

/**
 * Hidden column beside it: a hash of the record's text as it was staged. A duplicate whose text
 * hashes the same is the same record; only one whose text differs (another input shape, or a
 * real conflict) is compared column by column. Files written before it existed lack it.
 */
export const TEXT_HASH_COLUMN = '_hunt_text_hash';

/** Hive's spelling of a NULL partition value; DuckDB reads it back as NULL. */
export const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** Columns stored inside the Parquet files: the schema's columns minus those the path carries. */
export function storedColumns(table: LocalTable): Column[] {
  return storedOf(table.schema);
}

/**
 * A partition value as a path segment. DuckDB percent-decodes Hive values, so anything outside
 * a safe set is percent-encoded: a value can never add a path separator, climb out with `..`
 * (the segment always starts with `name=`) or smuggle glob characters into a directory name.
 */
export function encodePartitionValue(value: string | null): string {
  if (value === null) return NULL_PARTITION;
  if (/^[A-Za-z0-9_.-]*$/.test(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Relative directory of one partition, e.g. `region=us-east-1/year=2024/month=01/day=31`. */
export function partitionDir(table: LocalTable, values: (string | null)[]): string {
  if (values.length !== table.partitions.length) {
    throw new Error(`${table.name}: expected ${table.partitions.length} partition values, got ${values.length}`);
  }
  return table.partitions.map((p, i) => `${p}=${encodePartitionValue(values[i] ?? null)}`).join('/');
}

/** Absolute directory holding a table's files. */
export function tableRoot(lakeDir: string, table: LocalTable): string {
  return join(lakeDir, ...table.dir.split('/'));
}
