/**
 * `hunt backfill`: the schedule's windows over a past range, through the same ledger (so a window
 * the schedule ran is not run again, and a backfill that stopped half-way resumes), answered in
 * chunks of consecutive windows: one engine query per chunk where the detection batches
 * (runWindows), window by window where it does not.
 */
import { postgresLookups } from '../store/lookups.js';
import type { DateTime } from 'luxon';
import type { DatabasePool } from 'slonik';
import type { Engine } from '../engines/engine.js';
import type { Logger } from '../log/logger.js';
import type { IncidentRule } from '../risk/incident-rules.js';
import { runWindows } from '../runner/run-windows.js';
import {
  addWindows,
  claimWindows,
  completeClaims,
  doneWindows,
  failClaim,
  releaseClaim,
  requeueKeys,
  type Claim,
  type Completion,
  type PlannedWindow,
} from '../store/ledger.js';
import type { RunRecord } from '../store/model.js';
import { windowId, type Window } from '../time/window.js';
import { resolveWindow } from '../time/index.js';
import type { Clock } from './clock.js';
import { fireTimesAfter } from './cron.js';
import { isoOf } from '../time/index.js';
import { keepLeases } from './leases.js';
import type { ScheduledDetection } from './scheduler.js';

export interface BackfillOptions {
  pool: DatabasePool;
  engine: Engine;
  detections: ScheduledDetection[];
  zone: string;
  clock: Clock;
  log: Logger;
  /** fire times t with from <= t < to */
  from: DateTime;
  to: DateTime;
  /** windows per chunk (per engine query when the detection batches) */
  chunkWindows: number;
  leaseMs: number;
  owner: string;
  /** risk incident rules evaluated with each chunk's runs */
  incidentRules?: readonly IncidentRule[];
  signal?: AbortSignal;
  /** total windows to run, then after each chunk how many are done */
  onStart?: (total: number) => void;
  onProgress?: (done: number) => void;
}

export interface BackfillReport {
  /** windows in the range over all detections */
  windows: number;
  /** already done before this backfill (by the schedule or an earlier backfill) */
  alreadyDone: number;
  /** claimed by another runner at the time (running now): left to it */
  busy: number;
  succeeded: number;
  failed: number;
  findings: number;
  chunks: number;
  /** of the windows run, those answered by a batched query (the rest went window by window) */
  batched: number;
  interrupted: boolean;
}

/**
 * The most windows one detection's backfill may plan at once: they are enumerated in memory
 * (cron-parser takes about 30 µs a fire time). A 1-minute cron over 138 days, an hourly one over
 * 22 years.
 */
export const MAX_BACKFILL_WINDOWS = 200_000;

/** A backfill range holding more windows than one run plans. */
export class BackfillRangeError extends Error {
  override name = 'BackfillRangeError';
}

/** The windows of a detection's schedule whose fire time is in [from, to), oldest first. */
export function backfillWindows(
  d: ScheduledDetection,
  zone: string,
  from: DateTime,
  to: DateTime,
  max = MAX_BACKFILL_WINDOWS,
): { fire: DateTime; window: Window }[] {
  // every one of them: the range was asked for (planning is chunked, see addWindows)
  const fires = fireTimesAfter(
    d.schedule.cron,
    zone,
    from.minus({ milliseconds: 1 }),
    to.minus({ milliseconds: 1 }),
    max + 1,
  );
  if (fires.length > max) {
    throw new BackfillRangeError(
      `${d.prepared.detection.name}: --from ${isoOf(from)} .. --to ${isoOf(to)} holds more than ${max.toLocaleString('en-US')} windows of its schedule (${d.schedule.cron}); backfill a shorter range at a time`,
    );
  }
  return fires.map((fire) => ({
    fire,
    window: resolveWindow(d.schedule.earliest, d.schedule.latest, { now: fire, zone }),
  }));
}

