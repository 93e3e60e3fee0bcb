import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../duckdb.js';
import { duckdbType } from '../sources/table-schema.js';
import { LOCAL_TABLES, tableRoot, type LocalTable } from './layout.js';
import { globEscape, sqlIdent, sqlString } from './sql.js';

/**
 * Opens a local lake for querying: an in-memory DuckDB with one view per table over its Hive
 * partitioned Parquet files, shaped exactly like the Athena table (plus partition columns).
 */
export interface OpenLake {
  connection: DuckDBConnection;
  close(): Promise<void>;
}

/** The view's columns in order: the table's columns, then partition columns it does not already have. */
export function viewColumns(table: LocalTable): { name: string; type: string }[] {
  const cols = table.schema.columns.map((c) => ({ name: c.name, type: duckdbType(c.type) }));
  const extra = table.partitions.filter((p) => !cols.some((c) => c.name === p));
  return [...cols, ...extra.map((p) => ({ name: p, type: 'VARCHAR' }))];
}

/** Whether any visible Parquet file exists below `dir` (temp files of an import are not). */
export async function hasParquetFiles(dir: string): Promise<boolean> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw e;
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.parquet')) return true;
  }
  for (const e of entries) {
    if (e.isDirectory() && (await hasParquetFiles(join(dir, e.name)))) return true;
  }
  return false;
}

const globOf = (table: LocalTable, lakeDir: string): string => `${globEscape(tableRoot(lakeDir, table))}/**/*.parquet`;

/**
 * read_parquet over a table's files; partition columns come from the path, always as VARCHAR.
 * `unionByName` is only needed when files differ in columns (written by different versions of
 * the schema): it makes DuckDB read every file's footer on every query, 3-4x the cost of a
 * small query, so views use it only when the lake needs it.
 */
export function parquetViewSql(table: LocalTable, lakeDir: string, unionByName = true): string {
  const glob = globOf(table, lakeDir);
  const hiveTypes = `{${table.partitions.map((p) => `${sqlString(p)}: 'VARCHAR'`).join(', ')}}`;
  const columns = viewColumns(table)
    .map((c) => sqlIdent(c.name))
    .join(', ');
  return (
    `CREATE OR REPLACE VIEW ${sqlIdent(table.name)} AS SELECT ${columns} FROM read_parquet(${sqlString(glob)}, ` +
    `hive_partitioning = true, hive_types = ${hiveTypes}${unionByName ? ', union_by_name = true' : ''})`
  );
}

/**
 * An empty relation with the view's typed columns. DuckDB cannot create a read_parquet view when
 * the glob matches nothing, and queries must still work on an empty table. Such a view stays
 * empty for this connection: reopen the lake to see files imported later.
 */
export function emptyViewSql(table: LocalTable): string {
  const columns = viewColumns(table)
    .map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`)
    .join(', ');
  return `CREATE OR REPLACE VIEW ${sqlIdent(table.name)} AS SELECT ${columns} WHERE false`;
}

/** Whether every file of a table has the same columns (read once per open, from the footers). */
async function sameColumns(conn: DuckDBConnection, table: LocalTable, lakeDir: string): Promise<boolean> {
  const r = await conn.runAndReadAll(
    `SELECT count(DISTINCT cols) AS n FROM (SELECT file_name, string_agg(name || ':' || coalesce(type, ''), ',' ORDER BY name) AS cols ` +
      `FROM parquet_schema(${sqlString(globOf(table, lakeDir))}) GROUP BY file_name)`,
  );
  return Number(r.getRowObjects()[0]?.n) === 1;
}

export async function openLake(lakeDir: string): Promise<OpenLake> {
  const dir = resolve(lakeDir);
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    // Detections reason in UTC (CloudTrail times are UTC); never the host's zone.
    await connection.run(`SET TimeZone = 'UTC'`);
    for (const table of Object.values(LOCAL_TABLES)) {
      const sql = (await hasParquetFiles(tableRoot(dir, table)))
        ? parquetViewSql(table, dir, !(await sameColumns(connection, table, dir)))
        : emptyViewSql(table);
      await connection.run(sql);
    }
  } catch (e) {
    connection?.closeSync();
    instance.closeSync();
    throw e;
  }
  const conn = connection;
  return {
    connection: conn,
    async close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
