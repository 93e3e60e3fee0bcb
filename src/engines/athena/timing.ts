/**
 * Time as the engine sees it: a clock, a sleep that an abort ends early, and a random source for
 * jitter. Injected by tests so polling, backoff and timeouts run in milliseconds, never faked
 * for anything but time.
 */
export interface Timing {
  /** milliseconds, monotonic enough for deadlines */
  now(): number;
  /** waits `ms`, or less when `signal` aborts (resolves either way, never rejects) */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** uniform in [0, 1) */
  random(): number;
}

export const REAL_TIMING: Timing = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
  random: () => Math.random(),
};

/** Polling GetQueryExecution: the first wait, growth per poll, and the cap. */
export interface PollPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
}

/** Retrying throttled calls with full jitter: attempts in all, and the backoff's base and cap. */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

/**
 * Athena queries take a second or more, so the first look comes soon and later ones back off
 * to every 2 s: GetQueryExecution has its own API rate quota, shared by every client of the
 * account.
 */
export const DEFAULT_POLL: PollPolicy = { initialMs: 200, factor: 1.5, maxMs: 2000 };

/** Throttling clears in seconds (rate) or when other queries finish (concurrency): ~1 minute in all. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 250, capMs: 20_000 };

/** The n-th poll interval (n from 0): initial * factor^n, capped. */
export function pollDelay(policy: PollPolicy, n: number): number {
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** n);
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, min(cap, base * 2^n)). */
export function jitterDelay(policy: RetryPolicy, n: number, random: () => number): number {
  return random() * Math.min(policy.capMs, policy.baseMs * 2 ** n);
}
