import { EngineError } from '../engine.js';
import { classifyCommon, type FailureKind } from '../failure.js';

/** Athena's failures: the common rules, then what Athena itself says is worth retrying. */
export function classifyAthenaFailure(err: unknown): FailureKind {
  const common = classifyCommon(err);
  if (common !== 'permanent' || !(err instanceof EngineError)) return common;
  // an execution that FAILED, with Athena's verdict (retryable, or category 1: its own fault)
  const athena = err.details.athenaError as { retryable?: boolean; errorCategory?: number } | undefined;
  if (athena?.retryable === true || athena?.errorCategory === 1) return 'transient';
  // the API's throttling outlasted our retries (aws-call.ts): the next round may get through
  if (/still throttled/.test(err.message)) return 'transient';
  return 'permanent';
}
