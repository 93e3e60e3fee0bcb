import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orList } from '../text/or-list.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../duckdb.js';
import { LakeImportError } from './errors.js';
import type { RecordFormat } from '../sources/registry.js';
import { LAKE_TABLES, type LocalTableId } from './layout.js';
import { buildMeta, ChunkLoader, countsByInput, noRecords, StageLoadError, type InputCounts } from './load.js';
import { withLakeLock } from './lock.js';
import { prepareConnection } from './normalise-sql.js';
import { where } from './parse-input.js';
import { Stage, type Position } from './stage.js';
import { commitFiles, STAGING_PREFIX, writeTable, type PendingFile } from './write-table.js';

/**
 * One import, start to end: stage every input into a private in-memory DuckDB, classify the
 * staged records, reject the import if an input is unusable, and only then write new files
 * into the lake under its lock. A fatal problem anywhere leaves the lake untouched.
 */

export interface FileImportReport {
  file: string;
  /** the format of its records (a source's), `mixed` for several, `empty` for none */
  format: RecordFormat | 'mixed' | 'empty';
  records: number;
  skipped: number;
  /** the first few bad-line messages, with line numbers */
  problems: string[];
}

export interface TableImport {
  added: number;
  duplicates: number;
}

/** The reports, files written, and per table (`cloudtrail`, `securityLake`, ...) what was added. */
export type ImportSummary = {
  files: FileImportReport[];
  filesWritten: number;
} & Record<LocalTableId, TableImport>;

/** What an import added to each table: "cloudtrail: 2 added, 0 already present; security lake: ...". */
export function describeAdded(summary: ImportSummary): string {
  return LAKE_TABLES.map(
    (t) => `${t.title}: ${summary[t.id].added} added, ${summary[t.id].duplicates} already present`,
  ).join('; ');
}

/** How many problem messages a report keeps; the rest are only counted. */
export const MAX_PROBLEMS = 10;

/** What staging an input found before DuckDB saw it: bad lines, non-object items. */
export class InputNotes {
  skipped = 0;
  problems: { position: Position; message: string }[] = [];
  /** why a whole-document parse failed, when the input was read line by line */
  detail?: string;

  skip(line: number, index: number, message: string): void {
    this.skipped++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ position: { line, index }, message });
  }
}

/** One input (a file, or a list of in-memory records) and how to stage it. */
export interface ImportInput {
  name: string;
  /**
   * Append the input's records to the stage and return what was noticed on the way. `fast`
   * allows the byte-level Records splitter; false means parse everything in JavaScript.
   */
  stage(stage: Stage, input: number, fast: boolean): Promise<InputNotes>;
}

const byPosition = (a: Position, b: Position): number => a.line - b.line || a.index - b.index;

function report(name: string, notes: InputNotes, counts: InputCounts | undefined, stage: Stage): FileImportReport {
  const records = counts?.records ?? noRecords();
  const sqlProblems = (counts?.problems ?? []).map((p) => ({
    position: stage.locate(p.seq).position,
    message: p.message,
  }));
  const problems = [...notes.problems, ...sqlProblems]
    .sort((a, b) => byPosition(a.position, b.position))
    .slice(0, MAX_PROBLEMS)
    .map((p) => `${where(p.position.line, p.position.index)}: ${p.message}`);
  const found = LAKE_TABLES.filter((t) => records[t.id] > 0);
  const format = found.length > 1 ? 'mixed' : (found[0]?.format ?? 'empty');
  return {
    file: name,
    format,
    records: LAKE_TABLES.reduce((n, t) => n + records[t.id], 0),
    skipped: notes.skipped + (counts?.skipped ?? 0),
    problems,
  };
}

/** "CloudTrail or OCSF", from the registry */
const LABELS = orList(LAKE_TABLES.map((t) => t.label));

/** An input with content but not one usable record is most likely the wrong file: refuse it. */
function requireRecords(r: FileImportReport, notes: InputNotes): void {
  if (r.records > 0 || r.skipped === 0) return;
  const detail = notes.detail ? ` (not one JSON document: ${notes.detail})` : '';
  const first = r.problems[0] ? `; first problem: ${r.problems[0]}` : '';
  throw new LakeImportError(
    `${r.file}: no recognisable ${LABELS} records${detail}; ${r.skipped} skipped${first}`,
    r.file,
  );
}

/** The splitter staged records of an input that then turned out not to be a clean Records document. */
export class RetryWithoutFastPath extends Error {}

interface ImportDb {
  /** for handing staged chunks to DuckDB in the background, two at a time */
  lanes: DuckDBConnection[];
  /** for everything else */
  conn: DuckDBConnection;
  close(): Promise<void>;
}

/** Chunks handed over at once, beside JavaScript's own work (sized for small machines). */
const LANES = 2;

