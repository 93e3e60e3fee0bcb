import type { Engine } from '../engines/engine.js';
import type { RunRecord, RunTrigger } from '../store/model.js';
import type { Window } from '../time/window.js';
import { runBatch, tiledSpec } from './batch-run.js';
import type { Prepared } from '../translate/prepare.js';
import { failedRecord, recordBase, runWindow } from './run-window.js';
import { memoryLookups, type LookupStore } from '../store/lookup-store.js';

export interface RunWindowsOptions {
  signal?: AbortSignal;
  /** called as windows finish (batched: per query), with how many are done so far */
  onProgress?: (done: number, total: number) => void;
  /** at most this many windows in one query (default a week of hourly windows); 1: window by window */
  maxBatch?: number;
  /** told when tiled windows go window by window anyway, and why */
  onFallback?: (reason: string, windows: number) => void;
  /** where a search with outputlookup keeps its lookups (default: memory, for these windows) */
  lookups?: LookupStore;
}

export const DEFAULT_MAX_BATCH = 24 * 7;

/**
 * One detection over many windows: one record per window, in the order given, with exactly the
 * results running each window on its own gives.
 *
 * CONTRACT (the scheduler and `hunt backfill` call this). Windows that tile time (each starts
 * where the one before it ends, all of the same length) are answered by one query per chunk
 * of at most `maxBatch`, grouped by window (src/translate/batch-plan.ts); a gap starts a new
 * run. A search that cannot be answered per window exactly in one query goes window by
 * window, and so does a chunk whose batched query fails: a failure of the big query (a
 * timeout, a memory or scan limit) says nothing about the single windows, which then get their
 * own answer or their own failure, retried one by one later. After an abort no query starts;
 * the windows not run are failed records.
 */
export async function runWindows(
  engine: Engine,
  p: Prepared,
  windows: Window[],
  trigger: RunTrigger,
  opts: RunWindowsOptions = {},
): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  // a search that writes a lookup runs window by window, in order, each reading what the last wrote
  const lookups = opts.lookups ?? memoryLookups();
  const max = Math.max(1, Math.floor(opts.maxBatch ?? DEFAULT_MAX_BATCH));
  const done = (records: RunRecord[]): void => {
    out.push(...records);
    opts.onProgress?.(out.length, windows.length);
  };
  const aborted = (ws: Window[]): RunRecord[] =>
    ws.map((w) =>
      failedRecord(recordBase(p, engine, w, trigger, p.translation.sql, []), 'aborted before it ran', 'aborted'),
    );
  const oneByOne = async (ws: Window[]): Promise<void> => {
    for (const w of ws)
      done(opts.signal?.aborted ? aborted([w]) : [await runWindow(engine, p, w, trigger, opts.signal, 0, lookups)]);
  };

  let queryIndex = 0;
  for (const run of tiledRuns(windows)) {
    const spec = run.length > 1 && max > 1 ? tiledSpec(run) : undefined;
    const batched = spec && p.batched ? p.batched(spec) : undefined;
    if (!batched?.ok) {
      if (batched && !batched.ok) opts.onFallback?.(batched.reason, run.length);
      await oneByOne(run);
      continue;
    }
    for (let i = 0; i < run.length; i += max) {
      const chunk = run.slice(i, i + max);
      if (opts.signal?.aborted) {
        done(aborted(chunk));
        continue;
      }
      if (chunk.length === 1) {
        await oneByOne(chunk);
        continue;
      }
      try {
        done(await runBatch(engine, p, batched.translation, chunk, trigger, queryIndex++, opts.signal));
      } catch (err) {
        if (opts.signal?.aborted) {
          const base = chunk.map((w) => recordBase(p, engine, w, trigger, batched.translation.sql, []));
          done(base.map((b) => failedRecord(b, (err as Error).message, 'aborted')));
          continue;
        }
        opts.onFallback?.(`the batched query failed: ${(err as Error).message}`, chunk.length);
        await oneByOne(chunk);
      }
    }
  }
  return out;
}

/** The windows in maximal runs of consecutive (in the order given) tiled windows. */
function tiledRuns(windows: Window[]): Window[][] {
  const runs: Window[][] = [];
  let run: Window[] = [];
  for (const w of windows) {
    const prev = run[run.length - 1];
    if (prev && !tiledSpec([prev, w])) {
      runs.push(run);
      run = [];
    }
    run.push(w);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
