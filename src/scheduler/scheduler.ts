/**
 * The scheduler's work, one pass at a time: plan what the schedule calls for into the ledger,
 * then claim due windows and run them, at most `concurrency` at once, until none is due. The
 * daemon (daemon.ts) calls pass() on every fire time; `hunt schedule --once` calls it once.
 * All decisions about time use the injected clock.
 */
import { postgresLookups } from '../store/lookups.js';
import type { DatabasePool } from 'slonik';
import type { ScheduleSettings } from './config.js';
import type { Engine } from '../engines/engine.js';
import type { Logger } from '../log/logger.js';
import { retryDelay } from '../runner/failure.js';
import type { Prepared } from '../translate/prepare.js';
import { runWindow } from '../runner/run-window.js';
import {
  claimWindows,
  completeClaim,
  failClaim,
  LostClaimError,
  planDetection,
  releaseClaim,
  requeueFailed,
  supersedeOldVersions,
  type Claim,
  type Runnable,
} from '../store/ledger.js';
import type { IncidentRule } from '../risk/incident-rules.js';
import type { SaveHooks } from '../store/runs.js';
import type { Schedule } from '../detections/model.js';
import type { Clock } from './clock.js';
import { runnerName } from './owner.js';
import { isoOf } from '../time/index.js';
import { keepLeases } from './leases.js';
import { planWindows } from './plan-windows.js';

export interface ScheduledDetection {
  prepared: Prepared;
  schedule: Schedule;
}

export interface SchedulerDeps {
  pool: DatabasePool;
  engine: Engine;
  detections: ScheduledDetection[];
  settings: ScheduleSettings;
  zone: string;
  clock: Clock;
  log: Logger;
  /** names this runner in claims (default: runnerName()) */
  owner?: string;
  /** risk incident rules evaluated with each stored run (config incidentRules) */
  incidentRules?: readonly IncidentRule[];
  /** test seam: passed to the run's save (the crash test kills its process in there) */
  saveHooks?: SaveHooks;
  random?: () => number;
  /** fire times planned per transaction (default PLAN_BATCH) */
  planBatch?: number;
}

export interface PassReport {
  planned: number;
  skipped: number;
  requeued: number;
  succeeded: number;
  failed: number;
  retrying: number;
  released: number;
  lost: number;
}

