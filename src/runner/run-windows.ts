import type { Engine } from '../engines/engine.js';
import type { RunRecord, RunTrigger } from '../store/model.js';
import type { Window } from '../translate/params.js';
import type { Prepared } from './prepare.js';
import { runWindow } from './run-window.js';

export interface RunWindowsOptions {
  signal?: AbortSignal;
  /** called as windows finish (batched: per query), with how many are done so far */
  onProgress?: (done: number, total: number) => void;
}

/**
 * One detection over many windows: one record per window, in the order given, with exactly the
 * results running each window on its own gives.
 *
 * CONTRACT (the scheduler and `hunt backfill` call this): this first version runs window by
 * window; the batched version answers runs of tiled windows with one query grouped by window.
 */
export async function runWindows(
  engine: Engine,
  p: Prepared,
  windows: Window[],
  trigger: RunTrigger,
  opts: RunWindowsOptions = {},
): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for (const w of windows) {
    out.push(await runWindow(engine, p, w, trigger, opts.signal));
    opts.onProgress?.(out.length, windows.length);
  }
  return out;
}
