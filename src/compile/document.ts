import { isAbsolute, relative } from 'node:path';
import type { Warning } from '../plan/context.js';
import type { CompileOutcome } from './compile.js';
import { slotJson, type SlotJson } from './params.js';

/** One detection in `hunt compile --json`; every key is always present (null when absent). */
export interface CompileEntryJson {
  file: string;
  id: string | null;
  name: string | null;
  ok: boolean;
  sql: string | null;
  params: SlotJson[];
  warnings: string[];
  error: string | null;
  /** a search with outputlookup: the queries whose rows are stored before `sql` runs, in order */
  steps: { lookup: string; append: boolean; sql: string; params: SlotJson[] }[];
}

export interface CompileDocument {
  total: number;
  compiled: number;
  detections: CompileEntryJson[];
}

/** The `hunt compile --json` document (the same shape for one rule and for a directory). */
export function compileDocument(outcomes: CompileOutcome[], cwd = process.cwd()): CompileDocument {
  const detections = outcomes.map(
    (o): CompileEntryJson => ({
      file: displayPath(o.file, cwd),
      id: o.detection?.id ?? null,
      name: o.detection?.name ?? null,
      ok: o.translation !== undefined,
      sql: o.translation?.sql ?? null,
      params: o.translation?.slots.map(slotJson) ?? [],
      warnings: o.translation?.warnings.map(warningText) ?? [],
      error: o.translation ? null : (o.error ?? 'did not compile'),
      steps: (o.prepared?.steps ?? []).map((s) => ({
        lookup: s.lookup,
        append: s.append,
        sql: s.translation.sql,
        params: s.translation.slots.map(slotJson),
      })),
    }),
  );
  return { total: detections.length, compiled: detections.filter((d) => d.ok).length, detections };
}

/** "message (at line 1, column 5 of the search)", as `hunt run` prints warnings. */
export const warningText = (w: Warning): string => (w.at ? `${w.message} (at ${w.at})` : w.message);

/** A path as the user would type it: relative to the working directory when below it. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
