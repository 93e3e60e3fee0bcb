import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../duckdb.js';
import { LakeImportError } from './errors.js';
import { LAKE_TABLES, type LocalTableId, tablesOfFormat } from './layout.js';
import {
  buildMeta,
  ChunkLoader,
  countsByInput,
  deleteLines,
  LINES,
  META,
  StageLoadError,
  type InputCounts,
} from './load.js';
import { withLakeLock } from './lock.js';
import { prepareConnection } from './normalise-sql.js';
import { orList } from '../text/or-list.js';
import { emptyOutcome, type FileImportReport, MAX_PROBLEMS, type InputKind } from './outcome.js';
import { where } from './parse-input.js';
import type { RecordPiece } from './split-records.js';
import { sqlString } from './sql.js';
import { Stage, type PathHints, type Position, type Segment } from './stage.js';
import { commitFiles, STAGING_PREFIX, writeTable, type PendingFile } from './write-table.js';

/**
 * One import, start to end. Inputs are staged into a private DuckDB (see WORK_DB) in batches of
 * about BATCH_BYTES of JSON text; each batch is classified, written and committed into the
 * lake under its lock before the next, so memory stays bounded whatever the inputs' size. An
 * input that cannot be read is reported with its reason, and its records leave the batch; the
 * others import. Re-running an interrupted import adds exactly what is missing: records are
 * deduplicated by key against the lake.
 */

export { MAX_PROBLEMS, type FileImportReport } from './outcome.js';

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
  const touched = (t: (typeof LAKE_TABLES)[number]): boolean => summary[t.id].added + summary[t.id].duplicates > 0;
  // a format's narrower tables (Security Lake's data-event tables) only when they got records;
  // its last table always, when none of them did
  const shown = LAKE_TABLES.filter((t) => {
    const same = tablesOfFormat(t.format);
    return touched(t) || (same[same.length - 1] === t && !same.some(touched));
  });
  return shown
    .map((t) => `${t.title}: ${summary[t.id].added} added, ${summary[t.id].duplicates} already present`)
    .join('; ');
}

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

/**
 * Where an input puts its records. Calls go to the current batch; `ready()` may commit the
 * batch and start a new one in the middle of an input (a file bigger than a batch).
 */
export interface StageSink {
  /** start records added one by one, each with its position; `only` pins them to one table */
  openSegment(only?: LocalTableId): void;
  /** one record's JSON text (no raw newlines) into the open segment */
  addRecord(json: string, line: number, index: number): void;
  closeSegment(): void;
  /** records from the byte-level Records splitter */
  addPiece(piece: RecordPiece): void;
  /**
   * `count` records a query yields as `(k, line)` (a Parquet slice); rows before it: `rowBase`.
   * Resolves once they are loaded, with the bytes of JSON text they made.
   */
  addRows(count: number, rowBase: number, select: string): Promise<number>;
  /** for reading an input's own metadata (a Parquet footer), never the lake */
  readonly conn: DuckDBConnection;
  /** true when this input has records in a batch already committed (it cannot be re-read) */
  readonly committedSome: boolean;
  /** whether the current batch holds records of this input */
  hasRecords(): boolean;
  /** wait until staging may go on (and commit the batch when it is full) */
  ready(): Promise<void>;
}

/** What staging found out about an input as a whole. */
export interface StagedInput {
  notes: InputNotes;
  /** what the input turned out to be when it holds no records to count (a digest file) */
  kind?: Extract<InputKind, 'digest'>;
}

/** One input (a file, an S3 object, a list of in-memory records) and how to stage it. */
export interface ImportInput {
  name: string;
  /** partition hints from the input's path (Security Lake's `region=`/`accountId=`) */
  hints?: PathHints;
  /**
   * Append the input's records and return what was noticed on the way. `fast` allows the
   * byte-level Records splitter; false means parse everything in JavaScript. Throws
   * LakeImportError when the input cannot be read (the error names it and the reason).
   */
  stage(sink: StageSink, fast: boolean): Promise<StagedInput>;
  /**
   * Called once the input's report is final: `ok` when it was read (its records are committed:
   * an S3 object is then recorded as imported), false when it failed.
   */
  finished?(ok: boolean): Promise<void>;
}

/** The splitter staged records of an input that then turned out not to be a clean Records document. */
export class RetryWithoutFastPath extends Error {}

