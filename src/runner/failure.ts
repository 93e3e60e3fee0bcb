import { classifyEngineFailure } from '../engines/registry.js';
import type { FailureKind } from '../engines/failure.js';
import type { RunErrorKind } from '../store/model.js';

// how each kind of engine failure is stored (the store owns its column's values)
const STORED: Record<FailureKind, RunErrorKind> = {
  aborted: 'aborted',
  transient: 'transient',
  permanent: 'permanent',
};

/**
 * What kind of failure a run ended in, for the scheduler's retry decision (see
 * engines/failure.ts): aborted when we stopped it, else what the engine that ran it says.
 */
export function classifyFailure(err: unknown, signal: AbortSignal | undefined, engine: string): RunErrorKind {
  if (signal?.aborted) return 'aborted';
  return STORED[classifyEngineFailure(engine, err)];
}

/** Exponential backoff with equal jitter: attempt 1 waits base/2..base, then twice that, … up to max. */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}
