import type { LocalTableId, RecordFormat } from '../sources/registry.js';

/**
 * What an import did with each input, whatever happened to the others: the per-file report
 * `hunt lake import` prints, and the exit code it leads to. Pure.
 */

/**
 * A record format (all its records are of one source's), `mixed` (several), `empty` (no
 * records), `digest` (a CloudTrail digest file: not events, skipped), `unsupported` (records
 * of a kind hunt has no table for, skipped and counted) or `error` (unreadable, see `error`).
 */
export type InputKind = RecordFormat | 'mixed' | 'empty' | 'digest' | 'unsupported' | 'error';

export interface FileImportReport {
  file: string;
  kind: InputKind;
  /** usable records (written or duplicates) */
  records: number;
  /** usable records per table */
  tables: Partial<Record<LocalTableId, number>>;
  /** records written */
  added: number;
  /** records the lake (or this import) already held */
  duplicates: number;
  /** duplicates whose content differs from the record kept (the first one is kept) */
  conflicts: number;
  /** records or lines that could not be used */
  skipped: number;
  /** the first few skipped records, with their position and reason */
  problems: string[];
  /** the most frequent reasons for skipping, with counts; `unsupported`: deliberately not stored */
  reasons: { message: string; count: number; unsupported: boolean }[];
  /** why the input could not be read; its records were not imported */
  error?: string;
}

/** How many problem messages a report keeps; the rest are only counted. */
export const MAX_PROBLEMS = 10;

export function emptyOutcome(file: string): FileImportReport {
  return {
    file,
    kind: 'empty',
    records: 0,
    tables: {},
    added: 0,
    duplicates: 0,
    conflicts: 0,
    skipped: 0,
    problems: [],
    reasons: [],
  };
}

/**
 * 0: every input was read (digests, empty files and unsupported records included); 1: some
 * inputs failed and others gave records; 2: nothing usable was given (no input, or every one
 * failed or held no record).
 */
export function importExitCode(files: readonly FileImportReport[]): 0 | 1 | 2 {
  if (files.length === 0) return 2;
  const failed = files.some((f) => f.kind === 'error');
  if (!failed) return 0;
  return files.some((f) => f.records > 0) ? 1 : 2;
}
