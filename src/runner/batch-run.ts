import type { Engine } from '../engines/engine.js';
import { riskEvents } from '../risk/score.js';
import type { RunRecord, RunTrigger } from '../store/model.js';
import { BATCH_KEY_COLUMN, type BatchSpec } from '../translate/batch-plan.js';
import { bindParams } from '../sql/params.js';
import type { Window } from '../time/window.js';
import type { Translation } from '../translate/translate.js';
import type { Prepared } from '../translate/prepare.js';
import { toResultRows } from './results.js';
import { isoOf } from '../time/index.js';
import { recordBase } from './run-window.js';

/**
 * Tiled windows: each starts where the one before ends, all of the same whole number of
 * seconds. Their layout (length and offset from the epoch) picks the batched translation.
 */
export function tiledSpec(windows: Window[]): BatchSpec | undefined {
  const first = windows[0];
  if (!first) return undefined;
  const ms = first.latest.toMillis() - first.earliest.toMillis();
  if (ms <= 0 || ms % 1000 !== 0 || first.earliest.toMillis() % 1000 !== 0) return undefined;
  for (let i = 1; i < windows.length; i++) {
    const w = windows[i] as Window;
    const before = windows[i - 1] as Window;
    if (w.earliest.toMillis() !== before.latest.toMillis() || w.latest.toMillis() - w.earliest.toMillis() !== ms)
      return undefined;
  }
  const W = ms / 1000;
  const e = first.earliest.toMillis() / 1000;
  return { windowSeconds: W, offsetSeconds: ((e % W) + W) % W };
}

/**
 * One query for tiled `windows` (see tiledSpec) with the batched translation: its rows split
 * by their window number into one record per window, each scored as runWindow scores it.
 * Throws what the engine throws (the caller decides between falling back and failing).
 */
export async function runBatch(
  engine: Engine,
  p: Prepared,
  t: Translation & { batch: BatchSpec },
  windows: Window[],
  trigger: RunTrigger,
  queryIndex: number,
  signal?: AbortSignal,
): Promise<RunRecord[]> {
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (!first || !last) return [];
  const range: Window = { earliest: first.earliest, latest: last.latest };
  const params = bindParams(t.slots, range);
  const W = t.batch.windowSeconds;
  const k0 = (first.earliest.toMillis() / 1000 - t.batch.offsetSeconds) / W;
  const bases = windows.map((w) => recordBase(p, engine, w, trigger, t.sql, params));
  const idempotencyKey = `${p.detection.id}|${p.detection.version}|${isoOf(range.earliest)}|${isoOf(range.latest)}|batch ${W}s`;
  const result = await engine.query({ sql: t.sql, params, idempotencyKey, ...(signal ? { signal } : {}) });

  const perWindow: Record<string, unknown>[][] = windows.map(() => []);
  for (const row of result.rows) {
    const k = Number(row[BATCH_KEY_COLUMN]);
    const rows = perWindow[k - k0];
    // the time filter keeps the range only, so this is a translation bug: never mis-file a row
    if (!Number.isInteger(k) || !rows)
      throw new Error(
        `a batched row has window number ${String(row[BATCH_KEY_COLUMN])}, outside the ${windows.length} windows`,
      );
    rows.push(row);
  }
  const finishedAt = new Date().toISOString();
  return bases.map((base, i) => {
    const results = toResultRows(perWindow[i] as Record<string, unknown>[], t.fields);
    return {
      ...base,
      startedAt: bases[0]?.startedAt ?? base.startedAt,
      status: 'succeeded',
      finishedAt,
      stats: { ...result.stats, batch: { windows: windows.length, queryIndex } },
      results,
      riskEvents: riskEvents(p.detection, results, base.windowLatest),
    };
  });
}
