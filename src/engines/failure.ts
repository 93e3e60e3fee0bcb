import { EngineError } from './engine.js';

/**
 * What kind of failure a query ended in, for the scheduler's retry decision:
 * - aborted: we stopped it (shutdown, Ctrl-C, a lost claim); says nothing about the window;
 * - transient: may well succeed if tried again (throttling, timeouts, network, errors the
 *   service marks retryable or blames on itself);
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

/**
 * What every engine's failures share: an EngineError's `reason` (aborted, timeout), a service
 * error it wraps (`details.error`: throttling, 5xx, network), and Node's socket errors.
 * Each engine's own classifier (see registry.ts) adds what only it knows.
 */
export function classifyCommon(err: unknown): FailureKind {
  if (err instanceof EngineError) {
    const d = err.details;
    if (d.reason === 'aborted') return 'aborted';
    if (d.reason === 'timeout') return 'transient';
    const info = d.error as { name?: string; httpStatus?: number; message?: string } | undefined;
    if (
      info &&
      (TRANSIENT_NAMES.has(info.name ?? '') || (info.httpStatus ?? 0) >= 500 || mentionsNetworkCode(info.message))
    )
      return 'transient';
    return 'permanent';
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'transient';
  return 'permanent';
}

// the SDK passes Node's socket errors on with their code in the message only
const mentionsNetworkCode = (message: string | undefined): boolean =>
  [...NETWORK_CODES].some((c) => message?.includes(c));