/**
 * JSON text staged per batch: big enough to amortise a commit, small enough that a batch, its
 * classification and its partitioned write stay within the DuckDB memory limit below (with 256
 * MB, a Security Lake Parquet batch ran out of memory at 512 MB; measured in bench/lake-memory.ts).
 */
export const BATCH_BYTES = 160 * 1024 * 1024;

export interface ImportOptions {
  /** JSON bytes per batch (BATCH_BYTES; smaller in tests, to cross batch boundaries) */
  batchBytes?: number;
  /** after each batch is committed and its inputs told (the S3 ledger is written then) */
  onCommitted?: () => Promise<void>;
}

interface ImportDb {
  /** for handing staged chunks to DuckDB in the background, two at a time */
  lanes: DuckDBConnection[];
  /** for everything else */
  conn: DuckDBConnection;
  close(): Promise<void>;
}

/** Chunks handed over at once, beside JavaScript's own work (sized for small machines). */
const LANES = 2;

/**
 * The batch's working tables live in a database file of their own with small row groups:
 * DuckDB scans a table one row group per thread, and a batch (~110,000 records) filled one
 * in-memory row group of 122,880 rows, so every pass over it ran on one core. With row groups
 * of 16,384 rows both cores work (the full parse and write went from 0.9 s to 0.6 s a batch).
 * Its pages reach the disk only when DuckDB evicts them, and no WAL is written: the tables
 * never outlive the import. The file is unlinked once open, so a killed import leaves nothing
 * behind (on POSIX systems).
 */
const WORK_DB = 'work';
const WORK_ROW_GROUP = 16_384;

async function attachWorkDb(conn: DuckDBConnection, dir: string): Promise<void> {
  const file = join(dir, 'work.duckdb');
  await conn.run(
    `ATTACH ${sqlString(file)} AS ${WORK_DB} (ROW_GROUP_SIZE ${WORK_ROW_GROUP}, RECOVERY_MODE no_wal_writes)`,
  );
  // Windows cannot unlink an open file: there it goes with the spill directory on close
  await unlink(file).catch(() => {});
}

