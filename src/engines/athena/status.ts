/**
 * What a QueryExecution says, in the engine's words: the EngineError of a FAILED or CANCELLED
 * query (StateChangeReason and AthenaError in the message and the details), and the statistics
 * a run keeps (QueryResult.stats).
 */
import type { QueryExecution } from '@aws-sdk/client-athena';
import { EngineError } from '../engine.js';

/** AthenaError.ErrorCategory (API reference): who is at fault. */
const CATEGORY: Record<number, string> = { 1: 'SYSTEM', 2: 'USER', 3: 'OTHER' };

export function finishedWithoutResult(qe: QueryExecution): EngineError {
  const id = qe.QueryExecutionId ?? '?';
  const state = qe.Status?.State ?? 'UNKNOWN';
  const reason = qe.Status?.StateChangeReason;
  const e = qe.Status?.AthenaError;
  const parts: string[] = [];
  if (e?.ErrorCategory !== undefined)
    parts.push(`category ${e.ErrorCategory} ${CATEGORY[e.ErrorCategory] ?? 'unknown'}`);
  if (e?.ErrorType !== undefined) parts.push(`type ${e.ErrorType}`);
  if (e?.Retryable !== undefined) parts.push(e.Retryable ? 'retryable' : 'not retryable');
  const athenaError = parts.length ? ` [AthenaError ${parts.join(', ')}]` : '';
  const message =
    state === 'CANCELLED'
      ? `Athena query ${id} was CANCELLED${reason ? `: ${reason}` : ''}`
      : `Athena query ${id} FAILED: ${reason ?? e?.ErrorMessage ?? 'no reason given'}${athenaError}`;
  return new EngineError(message, {
    executionId: id,
    state,
    ...(reason !== undefined ? { stateChangeReason: reason } : {}),
    ...(e
      ? {
          athenaError: {
            errorCategory: e.ErrorCategory,
            errorType: e.ErrorType,
            retryable: e.Retryable,
            ...(e.ErrorMessage !== undefined ? { errorMessage: e.ErrorMessage } : {}),
          },
        }
      : {}),
  });
}

/** QueryResult.stats for a finished query (snake_case, like the DuckDB engine's elapsed_ms). */
export function executionStats(qe: QueryExecution): Record<string, unknown> {
  const s = qe.Statistics;
  const stats: Record<string, unknown> = {
    engine: 'athena',
    execution_id: qe.QueryExecutionId,
    state: qe.Status?.State,
    workgroup: qe.WorkGroup,
  };
  const put = (k: string, v: unknown): void => {
    if (v !== undefined) stats[k] = v;
  };
  put('data_scanned_bytes', s?.DataScannedInBytes);
  put('engine_execution_ms', s?.EngineExecutionTimeInMillis);
  put('queue_ms', s?.QueryQueueTimeInMillis);
  put('total_execution_ms', s?.TotalExecutionTimeInMillis);
  put('reused_previous_result', s?.ResultReuseInformation?.ReusedPreviousResult);
  put('output_location', qe.ResultConfiguration?.OutputLocation);
  return stats;
}