async function openDuckDB(): Promise<ImportDb> {
  // DuckDB may spill a big import's tables: into a temp directory of its own, removed after.
  // Freed memory is kept for reuse rather than returned to the OS after each query: first
  // touches of fresh memory were the largest single cost of an import on small VMs.
  const spill = await mkdtemp(join(tmpdir(), 'hunt-import-'));
  const instance = await duckdb.DuckDBInstance.create(':memory:', {
    temp_directory: spill,
    allocator_flush_threshold: '4GB',
    allocator_bulk_deallocation_flush_threshold: '4GB',
  });
  const conns: DuckDBConnection[] = [];
  const close = async (): Promise<void> => {
    for (const c of conns) c.closeSync();
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i <= LANES; i++) {
      const c = await instance.connect();
      conns.push(c);
      await prepareConnection(c);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const [conn, ...lanes] = conns as [DuckDBConnection, ...DuckDBConnection[]];
  return { conn, lanes, close };
}

/**
 * Stage every input while DuckDB takes in the chunks already staged, then classify all
 * records. StageLoadError: text the byte-level splitter let through is not valid JSON.
 */
async function stageInputs(
  db: ImportDb,
  inputs: ImportInput[],
  fast: boolean,
): Promise<{ stage: Stage; notes: InputNotes[] }> {
  const loader = await ChunkLoader.create(db.conn, db.lanes);
  const stage = new Stage(
    (first, ndjson) => loader.load(first, ndjson),
    () => loader.ready(),
  );
  const notes: InputNotes[] = [];
  try {
    for (const [i, input] of inputs.entries()) {
      notes.push(await input.stage(stage, i, fast));
      // Loading failed on text the splitter let through: no use staging more.
      if (loader.failed) break;
    }
    stage.close();
  } catch (e) {
    await loader.settle();
    throw e;
  }
  await loader.finish(db.conn, stage.rows);
  if (stage.rows > 0) await buildMeta(db.conn, stage);
  return { stage, notes };
}

/** Staging directories left by a crashed import (safe to remove: we hold the lake's lock). */
async function removeStaleStaging(lakeDir: string): Promise<void> {
  const names = await readdir(lakeDir);
  await Promise.all(
    names
      .filter((n) => n.startsWith(STAGING_PREFIX))
      .map((n) => rm(join(lakeDir, n), { recursive: true, force: true })),
  );
}

async function writeAll(conn: DuckDBConnection, lakeDir: string): Promise<Omit<ImportSummary, 'files'>> {
  await removeStaleStaging(lakeDir);
  const staging = await mkdtemp(join(lakeDir, STAGING_PREFIX));
  try {
    const pending: PendingFile[] = [];
    const tables: Partial<Record<LocalTableId, TableImport>> = {};
    for (const { id } of LAKE_TABLES) tables[id] = await writeTable(conn, lakeDir, staging, id, pending);
    // Only now, with every table written, do files become visible.
    await commitFiles(pending);
    return { ...(tables as Record<LocalTableId, TableImport>), filesWritten: pending.length };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function nothing(): Omit<ImportSummary, 'files'> {
  const none = Object.fromEntries(LAKE_TABLES.map((t) => [t.id, { added: 0, duplicates: 0 }]));
  return { ...(none as Record<LocalTableId, TableImport>), filesWritten: 0 };
}

export async function runImport(lakeDir: string, inputs: ImportInput[]): Promise<ImportSummary> {
  for (let attempt = 0; ; attempt++) {
    const fast = attempt === 0;
    const db = await openDuckDB();
    try {
      let staged: { stage: Stage; notes: InputNotes[] };
      try {
        staged = await stageInputs(db, inputs, fast);
      } catch (e) {
        // Text the byte-level splitter let through is not a clean Records document: parse
        // everything in JavaScript instead, which finds and reports the bad records.
        if (fast && (e instanceof StageLoadError || e instanceof RetryWithoutFastPath)) continue;
        throw e;
      }
      const { stage, notes } = staged;
      const counts = stage.rows > 0 ? await countsByInput(db.conn, MAX_PROBLEMS) : new Map<number, InputCounts>();
      const files = inputs.map((input, i) => report(input.name, notes[i]!, counts.get(i), stage));
      files.forEach((r, i) => requireRecords(r, notes[i]!));
      if (files.every((r) => r.records === 0)) return { files, ...nothing() };
      const written = await withLakeLock(lakeDir, () => writeAll(db.conn, lakeDir));
      return { files, ...written };
    } catch (e) {
      if (e instanceof LakeImportError) throw e;
      throw new LakeImportError(`import into ${lakeDir} failed: ${(e as Error).message}`, undefined, { cause: e });
    } finally {
      await db.close();
    }
  }
}