async function openDuckDB(): Promise<ImportDb> {
  // DuckDB may spill a batch's tables: into a temp directory of its own, removed after. The
  // memory limit, with Node's own share, keeps an import under 1 GB resident whatever its input.
  const spill = await mkdtemp(join(tmpdir(), 'hunt-import-'));
  const instance = await duckdb.DuckDBInstance.create(':memory:', {
    temp_directory: spill,
    memory_limit: '448MB',
    // a partitioned write buffers each partition's rows until this many, then writes them out:
    // with a batch spread over many partitions the default held the whole batch in memory
    partitioned_write_flush_threshold: '8192',
    preserve_insertion_order: 'false',
    // DuckDB keeps what it reads of files in memory for the next query: every key file each
    // batch read for duplicates, until resident memory grew by ~25 MB a batch
    enable_external_file_cache: 'false',
    // Freed memory beyond this goes back to the OS: with more kept (32 MB and up), resident
    // memory grew by ~25 MB with every batch of a big import, never to come back
    allocator_flush_threshold: '8MB',
    allocator_bulk_deallocation_flush_threshold: '8MB',
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
      if (i === 0) await attachWorkDb(c, spill);
      await c.run(`USE ${WORK_DB}`);
      await prepareConnection(c);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const [conn, ...lanes] = conns as [DuckDBConnection, ...DuckDBConnection[]];
  return { conn, lanes, close };
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

function noTables(): Record<LocalTableId, TableImport> {
  return Object.fromEntries(LAKE_TABLES.map((t) => [t.id, { added: 0, duplicates: 0 }])) as Record<
    LocalTableId,
    TableImport
  >;
}

const byPosition = (a: Position, b: Position): number => a.line - b.line || a.index - b.index;

/** One batch: its stage, its loader, and which inputs it holds. */
interface Batch {
  stage: Stage;
  loader: ChunkLoader;
  /** JSON bytes staged (Parquet slices count double: see addRows) */
  bytes: number;
  inputs: Set<number>;
}

class Importer {
  private batch: Batch | undefined;
  readonly outcomes: FileImportReport[] = [];
  private readonly tables = noTables();
  private filesWritten = 0;
  /** inputs with records in a committed batch */
  private readonly committedInputs = new Set<number>();
  /** inputs fully staged, waiting for their batch to commit */
  private readonly waiting: number[] = [];
  private readonly notes: (InputNotes | undefined)[] = [];
  /** per input, problems found so far with their positions (sorted when its report is done) */
  private readonly pending: { position: Position; message: string }[][] = [];
  private staleCleared = false;

  /** the inputs, by index; a path that gave no input has only its report */
  private readonly inputs: ImportInput[] = [];

  constructor(
    private readonly db: ImportDb,
    private readonly lakeDir: string,
    private readonly batchBytes: number,
    private readonly onCommitted: () => Promise<void>,
  ) {}

  private async current(): Promise<Batch> {
    if (this.batch) return this.batch;
    const loader = await ChunkLoader.create(this.db.conn, this.db.lanes);
    const stage = new Stage(
      (first, ndjson) => {
        batch.bytes += ndjson.length;
        loader.load(first, ndjson);
      },
      () => loader.ready(),
    );
    const batch: Batch = { stage, loader, bytes: 0, inputs: new Set() };
    this.batch = batch;
    return batch;
  }

  /** Stage every input as it comes (S3 objects arrive as they download); reports keep their order. */
  async run(source: Iterable<ImportItem> | AsyncIterable<ImportItem>): Promise<void> {
    for await (const item of source) {
      const i = this.outcomes.length;
      this.notes.push(undefined);
      this.pending.push([]);
      if ('kind' in item) {
        this.outcomes.push(item);
        this.inputs.push(REPORTED);
        continue;
      }
      this.outcomes.push(emptyOutcome(item.name));
      this.inputs.push(item);
      await this.stageOne(i);
    }
    await this.commitBatch();
  }

  /** Whether a batch holds enough to be committed (bytes handed over, and gathered but not yet). */
  full(b: Batch): boolean {
    return b.bytes + b.stage.pendingBytes >= this.batchBytes;
  }

  /** Stage input i, retrying without the fast path when it needs to, and record its failure. */
  private async stageOne(i: number): Promise<void> {
    const input = this.inputs[i]!;
    for (const fast of [true, false]) {
      const sink = await this.sink(i);
      try {
        this.staged(i, await input.stage(sink, fast));
        if (this.batch && this.full(this.batch)) await this.commitBatch();
        return;
      } catch (e) {
        await this.dropInput(i);
        if (fast && e instanceof RetryWithoutFastPath && !sink.committedSome) continue;
        if (!(e instanceof LakeImportError || e instanceof RetryWithoutFastPath)) throw e;
        this.fail(i, e.message, sink.committedSome);
        this.finishReport(i);
        await input.finished?.(false);
        return;
      }
    }
  }

  /** Input i is staged: keep what staging noticed; its report is done when its batch commits. */
  private staged(i: number, staged: StagedInput): void {
    this.notes[i] = staged.notes;
    if (staged.kind) this.outcomes[i]!.kind = staged.kind;
    this.waiting.push(i);
  }

  private fail(i: number, message: string, committedSome: boolean): void {
    const o = this.outcomes[i]!;
    o.kind = 'error';
    o.error = committedSome
      ? `${message} (the records before the error were imported: the file is bigger than one batch)`
      : message;
  }

  private async sink(i: number): Promise<StageSink> {
    const importer = this;
    const hints = this.inputs[i]!.hints;
    let open: { only: LocalTableId | null; seg: Segment } | undefined;
    const batch = async (): Promise<Batch> => {
      const b = await importer.current();
      b.inputs.add(i);
      return b;
    };
    let b = await batch();
    /** this input's records in batches already committed, so positions go on counting */
    let earlier = 0;
    return {
      openSegment(only?: LocalTableId): void {
        open = { only: only ?? null, seg: b.stage.openSegment(i, only ?? null, hints) };
      },
      addRecord(json: string, line: number, index: number): void {
        if (!open) throw new Error('no open segment');
        b.stage.addRecord(open.seg, json, line, index);
      },
      closeSegment(): void {
        b.stage.closeSegment();
        open = undefined;
      },
      addPiece(piece: RecordPiece): void {
        b.stage.addPiece(i, piece, hints, earlier);
      },
      async addRows(count: number, rowBase: number, select: string): Promise<number> {
        const batch = b;
        const bytes = await batch.stage.addRows(
          i,
          count,
          rowBase,
          (first) => batch.loader.loadSql(first, count, select),
          hints,
        );
        // Parquet slices weigh double: reading them holds decoded row groups beside the text
        // (a Security Lake set went over 1 GB resident at the same batch size as JSON)
        batch.bytes += 2 * bytes;
        return bytes;
      },
      conn: importer.db.conn,
      get committedSome(): boolean {
        return importer.committedInputs.has(i);
      },
      hasRecords(): boolean {
        return b.stage.hasRecords(i);
      },
      async ready(): Promise<void> {
        await b.stage.ready();
        if (!importer.full(b)) return;
        // A file bigger than a batch: commit what it has staged so far and go on in a new one.
        b.stage.closeSegment();
        earlier += b.stage.recordsOf(i);
        await importer.commitBatch(i);
        b = await batch();
        if (open) open = { only: open.only, seg: b.stage.openSegment(i, open.only, hints) };
      },
    };
  }

  /** Take input i's records out of the current batch. */
  private async dropInput(i: number): Promise<void> {
    const b = this.batch;
    if (!b?.inputs.has(i)) return;
    const ranges = b.stage.drop(i);
    await b.loader.drain();
    await deleteLines(this.db.conn, ranges);
    b.inputs.delete(i);
  }

  /**
   * Classify, write and commit the current batch; `partial` is an input still being staged
   * (its report is completed later). Text the byte-level splitter let through that turns out
   * not to be valid JSON fails the batch's load: its inputs are then staged again without the
   * fast path (those already partly committed cannot be, and are reported).
   */
  private async commitBatch(partial?: number, isolated = false): Promise<void> {
    const b = this.batch;
    if (!b) return;
    this.batch = undefined;
    b.stage.close();
    try {
      await b.loader.finish(this.db.conn, b.stage.kept);
      if (b.stage.kept > 0) await buildMeta(this.db.conn, b.stage);
    } catch (e) {
      if (!(e instanceof StageLoadError) || isolated) throw e;
      await this.restageSlowly(b, partial, e);
      return;
    }
    const counts = b.stage.kept > 0 ? await countsWritten(this) : new Map<number, InputCounts>();
    for (const [input, c] of counts) this.addCounts(input, c, b.stage);
    for (const s of b.stage.filled) this.committedInputs.add(s.input);
    await this.dropTables();
    const done = this.waiting.splice(0);
    for (const i of done) {
      this.finishReport(i);
      await this.inputs[i]!.finished?.(this.outcomes[i]!.kind !== 'error');
    }
    await this.onCommitted();

    async function countsWritten(self: Importer): Promise<Map<number, InputCounts>> {
      const usable = await self.anyUsable();
      if (usable) {
        const written = await withLakeLock(self.lakeDir, () => self.writeAll());
        self.filesWritten += written;
      }
      return countsByInput(self.db.conn, MAX_PROBLEMS);
    }
  }

  /**
   * The batch's load failed on text the splitter let through (or data DuckDB could not read):
   * stage its inputs again without the fast path, each in a batch of its own, so an input that
   * still fails is found and reported alone.
   */
  private async restageSlowly(b: Batch, partial: number | undefined, cause: StageLoadError): Promise<void> {
    await this.dropTables();
    const again = [...b.inputs].sort((x, y) => x - y);
    this.waiting.splice(0);
    for (const i of again) {
      if (this.committedInputs.has(i) || i === partial) {
        this.fail(i, `${this.inputs[i]!.name}: not valid JSON text (${cause.message})`, this.committedInputs.has(i));
        if (i !== partial) {
          this.finishReport(i);
          await this.inputs[i]!.finished?.(false);
        }
        continue;
      }
      const sink = await this.sink(i);
      try {
        this.staged(i, await this.inputs[i]!.stage(sink, false));
        await this.commitBatch(undefined, true);
      } catch (e) {
        await this.dropInput(i);
        this.batch = undefined;
        await this.dropTables();
        this.waiting.splice(0);
        const reason =
          e instanceof StageLoadError ? `${this.inputs[i]!.name}: unreadable data (${e.message})` : undefined;
        if (reason === undefined && !(e instanceof LakeImportError)) throw e;
        this.fail(i, reason ?? (e as Error).message, false);
        this.finishReport(i);
        await this.inputs[i]!.finished?.(false);
      }
    }
    if (partial !== undefined) throw new LakeImportError(`${this.inputs[partial]!.name}: not valid JSON text`);
  }

  private async anyUsable(): Promise<boolean> {
    const r = await this.db.conn.runAndReadAll(
      `SELECT count(*) FROM ${META} WHERE problem IS NULL AND hunt_tbl IS NOT NULL`,
    );
    return Number(r.getRows()[0]?.[0] ?? 0) > 0;
  }

  private async dropTables(): Promise<void> {
    await this.db.conn.run(`DROP TABLE IF EXISTS ${META}`);
    await this.db.conn.run(`DROP TABLE IF EXISTS ${LINES}`);
  }

  private addCounts(i: number, c: InputCounts, stage: Stage): void {
    const o = this.outcomes[i]!;
    for (const t of LAKE_TABLES) o.tables[t.id] = (o.tables[t.id] ?? 0) + c.records[t.id];
    o.added += c.added;
    o.duplicates += c.duplicates;
    o.conflicts += c.conflicts;
    o.skipped += c.skipped;
    for (const p of c.problems) {
      this.pending[i]!.push({ position: stage.locate(p.seq).position, message: p.message });
    }
    for (const r of c.reasons) {
      const mine = o.reasons.find((x) => x.message === r.message);
      if (mine) mine.count += r.count;
      else o.reasons.push({ ...r });
    }
  }

  /** Fold staging notes into input i's report and decide its kind. */
  private finishReport(i: number): void {
    const o = this.outcomes[i]!;
    const notes = this.notes[i];
    if (notes) {
      o.skipped += notes.skipped;
      this.pending[i]!.push(...notes.problems);
      for (const p of notes.problems) {
        const mine = o.reasons.find((x) => x.message === p.message);
        if (mine) mine.count++;
        else o.reasons.push({ message: p.message, count: 1, unsupported: false });
      }
    }
    o.problems = this.pending[i]!.sort((a, b) => byPosition(a.position, b.position))
      .slice(0, MAX_PROBLEMS)
      .map((p) => `${where(p.position.line, p.position.index)}: ${p.message}`);
    this.pending[i] = [];
    o.reasons.sort((a, b) => b.count - a.count || a.message.localeCompare(b.message));
    o.reasons.splice(MAX_PROBLEMS);
    o.records = Object.values(o.tables).reduce((n, v) => n + v, 0);
    if (o.kind === 'error' || o.kind === 'digest') return;
    const found = LAKE_TABLES.filter((t) => (o.tables[t.id] ?? 0) > 0);
    if (new Set(found.map((t) => t.format)).size > 1) o.kind = 'mixed';
    else if (found[0]) o.kind = found[0].format;
    else if (o.skipped === 0) o.kind = 'empty';
    else if (o.reasons.every((r) => r.unsupported)) o.kind = 'unsupported';
    else {
      // content, but not one usable record: most likely the wrong file
      o.kind = 'error';
      const detail = notes?.detail ? ` (not one JSON document: ${notes.detail})` : '';
      const first = o.problems[0] ? `; first problem: ${o.problems[0]}` : '';
      o.error = `${o.file}: no recognisable ${LABELS} records${detail}; ${o.skipped} skipped${first}`;
    }
  }

  private async writeAll(): Promise<number> {
    if (!this.staleCleared) {
      await removeStaleStaging(this.lakeDir);
      this.staleCleared = true;
    }
    const staging = await mkdtemp(join(this.lakeDir, STAGING_PREFIX));
    try {
      const pending: PendingFile[] = [];
      for (const { id } of LAKE_TABLES) {
        const r = await writeTable(this.db.conn, this.lakeDir, staging, id, pending);
        this.tables[id].added += r.added;
        this.tables[id].duplicates += r.duplicates;
      }
      // Only now, with every table written, do files become visible.
      await commitFiles(pending);
      return pending.length;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  summary(): ImportSummary {
    return { files: this.outcomes, filesWritten: this.filesWritten, ...this.tables };
  }
}

/** "CloudTrail or OCSF", from the registry */
const LABELS = orList([...new Set(LAKE_TABLES.map((t) => t.label))]);

/** An input to import, or the report of one that failed before it could be (a missing path, a failed download). */
export type ImportItem = ImportInput | FileImportReport;

/** Stands in the list for an input that came as a report. */
const REPORTED: ImportInput = {
  name: '',
  stage: () => Promise.reject(new Error('a reported input is not staged')),
};

export async function runImport(
  lakeDir: string,
  inputs: Iterable<ImportItem> | AsyncIterable<ImportItem>,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const db = await openDuckDB();
  try {
    const importer = new Importer(db, lakeDir, opts.batchBytes ?? BATCH_BYTES, opts.onCommitted ?? (async () => {}));
    await importer.run(inputs);
    return importer.summary();
  } catch (e) {
    if (e instanceof LakeImportError) throw e;
    throw new LakeImportError(`import into ${lakeDir} failed: ${(e as Error).message}`, undefined, { cause: e });
  } finally {
    await db.close();
  }
}