export class Scheduler {
  readonly owner: string;
  private readonly byKey = new Map<string, ScheduledDetection>();
  private readonly runnables: Runnable[];
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: SchedulerDeps) {
    this.owner = deps.owner ?? runnerName();
    for (const d of deps.detections) this.byKey.set(keyOf(d.prepared.detection.id, d.prepared.detection.version), d);
    this.runnables = deps.detections.map((d) => ({
      id: d.prepared.detection.id,
      version: d.prepared.detection.version,
    }));
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Plans, then runs everything due; returns what happened. */
  async pass(): Promise<PassReport> {
    const report = emptyReport();
    if (this.stopped) return report;
    await this.plan(report);
    await this.drain(report);
    return report;
  }

  /** Plans every detection's fire times up to now into the ledger. */
  async plan(report: PassReport = emptyReport()): Promise<PassReport> {
    const { pool, settings, zone, clock, log } = this.deps;
    const now = clock.now();
    await supersedeOldVersions(pool, this.runnables);
    for (const d of this.deps.detections) {
      const det = d.prepared.detection;
      let added = 0;
      let skipped = 0;
      // one transaction per batch of fire times, each moving the mark: a long gap commits as it
      // goes, and stopping (or crashing) between batches leaves the rest for the next pass
      for (let more = true; more && !this.stopped; ) {
        more = false;
        const r = await planDetection(pool, det.id, (through) => {
          const out = planWindows({
            detection: { id: det.id, version: det.version, name: det.name },
            schedule: d.schedule,
            zone,
            now,
            plannedThrough: through,
            catchUpMs: settings.catchUpMs,
            rerunLast: settings.rerunLast,
            ...(this.deps.planBatch ? { batch: this.deps.planBatch } : {}),
          });
          more = out.more;
          return { rows: out.rows, plannedThrough: out.plannedThrough };
        });
        added += r.added;
        skipped += r.skipped;
      }
      report.planned += added - skipped;
      report.skipped += skipped;
      if (skipped > 0)
        log.warn({ detection: det.name, skipped }, 'windows older than schedule.catch_up recorded as skipped');
      if (added > 0) {
        // a new fire time: recent failures get another round
        const since = now.minus({ milliseconds: settings.catchUpMs });
        report.requeued += await requeueFailed(pool, [{ id: det.id, version: det.version }], since, now);
      }
    }
    return report;
  }

  /** Claims and runs due windows until none is due (or stop()). */
  async drain(report: PassReport = emptyReport()): Promise<PassReport> {
    const { settings } = this.deps;
    for (;;) {
      if (!this.stopped) {
        const free = settings.concurrency - this.inFlight.size;
        const claims = free > 0 ? await this.claim(free) : [];
        for (const c of claims) {
          const task: Promise<void> = this.runClaim(c, report).finally(() => this.inFlight.delete(task));
          this.inFlight.add(task);
        }
      }
      if (this.inFlight.size === 0) return report;
      await Promise.race(this.inFlight);
    }
  }

  /**
   * Stops claiming and aborts the queries in flight (Athena: StopQueryExecution); their claims are
   * released for the next runner. Resolves when every run has let go.
   */
  async stop(reason = 'shutdown'): Promise<void> {
    if (!this.stopped) this.stopping.abort(new Error(reason));
    await Promise.allSettled([...this.inFlight]);
  }

  /** The detection versions this scheduler runs (and claims rows of). */
  runnableDetections(): Runnable[] {
    return this.runnables;
  }

  private claim(limit: number): Promise<Claim[]> {
    const { pool, clock, settings } = this.deps;
    return claimWindows(pool, {
      owner: this.owner,
      now: clock.now(),
      leaseMs: settings.leaseMs,
      limit,
      detections: this.runnables,
    });
  }

  private async runClaim(c: Claim, report: PassReport): Promise<void> {
    const { pool, engine, clock, settings, log } = this.deps;
    const d = this.byKey.get(keyOf(c.detectionId, c.detectionVersion));
    if (!d) return; // cannot happen: claims are limited to our runnables
    const runLog = log.child({
      detection: c.detectionName,
      window: `${isoOf(c.window.earliest)}/${isoOf(c.window.latest)}`,
      pass: c.pass,
      attempt: c.attempts,
      claim: c.claimId,
    });
    // every claim counts a start; more starts than max_attempts in a round means runners died
    // with this window in hand (a query that kills its runner?): stop taking it over
    if (c.roundAttempts > settings.maxAttempts) {
      const error = `started ${c.roundAttempts - 1} times this round, the last time by a runner that stopped without recording an outcome (crashed or killed); not started again until the next fire time`;
      if (await failClaim(pool, c, { now: clock.now(), durationMs: 0, stats: {}, error, kind: 'permanent' }))
        report.failed++;
      runLog.error(error);
      return;
    }
    const abort = new AbortController();
    const onStop = (): void => abort.abort(this.stopping.signal.reason);
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const stopRenewing = keepLeases(pool, [c], clock, settings.leaseMs, {
      onLost: () => abort.abort(new Error('claim lost')),
      onError: (err) => runLog.warn({ err }, 'could not renew the lease'),
    });
    const started = performance.now();
    runLog.info('run started');
    try {
      const run = await runWindow(engine, d.prepared, c.window, c.trigger, abort.signal, c.pass, postgresLookups(pool));
      stopRenewing();
      const outcome = { now: clock.now(), durationMs: performance.now() - started, stats: run.stats };
      if (run.status === 'succeeded') {
        const { runId } = await completeClaim(pool, c, run, outcome, {
          ...this.deps.saveHooks,
          ...(this.deps.incidentRules ? { incidentRules: this.deps.incidentRules } : {}),
        });
        report.succeeded++;
        runLog.info(
          {
            run_id: runId,
            results: run.results.length,
            risk_events: run.riskEvents.length,
            ms: Math.round(outcome.durationMs),
          },
          'run stored',
        );
        return;
      }
      if (run.errorKind === 'aborted') {
        if (await releaseClaim(pool, c)) {
          report.released++;
          runLog.info({ reason: run.error }, 'run interrupted; claim released');
        } else {
          report.lost++;
          runLog.warn({ reason: run.error }, 'run stopped: the claim was taken over by another runner');
        }
        return;
      }
      const transient = run.errorKind === 'transient';
      const retry = transient && c.roundAttempts < settings.maxAttempts;
      const retryAt = retry
        ? clock.now().plus({
            milliseconds: retryDelay(
              c.roundAttempts,
              settings.retryDelayMs,
              settings.maxRetryDelayMs,
              this.deps.random,
            ),
          })
        : undefined;
      const error = run.error ?? 'unknown error';
      const held = await failClaim(pool, c, {
        ...outcome,
        error,
        kind: transient ? 'transient' : 'permanent',
        ...(retryAt ? { retryAt } : {}),
      });
      if (!held) {
        report.lost++;
        return;
      }
      if (retry) report.retrying++;
      else report.failed++;
      runLog.warn(
        { error, kind: transient ? 'transient' : 'permanent', ...(retryAt ? { retry_at: isoOf(retryAt) } : {}) },
        retry ? 'run failed; will retry' : 'run failed',
      );
    } catch (err) {
      stopRenewing();
      if (err instanceof LostClaimError) {
        report.lost++;
        runLog.warn('claim taken over by another runner; result discarded');
        return;
      }
      // the store is unreachable: the claim stays, its lease runs out, and it is run again
      runLog.error({ err }, 'could not record the run');
    } finally {
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }
}

const keyOf = (id: string, version: number): string => `${id}|${version}`;

const emptyReport = (): PassReport => ({
  planned: 0,
  skipped: 0,
  requeued: 0,
  succeeded: 0,
  failed: 0,
  retrying: 0,
  released: 0,
  lost: 0,
});