export async function backfill(o: BackfillOptions): Promise<BackfillReport> {
  const report: BackfillReport = {
    windows: 0,
    alreadyDone: 0,
    busy: 0,
    succeeded: 0,
    failed: 0,
    findings: 0,
    chunks: 0,
    batched: 0,
    interrupted: false,
  };
  const now = (): DateTime => o.clock.now();
  // plan everything first, so the total is known and a resumed backfill sees what is left
  const todo: { d: ScheduledDetection; rows: PlannedWindow[] }[] = [];
  for (const d of o.detections) {
    const det = d.prepared.detection;
    const all = backfillWindows(d, o.zone, o.from, o.to);
    report.windows += all.length;
    if (all.length === 0) continue;
    const first = (all[0] as (typeof all)[number]).window;
    const last = (all[all.length - 1] as (typeof all)[number]).window;
    const done = await doneWindows(
      o.pool,
      { id: det.id, version: det.version },
      { earliest: first.earliest, latest: last.latest },
    );
    const rows: PlannedWindow[] = all
      .filter((w) => !done.has(windowId(w.window)))
      .map((w) => ({
        detectionId: det.id,
        detectionVersion: det.version,
        detectionName: det.name,
        window: w.window,
        pass: 0,
        fireTime: w.fire,
        trigger: 'backfill',
        status: 'pending',
        dueAt: now(),
      }));
    report.alreadyDone += all.length - rows.length;
    await addWindows(o.pool, rows);
    await requeueKeys(o.pool, rows, now());
    todo.push({ d, rows });
  }
  o.onStart?.(todo.reduce((n, t) => n + t.rows.length, 0));

  let progressed = 0;
  for (const { d, rows } of todo) {
    const det = d.prepared.detection;
    for (let i = 0; i < rows.length; i += o.chunkWindows) {
      if (o.signal?.aborted) {
        report.interrupted = true;
        return report;
      }
      const keys = rows.slice(i, i + o.chunkWindows);
      const claims = await claimWindows(o.pool, {
        owner: o.owner,
        now: now(),
        leaseMs: o.leaseMs,
        limit: keys.length,
        detections: [{ id: det.id, version: det.version }],
        keys,
      });
      report.busy += keys.length - claims.length;
      if (claims.length > 0) {
        report.chunks++;
        await runChunk(o, d, claims, report);
      }
      progressed += keys.length;
      o.onProgress?.(progressed);
      if (o.signal?.aborted) report.interrupted = true;
    }
  }
  return report;
}

async function runChunk(
  o: BackfillOptions,
  d: ScheduledDetection,
  claims: Claim[],
  report: BackfillReport,
): Promise<void> {
  const log = o.log.child({
    detection: d.prepared.detection.name,
    windows: claims.length,
    from: claims[0] && isoOf(claims[0].window.earliest),
    to: claims.length ? isoOf((claims[claims.length - 1] as Claim).window.latest) : undefined,
  });
  // a lost claim needs nothing here: storing the chunk is fenced claim by claim
  const stopRenewing = keepLeases(o.pool, claims, o.clock, o.leaseMs);
  const started = performance.now();
  let runs: RunRecord[];
  try {
    runs = await runWindows(
      o.engine,
      d.prepared,
      claims.map((c) => c.window),
      'backfill',
      {
        maxBatch: o.chunkWindows,
        ...(o.signal ? { signal: o.signal } : {}),
        lookups: postgresLookups(o.pool),
        onFallback: (reason, windows) => log.info({ reason, windows }, 'window by window'),
      },
    );
  } finally {
    stopRenewing();
  }
  const queryMs = performance.now() - started;
  const perWindowMs = queryMs / claims.length;
  const now = o.clock.now();
  const done: Completion[] = [];
  for (const [i, claim] of claims.entries()) {
    const run = runs[i] as RunRecord;
    const outcome = { now, durationMs: perWindowMs, stats: run.stats };
    if (run.status === 'succeeded') {
      done.push({ claim, run, outcome });
    } else if (run.errorKind === 'aborted') {
      await releaseClaim(o.pool, claim);
    } else {
      if (
        await failClaim(o.pool, claim, {
          ...outcome,
          error: run.error ?? 'unknown error',
          kind: run.errorKind === 'transient' ? 'transient' : 'permanent',
        })
      )
        report.failed++;
      log.warn(
        { window: `${isoOf(claim.window.earliest)}/${isoOf(claim.window.latest)}`, error: run.error },
        'window failed',
      );
    }
  }
  // the chunk's runs are stored in one transaction, each only while its claim is held
  const { lost } = await completeClaims(o.pool, done, o.incidentRules ? { incidentRules: o.incidentRules } : {});
  const lostIds = new Set(lost.map((c) => c.claimId));
  for (const d of done) {
    if (lostIds.has(d.claim.claimId)) continue;
    report.succeeded++;
    report.findings += d.run.results.length;
    if (d.run.stats.batch !== undefined) report.batched++;
  }
  for (const c of lost)
    log.warn(
      { window: `${isoOf(c.window.earliest)}/${isoOf(c.window.latest)}` },
      'claim taken over by another runner; result discarded',
    );
  log.info({ query_ms: Math.round(queryMs), ms: Math.round(performance.now() - started) }, 'chunk done');
}
