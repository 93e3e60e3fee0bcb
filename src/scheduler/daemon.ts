/**
 * `hunt schedule` as a long-running process: node-cron wakes it on each distinct cron expression
 * of the scheduled detections, and a timer wakes it when a retry or an expired lease comes due
 * (and at the next fire time by the scheduler's clock, which --now may shift off the wall clock).
 * Each wake runs one Scheduler pass; a wake during a pass makes the pass run again after it, so
 * no fire time is missed and passes never overlap. What runs is always decided from the ledger
 * and the clock, never from which timer fired.
 */
import cron from 'node-cron';
import type { DatabasePool } from 'slonik';
import type { Logger } from '../log/logger.js';
import { nextDue } from '../store/ledger.js';
import type { Clock } from './clock.js';
import { nextFireAfter } from './cron.js';
import type { Scheduler } from './scheduler.js';

export interface DaemonOptions {
  scheduler: Scheduler;
  pool: DatabasePool;
  crons: string[];
  zone: string;
  clock: Clock;
  log: Logger;
  /** resolves (or aborts) when the daemon should stop: SIGINT/SIGTERM */
  stop: AbortSignal;
}

// a timer that fires early is harmless (the pass finds nothing due); Node caps delays at ~24.8 days
const MAX_TIMER_MS = 3_600_000;

export async function runDaemon(o: DaemonOptions): Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const armTimer = async (): Promise<void> => {
    if (o.stop.aborted) return;
    const due = await nextDue(o.pool, o.scheduler.runnableDetections()).catch(() => undefined);
    const now = o.clock.now();
    // the next fire time by our clock: the same instant node-cron wakes us at on the system
    // clock, and the only wake-up when --now shifts the clock
    const fires = [...new Set(o.crons)].map((c) => nextFireAfter(c, o.zone, now).toMillis());
    const at = Math.min(...fires, due ? due.toMillis() : Infinity);
    if (timer) clearTimeout(timer);
    // stopped while asking the ledger: a new timer would keep the process alive for up to an hour
    if (o.stop.aborted) return;
    timer = setTimeout(wake, Math.min(MAX_TIMER_MS, Math.max(0, at - now.toMillis()) + 50));
  };

  const wake = (): void => {
    if (o.stop.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const r = await o.scheduler.pass();
          if (r.planned + r.succeeded + r.failed + r.skipped + r.retrying > 0) o.log.info(r, 'pass done');
        } catch (err) {
          // the database went away, say: the next wake tries again
          o.log.error({ err }, 'pass failed');
        }
      } while (again && !o.stop.aborted);
      await armTimer();
    })().finally(() => {
      running = undefined;
    });
  };

  // node-cron's own messages (e.g. a missed tick while the event loop was busy) as log lines
  cron.setLogger({
    info: (m) => o.log.debug({ source: 'node-cron' }, m),
    warn: (m) => o.log.warn({ source: 'node-cron' }, m),
    error: (m, err) => o.log.error({ source: 'node-cron', err: err ?? m }, String(m)),
    debug: (m) => o.log.debug({ source: 'node-cron' }, String(m)),
  });
  const tasks = [...new Set(o.crons)].map((expr) =>
    cron.schedule(expr, wake, { timezone: o.zone, name: `hunt ${expr}` }),
  );
  o.log.info({ crons: [...new Set(o.crons)], zone: o.zone, owner: o.scheduler.owner }, 'schedule started');
  wake();
  await new Promise<void>((resolve) => {
    if (o.stop.aborted) resolve();
    else o.stop.addEventListener('abort', () => resolve(), { once: true });
  });
  o.log.info('stopping: no new claims, in-flight runs stopped and released');
  for (const t of tasks) await t.stop();
  if (timer) clearTimeout(timer);
  await o.scheduler.stop('shutdown');
  await running;
  if (timer) clearTimeout(timer);
  for (const t of tasks) await t.destroy();
}
