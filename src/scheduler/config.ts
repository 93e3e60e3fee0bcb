/**
 * `schedule:` of the configuration: how `hunt schedule` and `hunt backfill` run detections.
 * Per-detection entries are keyed by the detection's id, name or file stem (as `hunt run` takes
 * RULE) and may disable it or override its ESCU cron and window.
 */
import { z } from 'zod';
import { durationSchema } from '../time/duration-schema.js';

export interface DetectionScheduleOverride {
  enabled?: boolean;
  cron?: string;
  earliest?: string;
  latest?: string;
  /** the configuration file that set it: errors found when it is applied name the file */
  file?: string;
}

export interface ScheduleSettings {
  /** missed windows older than this (fire time before now - catchUp) are recorded as skipped */
  catchUpMs: number;
  /** queries one instance runs at once (Athena: stay under the account's active-query quota) */
  concurrency: number;
  /** how long a claim holds without a heartbeat before another instance may take it over */
  leaseMs: number;
  /** starts per window per round (a round: from one fire time, or one requeue, to the next) */
  maxAttempts: number;
  /** first retry delay after a transient failure; doubles per attempt up to maxRetryDelayMs */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** late data: also re-run each window at the next N fire times (0: never) */
  rerunLast: number;
  /** windows per engine query in a backfill (batched detections) */
  backfillBatchWindows: number;
  /** detections not named under `detections:` run when true */
  enableAll: boolean;
  detections: Record<string, DetectionScheduleOverride>;
}

export const SCHEDULE_DEFAULTS: ScheduleSettings = {
  catchUpMs: 24 * 3_600_000,
  concurrency: 4,
  leaseMs: 5 * 60_000,
  maxAttempts: 3,
  retryDelayMs: 30_000,
  maxRetryDelayMs: 10 * 60_000,
  rerunLast: 0,
  backfillBatchWindows: 24 * 7,
  enableAll: true,
  detections: {},
};

const override = z
  .object({
    enabled: z.boolean().optional(),
    cron: z.string().min(1).optional(),
    earliest: z.string().min(1).optional(),
    latest: z.string().min(1).optional(),
  })
  .strict();

export const scheduleSchema = z
  .object({
    catch_up: durationSchema('e.g. 24h, 7d').optional(),
    concurrency: z.number().int().min(1).max(100).optional(),
    lease: durationSchema('e.g. 5m')
      .refine((ms) => ms >= 10_000, 'must be at least 10s')
      .optional(),
    max_attempts: z.number().int().min(1).max(100).optional(),
    retry_delay: durationSchema('e.g. 30s').optional(),
    max_retry_delay: durationSchema('e.g. 10m').optional(),
    rerun_last: z.number().int().min(0).max(48).optional(),
    backfill_batch_windows: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .optional(),
    enable_all: z.boolean().optional(),
    detections: z.record(override).nullish(),
  })
  .strict();

/** `c` (read from `file`) over `base`. */
export function scheduleSettings(
  base: ScheduleSettings,
  c: z.infer<typeof scheduleSchema>,
  file?: string,
): ScheduleSettings {
  const overrides = Object.entries(c.detections ?? {}).map(([key, o]) => [key, file ? { ...o, file } : o] as const);
  return {
    catchUpMs: c.catch_up ?? base.catchUpMs,
    concurrency: c.concurrency ?? base.concurrency,
    leaseMs: c.lease ?? base.leaseMs,
    maxAttempts: c.max_attempts ?? base.maxAttempts,
    retryDelayMs: c.retry_delay ?? base.retryDelayMs,
    maxRetryDelayMs: c.max_retry_delay ?? base.maxRetryDelayMs,
    rerunLast: c.rerun_last ?? base.rerunLast,
    backfillBatchWindows: c.backfill_batch_windows ?? base.backfillBatchWindows,
    enableAll: c.enable_all ?? base.enableAll,
    detections: { ...base.detections, ...Object.fromEntries(overrides) },
  };
}
