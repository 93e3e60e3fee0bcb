import { SingleBar } from 'cli-progress';
import type { EngineName } from '../../engines/registry.js';
import { chosenEngine, engineDialect, openConfiguredEngine, requireEngineInput } from '../engine.js';
import { createLogger } from '../../log/logger.js';
import { prepareRule } from '../../translate/prepare.js';
import { backfill } from '../../scheduler/backfill.js';
import { systemClock, ManualClock } from '../../scheduler/clock.js';
import { runnerName } from '../../scheduler/owner.js';
import { isoOf } from '../../time/index.js';
import type { ScheduledDetection } from '../../scheduler/scheduler.js';
import { detectionSchedule } from '../../scheduler/schedules.js';
import { resolveTime } from '../../time/index.js';
import { commandConfig, nowFrom } from '../context.js';
import { UsageError } from '../errors.js';
import { withDatabase } from '../history.js';
import { json, type Io } from '../output.js';
import { displayPath } from '../../compile/document.js';
import { scheduledDetections } from './schedule.js';

/** `hunt backfill` flags as commander gives them. */
export interface BackfillFlags {
  /** `--source`: read each sourcetype from this source where it can */
  source?: string;
  all?: boolean;
  from: string;
  to?: string;
  now?: string;
  lake?: string;
  engine?: EngineName;
  config?: string;
  detections?: string;
  progress: boolean;
  logFormat?: 'json' | 'pretty';
  json?: boolean;
}

/**
 * `hunt backfill RULE|--all --from T --to T`: the schedule's windows whose fire times fall in
 * [from, to), skipping those already done, batched where the search allows. Ctrl-C stops after
 * the chunk in flight is given back; running the same command again resumes.
 */
export async function backfillCommand(
  rule: string | undefined,
  opts: BackfillFlags,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if ((rule === undefined) === !opts.all)
    throw new UsageError('backfill: name one RULE, or give --all for every enabled detection');
  const config = commandConfig(opts, env);
  const engineName = chosenEngine(opts.engine, config);
  const now = nowFrom(opts.now);
  const at = (flag: string, t: string) => {
    try {
      return resolveTime(t, { now, zone: config.timezone });
    } catch (err) {
      throw new UsageError(`${flag} ${t}: ${(err as Error).message}`);
    }
  };
  const from = at('--from', opts.from);
  const to = at('--to', opts.to ?? 'now');
  if (to <= from)
    throw new UsageError(
      `--from ${opts.from} .. --to ${opts.to ?? 'now'}: the range is empty (${isoOf(from)} is not before ${isoOf(to)})`,
    );
  if (to > now) throw new UsageError(`--to ${opts.to}: ${isoOf(to)} is in the future; the schedule runs those windows`);
  requireEngineInput(engineName, config);

  const dialect = engineDialect(engineName);
  const detections: ScheduledDetection[] =
    rule !== undefined ? [withSchedule(prepareRule(rule, config, dialect))] : everyScheduled();
  // --all: what cannot be scheduled (does not compile, unreadable entry, shared id) is said and skipped
  function everyScheduled(): ScheduledDetection[] {
    const selection = scheduledDetections(config, engineName);
    for (const o of selection.notCompiled)
      io.err(`backfill: skipped ${displayPath(o.file)}: ${o.error ?? 'does not compile'}`);
    return selection.scheduled;
  }
  function withSchedule(p: ReturnType<typeof prepareRule>): ScheduledDetection {
    return { prepared: p, schedule: detectionSchedule(p.detection, config.schedule, config.timezone).schedule };
  }

  const log = createLogger(opts.logFormat ? { format: opts.logFormat } : { level: 'warn' });
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => interrupt.abort(new Error(`interrupted (${signal})`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar =
    opts.progress && process.stderr.isTTY && !opts.json
      ? new SingleBar({
          format: 'backfill [{bar}] {value}/{total} windows {eta_formatted} left',
          stream: process.stderr,
        })
      : undefined;
  try {
    const report = await withDatabase(config, env, async (db) => {
      const engine = await openConfiguredEngine(engineName, config);
      try {
        return await backfill({
          pool: db.pool,
          engine,
          detections,
          zone: config.timezone,
          clock: opts.now ? new ManualClock(now) : systemClock,
          log,
          from,
          to,
          chunkWindows: config.schedule.backfillBatchWindows,
          leaseMs: config.schedule.leaseMs,
          owner: runnerName('backfill'),
          incidentRules: config.incidentRules,
          signal: interrupt.signal,
          onStart: (total) => bar?.start(total, 0),
          onProgress: (done) => (bar ? bar.update(done) : io.err(`backfill: ${done} windows done`)),
        });
      } finally {
        await engine.close();
      }
    });
    bar?.stop();
    if (opts.json) io.out(json(report));
    else {
      io.out(
        `${report.windows} windows: ${report.alreadyDone} already done, ${report.succeeded} run (${report.findings} findings; ${report.batched} batched) in ${report.chunks} chunks, ` +
          `${report.failed} failed${report.busy ? `, ${report.busy} being run by another runner` : ''}${report.interrupted ? '; interrupted: run the same command again to resume' : ''}`,
      );
    }
    return report.failed > 0 || report.interrupted ? 1 : 0;
  } finally {
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
