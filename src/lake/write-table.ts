import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from '../duckdb.js';
import { KEY_COLUMN, partitionDir, tableRoot, TEXT_HASH_COLUMN, type LocalTableId } from './layout.js';
import { TABLE_SQL } from './normalise-sql.js';
import { CONFLICT, DUP, KEY, LINES, META, partColumn, PROBLEM, SEQ, TBL } from './load.js';
import { sqlIdent, sqlString } from './sql.js';

/**
 * Turns one table's usable rows into new Parquet files, one per partition. Append-only:
 * existing files are never rewritten; records whose key the import already had, or the lake's
 * touched partitions already hold, are dropped. Files are written into a staging directory the
 * views' globs do not cover and renamed into place only by `commitFiles`, once every table has
 * been written.
 */

/** Prefix of an import's staging directory inside the lake; a crashed import's is removed by the next. */
export const STAGING_PREFIX = '.hunt-staging-';
const PART = '_hunt_part';
/** temp table: the usable records of the table being written, with their partition's number */
const PLACED = 'placed';

export interface PendingFile {
  temp: string;
  final: string;
}

export interface TableWriteResult {
  added: number;
  duplicates: number;
}

/** Parquet files in a directory (none when it does not exist yet); hidden names are not data. */
export async function parquetFilesIn(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => n.endsWith('.parquet') && !n.startsWith('.')).map((n) => join(dir, n));
}

/** `part-20240131T120000123Z-1a2b3c4d5e6f`: sortable by import time, unique by the random tail. */
export function newFileBase(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `part-${stamp}-${randomBytes(6).toString('hex')}`;
}

async function countOf(conn: DuckDBConnection, sql: string, params?: Record<string, DuckDBValue>): Promise<number> {
  return Number((await conn.runAndReadAll(sql, params)).getRows()[0]?.[0] ?? 0);
}

/** The table's usable records in `meta` not (yet) found to be duplicates (alias prefix optional). */
const usable = (id: LocalTableId, alias = ''): string =>
  `${alias}${TBL} = ${sqlString(id)} AND ${alias}${PROBLEM} IS NULL AND ${alias}${DUP} IS NULL`;

/** SQL parsing the lines of the table's records in `meta` matching `where` (alias m), as raw alias r. */
function parsed(id: LocalTableId, extra: string, where: string, joins = ''): string {
  return (
    `(SELECT ${extra}unnest(from_json(l.line, ${TABLE_SQL[id].structure})) ` +
    `FROM ${LINES} l JOIN ${META} m ON l.${SEQ} = m.${SEQ} ${joins}WHERE ${where}) r`
  );
}

/**
 * Records without an id of their own get a hash of the row's canonical JSON: the stored
 * columns in schema order, unknown keys dropped (exactly what the lake would hold).
 */
