import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LakeImportError } from './errors.js';
import { emptyOutcome, type FileImportReport } from './outcome.js';
import { inspectParquet, isParquet, parquetLinesSql, pathHints } from './parquet-input.js';
import { InputNotes, type ImportInput, type StageSink, type StagedInput } from './pipeline.js';
import { bufferSource, type ByteSource, fileSource } from './read-input.js';
import { stageJson } from './stage-json.js';

/**
 * Local inputs of an import: files as given, and directories walked recursively for the files
 * AWS writes logs in. Each file becomes one input whose kind is found from its own bytes.
 */

/** File names a directory walk imports (an explicitly named file is always read). */
export const IMPORTABLE_SUFFIXES = ['.json', '.json.gz', '.jsonl', '.jsonl.gz', '.log', '.log.gz', '.parquet'];

function importable(name: string): boolean {
  const lower = name.toLowerCase();
  return IMPORTABLE_SUFFIXES.some((s) => lower.endsWith(s));
}

/**
 * A CloudTrail digest file by its name (`…_CloudTrail-Digest_…json.gz` under `CloudTrail-Digest/`):
 * skipped without being read. One renamed is still recognised by its content.
 */
export function isDigestPath(path: string): boolean {
  return basename(path).includes('_CloudTrail-Digest_') || /(^|[\\/])CloudTrail-Digest[\\/]/.test(path);
}

/** JSON text per Parquet slice: small enough that a slice never fills a batch by itself. */
const PARQUET_SLICE_BYTES = 48 * 1024 * 1024;
/** Rows of the first slice, which measures how much JSON text a row makes. */
const FIRST_SLICE_ROWS = 2_000;

/**
 * Security Lake Parquet: checked from its footer (LakeImportError for anything else), then
 * staged slice by slice as JSON text by DuckDB itself, so it is classified and converted
 * exactly like the same records as JSON. Slices are sized by the text the first one made
 * (rows vary from a few hundred bytes to kilobytes), so memory stays bounded.
 */
async function stageParquet(sink: StageSink, path: string): Promise<StagedInput> {
  const facts = await inspectParquet(sink.conn, path);
  let from = 0;
  let rows = FIRST_SLICE_ROWS;
  while (from < facts.rows) {
    // cut anywhere: DuckDB skips the row groups a file_row_number range leaves out
    const to = Math.min(facts.rows, from + rows);
    const bytes = await sink.addRows(to - from, from, parquetLinesSql(path, facts, from, to));
    await sink.ready();
    rows = Math.max(1, Math.floor(PARQUET_SLICE_BYTES / Math.max(1, bytes / (to - from))));
    from = to;
  }
  return { notes: new InputNotes() };
}

/**
 * One local file as an import input; `name` is what reports call it (an S3 object's URI).
 * A name in Security Lake's layout (`region=…/accountId=…/`) gives its records' partitions
 * where they do not carry them.
 */
export function fileInput(path: string, name: string = path): ImportInput {
  return sourceInput(fileSource(path, name));
}

/** An input held in memory (a small S3 object): `name` is what reports call it. */
export function bufferInput(name: string, bytes: Buffer): ImportInput {
  return sourceInput(bufferSource(name, bytes));
}

function sourceInput(source: ByteSource): ImportInput {
  const name = source.name;
  const hints = pathHints(name);
  return {
    name,
    ...(hints.region !== undefined || hints.account !== undefined ? { hints } : {}),
    async stage(sink, fast) {
      if (isDigestPath(name)) return { notes: new InputNotes(), kind: 'digest' };
      if (isParquet(await source.head(4))) {
        if (source.path === undefined)
          throw new LakeImportError(`${name}: Parquet is read from a file, not from memory`, name);
        return stageParquet(sink, source.path);
      }
      return stageJson(sink, source, fast);
    },
  };
}

/** Files under a directory, recursively, in name order; hidden entries and symlink loops skipped. */
async function walk(dir: string, seen: Set<string>, out: string[]): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const s = await stat(path).catch(() => undefined);
      isDir = s?.isDirectory() ?? false;
      isFile = s?.isFile() ?? false;
    }
    if (isDir) await walk(path, seen, out);
    else if (isFile && importable(e.name)) out.push(path);
  }
}

const reason = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** A file to import, or the report of a path that gives none. */
export type ExpandedPath = { file: string } | { failed: FileImportReport };

/**
 * Paths → the files to import, in order and without repeats, plus a failed report for each
 * path that gives none (missing, unreadable, a directory without a single importable file).
 */
export async function expandPaths(paths: string[], taken = new Set<string>()): Promise<ExpandedPath[]> {
  const out: ExpandedPath[] = [];
  for (const p of paths) {
    const fail = (error: string): void => {
      out.push({ failed: { ...emptyOutcome(p), kind: 'error', error } });
    };
    let s: Awaited<ReturnType<typeof stat>>;
    try {
      s = await stat(p);
    } catch (e) {
      fail(`${p}: cannot read (${reason(e)})`);
      continue;
    }
    let found: string[] = [p];
    if (s.isDirectory()) {
      found = [];
      try {
        await walk(p, new Set(), found);
      } catch (e) {
        fail(`${p}: cannot read directory (${reason(e)})`);
        continue;
      }
      if (found.length === 0) {
        fail(`${p}: no files to import (${IMPORTABLE_SUFFIXES.join(', ')}) in this directory or below`);
        continue;
      }
    }
    for (const f of found) {
      if (taken.has(f)) continue;
      taken.add(f);
      out.push({ file: f });
    }
  }
  return out;
}
