/**
 * One AWS API call as the engine makes it: throttling retried with full-jitter backoff up to a
 * bound, anything else turned into an EngineError at once, an abort reported as such. The SDK's
 * own retries are off in clients the engine makes (maxAttempts 1), so this is the only policy.
 */
import { EngineError } from '../engine.js';
import { jitterDelay, type RetryPolicy, type Timing } from './timing.js';

/**
 * Error names that mean "slow down", not "wrong": ThrottlingException (the API rate, e.g.
 * StartQueryExecution ~20/s) and TooManyRequestsException (Athena's, with Reason
 * CONCURRENT_QUERY_LIMIT_EXCEEDED when the active-query quota is full); S3 says SlowDown.
 */
const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded']);

/** What an SDK error tells (read defensively: anything may be thrown). */
export interface AwsErrorInfo {
  name: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  /** TooManyRequestsException.Reason */
  reason?: string;
}

export function awsErrorInfo(err: unknown): AwsErrorInfo {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const info: AwsErrorInfo = { name: err.name, message: err.message };
  const meta = field(err, '$metadata');
  const status = field(meta, 'httpStatusCode');
  const requestId = field(meta, 'requestId');
  const reason = field(err, 'Reason');
  if (typeof status === 'number') info.httpStatus = status;
  if (typeof requestId === 'string') info.requestId = requestId;
  if (typeof reason === 'string') info.reason = reason;
  return info;
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

export const isThrottling = (info: AwsErrorInfo): boolean => THROTTLING.has(info.name) || info.httpStatus === 429;

/** The call was abandoned because the caller's signal aborted (the engine says why). */
export class CallAborted extends Error {
  constructor(readonly operation: string) {
    super(`${operation} abandoned: aborted`);
    this.name = 'CallAborted';
  }
}

export interface CallContext {
  retry: RetryPolicy;
  timing: Timing;
  /** aborts the HTTP request in flight and any backoff wait */
  signal?: AbortSignal;
  /** the service, for messages: Athena, S3 */
  service: string;
}

/**
 * Runs `send` (which must pass the abort signal it gets on to the SDK) until it succeeds, is
 * refused for a reason other than throttling, or has been throttled `maxAttempts` times.
 */
export async function awsCall<T>(
  operation: string,
  ctx: CallContext,
  send: (signal?: AbortSignal) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) throw new CallAborted(operation);
    try {
      return await send(ctx.signal);
    } catch (err) {
      if (ctx.signal?.aborted) throw new CallAborted(operation);
      const info = awsErrorInfo(err);
      const what = `${info.name}${info.reason ? ` (${info.reason})` : ''}: ${info.message}`;
      const details = { service: ctx.service, operation, attempts: attempt, error: info };
      if (!isThrottling(info)) throw new EngineError(`${ctx.service} ${operation} failed: ${what}`, details);
      if (attempt >= ctx.retry.maxAttempts) {
        throw new EngineError(
          `${ctx.service} ${operation} still throttled after ${attempt} attempts, giving up: ${what}`,
          details,
        );
      }
      await ctx.timing.sleep(jitterDelay(ctx.retry, attempt - 1, ctx.timing.random), ctx.signal);
    }
  }
}