async function hashMissingKeys(conn: DuckDBConnection, id: LocalTableId): Promise<void> {
  const missing = `${usable(id, 'm.')} AND m.${KEY} IS NULL`;
  if ((await countOf(conn, `SELECT count(*) FROM ${META} m WHERE ${missing}`)) === 0) return;
  const fields = TABLE_SQL[id].columns.map((c) => `${sqlIdent(c.name)} := ${c.expr}`);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE hashed AS SELECT r.${SEQ}, ` +
      `'sha256:' || sha256(to_json(struct_pack(${fields.join(', ')}))) AS k FROM ${parsed(id, `m.${SEQ}, `, missing)}`,
  );
  await conn.run(`UPDATE ${META} SET ${KEY} = h.k FROM hashed h WHERE ${META}.${SEQ} = h.${SEQ}`);
  await conn.run('DROP TABLE hashed');
}

/** The content of a row as the lake would hold it, as one comparable value. */
function contentHash(columns: { name: string; expr: string }[]): string {
  return `md5(to_json(struct_pack(${columns.map((c) => `${sqlIdent(c.name)} := ${c.expr}`).join(', ')})))`;
}

/**
 * Flag as conflicts the duplicates (meta rows matching `dups`, alias m) whose content differs
 * from the record kept, given as `kept(seq, key, th)`: the text hash of the kept record per key.
 * Equal text is the same record; the others are parsed and compared as the lake would hold them,
 * against `keptContent(key, h)` (only ever over the keys of those few).
 */
async function flagConflicts(
  conn: DuckDBConnection,
  id: LocalTableId,
  dups: string,
  keptText: string,
  keptContent: (keys: string) => string,
  params?: Record<string, DuckDBValue>,
): Promise<void> {
  const t = TABLE_SQL[id];
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE suspect AS SELECT m.${SEQ}, m.${KEY} FROM ${META} m JOIN ${LINES} l ON l.${SEQ} = m.${SEQ} ` +
      `WHERE ${dups} AND hash(l.line) NOT IN (SELECT th FROM (${keptText}) k WHERE k.${KEY} = m.${KEY} AND th IS NOT NULL)`,
    params,
  );
  if ((await countOf(conn, 'SELECT count(*) FROM suspect')) > 0) {
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE content AS SELECT r.${SEQ}, r.${KEY}, ${contentHash(t.columns)} AS h ` +
        `FROM ${parsed(id, `m.${SEQ}, m.${KEY}, `, `m.${SEQ} IN (SELECT ${SEQ} FROM suspect)`)}`,
    );
    await conn.run(
      `UPDATE ${META} SET ${CONFLICT} = true FROM content c WHERE ${META}.${SEQ} = c.${SEQ} AND c.h NOT IN ` +
        `(SELECT h FROM (${keptContent(`SELECT ${KEY} FROM suspect`)}) k WHERE k.${KEY} = c.${KEY})`,
      params,
    );
    await conn.run('DROP TABLE content');
  }
  await conn.run('DROP TABLE suspect');
}

/**
 * Mark all but the first of the records sharing a key within this import as repeats, and
 * those whose content differs from the first's as conflicts. Returns how many repeats.
 */
async function markRepeats(conn: DuckDBConnection, id: LocalTableId): Promise<number> {
  const n = await countOf(
    conn,
    `UPDATE ${META} SET ${DUP} = 'repeat' WHERE ${SEQ} IN (SELECT ${SEQ} FROM ${META} WHERE ${usable(id)} ` +
      `QUALIFY row_number() OVER (PARTITION BY ${KEY} ORDER BY ${SEQ}) > 1)`,
  );
  if (n === 0) return 0;
  const t = TABLE_SQL[id];
  // the kept record of each repeated key: the usable one (the repeats are marked)
  const kept = (keys: string): string =>
    `SELECT m.${SEQ}, m.${KEY} FROM ${META} m WHERE ${usable(id, 'm.')} AND m.${KEY} IN (${keys})`;
  const repeated = `SELECT ${KEY} FROM ${META} WHERE ${TBL} = ${sqlString(id)} AND ${DUP} = 'repeat'`;
  await flagConflicts(
    conn,
    id,
    `m.${TBL} = ${sqlString(id)} AND m.${DUP} = 'repeat'`,
    `SELECT k.${KEY}, hash(l.line) AS th FROM (${kept(repeated)}) k JOIN ${LINES} l ON l.${SEQ} = k.${SEQ}`,
    (keys) =>
      `SELECT r.${KEY}, ${contentHash(t.columns)} AS h FROM ${parsed(id, `m.${KEY}, `, `${usable(id, 'm.')} AND m.${KEY} IN (${keys})`)}`,
  );
  return n;
}

/** Temp table `parts`: each distinct partition of the table's records with a small integer id. */
async function partitions(conn: DuckDBConnection, id: LocalTableId): Promise<Map<number, (string | null)[]>> {
  const cols = TABLE_SQL[id].rule.partitions.map((_, i) => partColumn(i)).join(', ');
  // Each record with its partition's number (and key), so the write joins on the seq alone: a
  // join on the partition values (IS NOT DISTINCT FROM, four columns) cost a tenth of the write.
  // Not a TEMP table: those are in memory, one row group, and the write's join scans this one
  // in parallel only with the work database's small row groups (see pipeline.ts).
  await conn.run(
    `CREATE OR REPLACE TABLE ${PLACED} AS SELECT ${SEQ}, ${KEY}, (dense_rank() OVER (ORDER BY ${cols}) - 1)::INTEGER AS ${PART}, ${cols} ` +
      `FROM ${META} WHERE ${usable(id)}`,
  );
  const out = new Map<number, (string | null)[]>();
  for (const [p, ...values] of (
    await conn.runAndReadAll(`SELECT DISTINCT ${PART}, ${cols} FROM ${PLACED}`)
  ).getRows()) {
    out.set(
      Number(p),
      values.map((v) => (v === null ? null : String(v))),
    );
  }
  return out;
}

/** Whether every file has a column (DuckDB's union_by_name cannot read one no file has). */
async function allHave(conn: DuckDBConnection, files: DuckDBValue, column: string): Promise<boolean> {
  const r = await conn.runAndReadAll(
    `SELECT count(DISTINCT file_name) FILTER (WHERE name = ${sqlString(column)}), count(DISTINCT file_name) FROM parquet_schema($files)`,
    { files },
  );
  const [have, all] = r.getRows()[0] ?? [0, 0];
  return Number(have) === Number(all);
}

/**
 * Mark records whose key a touched partition already holds, reading only the key column, and
 * those whose content differs from the stored record as conflicts. Returns how many were known.
 */
async function markKnown(conn: DuckDBConnection, id: LocalTableId, dirs: string[]): Promise<number> {
  const files = (await Promise.all(dirs.map(parquetFilesIn))).flat();
  if (files.length === 0) return 0;
  const list = { files: duckdb.listValue(files) };
  // The lake's keys are streamed past this batch's (the hash table is built over the batch's
  // keys, not over everything the touched partitions hold: that grew with the lake). Every file
  // the importer writes has the key column, so no union_by_name: it reads every file's footer
  // before the first row, and the memory that took grew with the partitions' files.
  const n = await countOf(
    conn,
    `UPDATE ${META} SET ${DUP} = 'known' WHERE ${usable(id)} AND ${KEY} IN ` +
      `(SELECT ${KEY_COLUMN} FROM read_parquet($files) ` +
      `WHERE ${KEY_COLUMN} IN (SELECT ${KEY} FROM ${META} WHERE ${usable(id)}))`,
    list,
  );
  if (n === 0) return 0;
  const t = TABLE_SQL[id];
  // by column name over files several hunt versions wrote (union_by_name), but read only for the
  // few known records whose text differs from the stored one's
  const stored = `read_parquet($files, union_by_name = true)`;
  // files written before the text hash existed: every known record is compared by content
  const textHash = (await allHave(conn, list.files, TEXT_HASH_COLUMN)) ? TEXT_HASH_COLUMN : 'NULL::UBIGINT';
  await flagConflicts(
    conn,
    id,
    `m.${TBL} = ${sqlString(id)} AND m.${DUP} = 'known'`,
    `SELECT ${KEY_COLUMN} AS ${KEY}, ${textHash} AS th FROM read_parquet($files)`,
    (keys) =>
      `SELECT ${KEY_COLUMN} AS ${KEY}, ${contentHash(t.columns.map((c) => ({ name: c.name, expr: sqlIdent(c.name) })))} AS h ` +
      `FROM ${stored} WHERE ${KEY_COLUMN} IN (${keys})`,
    list,
  );
  return n;
}

/**
 * Write one table's usable records into `stagingDir` (inside the lake, so the final rename is
 * atomic) and add each new file to `pending` with its final place. The records are parsed in
 * full only here, streaming into DuckDB's partitioned COPY, which writes every partition in one
 * pass (a COPY per partition was twice as slow). Its directories are named by partition id,
 * never by data; each file then moves to the layout's own (escaped) partition directory.
 */
export async function writeTable(
  conn: DuckDBConnection,
  lakeDir: string,
  stagingDir: string,
  id: LocalTableId,
  pending: PendingFile[],
): Promise<TableWriteResult> {
  const t = TABLE_SQL[id];
  await hashMissingKeys(conn, id);
  const repeats = await markRepeats(conn, id);
  const parts = await partitions(conn, id);
  const root = tableRoot(lakeDir, t.table);
  const dirs = new Map([...parts].map(([p, values]) => [p, join(root, ...partitionDir(t.table, values).split('/'))]));
  const known = await markKnown(conn, id, [...dirs.values()]);
  const added = await countOf(conn, `SELECT count(*) FROM ${META} WHERE ${usable(id)}`);
  if (added > 0) {
    const columns = t.columns.map((c) => `${c.expr} AS ${sqlIdent(c.name)}`);
    if (known > 0) {
      await conn.run(
        `DELETE FROM ${PLACED} WHERE ${SEQ} IN (SELECT ${SEQ} FROM ${META} WHERE ${TBL} = ${sqlString(id)} AND ${DUP} = 'known')`,
      );
    }
    const source =
      `(SELECT p.${KEY} AS ${KEY_COLUMN}, hash(l.line) AS ${TEXT_HASH_COLUMN}, p.${PART}, ` +
      `unnest(from_json(l.line, ${t.structure})) FROM ${LINES} l JOIN ${PLACED} p ON l.${SEQ} = p.${SEQ}) r`;
    const out = join(stagingDir, id);
    // (Sorting by partition first made the writer's work lighter but cost more than it saved.)
    await conn.run(
      `COPY (SELECT ${columns.join(', ')}, r.${KEY_COLUMN}, r.${TEXT_HASH_COLUMN}, r.${PART} FROM ${source}) ` +
        `TO ${sqlString(out)} (FORMAT parquet, PARTITION_BY (${PART}))`,
    );
    const base = newFileBase();
    for (const [p, dir] of dirs) {
      const files = await parquetFilesIn(join(out, `${PART}=${p}`));
      files.forEach((temp, i) => pending.push({ temp, final: join(dir, `${base}-${i}.parquet`) }));
    }
  }
  await conn.run(`DROP TABLE IF EXISTS ${PLACED}`);
  return { added, duplicates: repeats + known };
}

/** Make the new files visible: flush each to disk, then rename it into its partition directory. */
export async function commitFiles(files: PendingFile[]): Promise<void> {
  // Flushing is independent per file and dominated by waiting on the disk: all at once (the
  // libuv pool bounds the concurrency). Renames stay in order, after every flush.
  await Promise.all(files.map((f) => flushFile(f.temp)));
  for (const f of files) {
    await mkdir(dirname(f.final), { recursive: true });
    await rename(f.temp, f.final);
  }
}

async function flushFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
