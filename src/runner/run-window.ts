import type { Engine } from '../engines/engine.js';
import { riskEvents } from '../risk/score.js';
import type { RunErrorKind, RunRecord, RunTrigger } from '../store/model.js';
import { bindParams, type BoundParam } from '../sql/params.js';
import type { Window } from '../time/window.js';
import type { Prepared } from '../translate/prepare.js';
import { classifyFailure } from './failure.js';
import { toResultRows } from './results.js';
import { isoOf } from '../time/index.js';
import { memoryLookups, type LookupStore } from '../store/lookup-store.js';
import { runSteps } from './steps.js';

/**
 * One detection over one window on one engine: bind, query, map rows to SPL fields, score.
 * Engine failures become a failed run record (the caller decides what to do with it).
 */
export async function runWindow(
  engine: Engine,
  p: Prepared,
  window: Window,
  trigger: RunTrigger,
  signal?: AbortSignal,
  /** the schedule's late-data pass (0: the window's first run) */
  pass = 0,
  /** where a search with outputlookup keeps its lookups (default: memory, gone with the process) */
  lookups: LookupStore = memoryLookups(),
): Promise<RunRecord> {
  let params = bindParams(p.translation.slots, window);
  let base = recordBase(p, engine, window, trigger, p.translation.sql, params);
  try {
    // a late-data re-run must start a new query: the same key would hand back the first run's
    const idempotencyKey = `${p.detection.id}|${p.detection.version}|${base.windowEarliest}|${base.windowLatest}${pass > 0 ? `|pass ${pass}` : ''}`;
    // outputlookup: the steps before the final query, their rows stored
    const translation = await runSteps(engine, p, window, lookups, { idempotencyKey, ...(signal ? { signal } : {}) });
    if (translation !== p.translation) {
      params = bindParams(translation.slots, window);
      base = { ...base, sql: translation.sql, params: params.map((x) => x.value) };
    }
    const result = await engine.query({
      sql: translation.sql,
      params,
      idempotencyKey,
      ...(signal ? { signal } : {}),
    });
    const results = toResultRows(result.rows, translation.fields);
    return {
      ...base,
      status: 'succeeded',
      finishedAt: new Date().toISOString(),
      stats: result.stats,
      results,
      riskEvents: riskEvents(p.detection, results, base.windowLatest),
    };
  } catch (err) {
    return failedRecord(base, (err as Error).message, classifyFailure(err, signal, engine.name));
  }
}

export type RecordBase = Omit<
  RunRecord,
  'status' | 'finishedAt' | 'error' | 'errorKind' | 'stats' | 'results' | 'riskEvents'
>;

/** What a run record says of the detection, the window and the query, before it runs. */
export function recordBase(
  p: Prepared,
  engine: Engine,
  window: Window,
  trigger: RunTrigger,
  sql: string,
  params: BoundParam[],
): RecordBase {
  return {
    detectionId: p.detection.id,
    detectionName: p.detection.name,
    detectionVersion: p.detection.version,
    windowEarliest: isoOf(window.earliest),
    windowLatest: isoOf(window.latest),
    trigger,
    engine: engine.name,
    startedAt: new Date().toISOString(),
    sql,
    params: params.map((p) => p.value),
    warnings: p.translation.warnings.map((w) => (w.at ? `${w.message} (at ${w.at})` : w.message)),
  };
}

export function failedRecord(base: RecordBase, error: string, errorKind: RunErrorKind): RunRecord {
  return {
    ...base,
    status: 'failed',
    finishedAt: new Date().toISOString(),
    error,
    errorKind,
    stats: {},
    results: [],
    riskEvents: [],
  };
}
