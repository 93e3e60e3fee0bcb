import { relative } from 'node:path';
import { compileDirectory } from '../../compile/compile.js';
import type { HuntConfig } from '../../config/config.js';
import type { EngineName } from '../../engines/registry.js';
import { chosenEngine, engineDialect, openConfiguredEngine, requireEngineInput } from '../engine.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { ManualClock, systemClock, type Clock } from '../../scheduler/clock.js';
import { runDaemon } from '../../scheduler/daemon.js';
import { Scheduler } from '../../scheduler/scheduler.js';
import { selectScheduled, type Selection } from '../../scheduler/select.js';
import { parseNow } from '../../time/index.js';
import { commandConfig } from '../context.js';
import { UsageError } from '../errors.js';
import { withDatabase } from '../history.js';
import { json, type Io } from '../output.js';

/** `hunt schedule` flags as commander gives them. */
export interface ScheduleFlags {
  /** `--source`: read each sourcetype from this source where it can */
  source?: string;
  once?: boolean;
  now?: string;
  lake?: string;
  engine?: EngineName;
  config?: string;
  detections?: string;
  logFormat?: 'json' | 'pretty';
  json?: boolean;
}

/**
 * `hunt schedule`: every enabled detection on its cron, forever (or one pass with --once), with
 * the ledger making each window run exactly once across restarts and instances. SIGINT/SIGTERM
 * stop claiming, stop the queries in flight, release their claims and exit 0.
 */
export async function scheduleCommand(opts: ScheduleFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = commandConfig(opts, env);
  const engineName = chosenEngine(opts.engine, config);
  requireEngineInput(engineName, config);
  const log = createLogger(opts.logFormat ? { format: opts.logFormat } : {});
  const selection = scheduledDetections(config, engineName, log);
  const clock = clockFor(opts);

  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'signal received');
    stop.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await withDatabase(config, env, async (db) => {
      const engine = await openConfiguredEngine(engineName, config);
      try {
        const scheduler = new Scheduler({
          pool: db.pool,
          engine,
          detections: selection.scheduled,
          settings: config.schedule,
          zone: config.timezone,
          clock,
          log,
          incidentRules: config.incidentRules,
        });
        if (opts.once) {
          stop.signal.addEventListener('abort', () => void scheduler.stop('shutdown'), { once: true });
          const report = await scheduler.pass();
          log.info(report, 'pass done');
          if (opts.json) io.out(json(report));
          return report.failed > 0 ? 1 : 0;
        }
        await runDaemon({
          scheduler,
          pool: db.pool,
          crons: selection.scheduled.map((d) => d.schedule.cron),
          zone: config.timezone,
          clock,
          log,
          stop: stop.signal,
        });
        return 0;
      } finally {
        await engine.close();
      }
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    log.flush();
  }
}

/**
 * The detections directory compiled for the engine; those that do not compile are logged and
 * left out (the others still run), and an empty schedule is refused.
 */
export function scheduledDetections(config: HuntConfig, engine: EngineName, log?: Logger): Selection {
  const outcomes = compileDirectory(config.detectionsDir, config, {
    dialect: engineDialect(engine),
  });
  const selection = selectScheduled(outcomes, config.schedule, config.timezone);
  for (const o of selection.notCompiled) {
    log?.error(
      { file: relative(config.detectionsDir, o.file), error: o.error },
      'detection does not compile; not scheduled',
    );
  }
  for (const key of selection.unmatched) log?.warn({ key }, 'schedule.detections names no detection');
  if (selection.scheduled.length === 0) {
    throw new UsageError(`${config.detectionsDir}: no enabled detection there compiles, nothing to schedule`);
  }
  return selection;
}

/**
 * `--now T`: with --once, a clock standing at T; for the daemon, a clock that starts at T and
 * runs on (to replay a schedule from a known point).
 */
function clockFor(opts: ScheduleFlags): Clock {
  if (opts.now === undefined) return systemClock;
  const start = parseNow(opts.now);
  if (opts.once) return new ManualClock(start);
  const offset = start.toMillis() - Date.now();
  return { now: () => systemClock.now().plus({ milliseconds: offset }) };
}
