import type { Engine } from '../engines/engine.js';
import { riskEvents } from '../risk/score.js';
import type { RunRecord, RunTrigger } from '../store/model.js';
import { bindParams, paramValue, type Window } from '../translate/params.js';
import type { Prepared } from './prepare.js';
import { classifyFailure } from './failure.js';
import { toResultRows } from './results.js';

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
): Promise<RunRecord> {
  const startedAt = new Date().toISOString();
  const params = bindParams(p.translation.slots, window);
  const base = {
    detectionId: p.detection.id,
    detectionName: p.detection.name,
    detectionVersion: p.detection.version,
    windowEarliest: iso(window.earliest),
    windowLatest: iso(window.latest),
    trigger,
    engine: engine.name,
    startedAt,
    sql: p.translation.sql,
    params: params.map(paramValue),
    warnings: p.translation.warnings.map((w) => (w.at ? `${w.message} (at ${w.at})` : w.message)),
  };
  try {
    // a late-data re-run must start a new query: the same key would hand back the first run's
    const idempotencyKey = `${p.detection.id}|${p.detection.version}|${base.windowEarliest}|${base.windowLatest}${pass > 0 ? `|pass ${pass}` : ''}`;
    const result = await engine.query({ sql: p.translation.sql, params, idempotencyKey, ...(signal ? { signal } : {}) });
    const results = toResultRows(result.rows, p.translation.fields);
    return {
      ...base,
      status: 'succeeded',
      finishedAt: new Date().toISOString(),
      stats: result.stats,
      results,
      riskEvents: riskEvents(p.detection, results, base.windowLatest),
    };
  } catch (err) {
    return {
      ...base,
      status: 'failed',
      finishedAt: new Date().toISOString(),
      error: (err as Error).message,
      errorKind: classifyFailure(err, signal),
      stats: {},
      results: [],
      riskEvents: [],
    };
  }
}

const iso = (t: Window['earliest']): string => t.toUTC().toISO({ suppressMilliseconds: true }) as string;
