import { EngineError } from '../engines/engine.js';

/**
 * What kind of failure a run ended in, for the scheduler's retry decision:
 * - aborted: we stopped it (shutdown, Ctrl-C, a lost claim); says nothing about the window;
 * - transient: may well succeed if tried again (throttling, timeouts, network, Athena errors it
 *   marks retryable or blames on itself);
 * - permanent: will fail the same way again until someone changes something (bad SQL, a missing
 *   table, permissions, a missing lake).
 */
export type FailureKind = 'aborted' | 'transient' | 'permanent';

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServerException',
  'ServiceUnavailable',
]);

export function classifyFailure(err: unknown, signal?: AbortSignal): FailureKind {
  if (signal?.aborted) return 'aborted';
  if (err instanceof EngineError) {
    const d = err.details;
    if (d.reason === 'aborted') return 'aborted';
    if (d.reason === 'timeout') return 'transient';
    const athena = d.athenaError as { retryable?: boolean; errorCategory?: number } | undefined;
    if (athena?.retryable === true || athena?.errorCategory === 1) return 'transient';
    const info = d.error as { name?: string; httpStatus?: number; message?: string } | undefined;
    if (
      info &&
      (TRANSIENT_NAMES.has(info.name ?? '') || (info.httpStatus ?? 0) >= 500 || mentionsNetworkCode(info.message))
    )
      return 'transient';
    if (/still throttled/.test(err.message)) return 'transient';
    return 'permanent';
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'transient';
  return 'permanent';
}

// the SDK passes Node's socket errors on with their code in the message only
const mentionsNetworkCode = (message: string | undefined): boolean =>
  [...NETWORK_CODES].some((c) => message?.includes(c));

/** Exponential backoff with equal jitter: attempt 1 waits base/2..base, then twice that, … up to max. */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}
