/**
 * StartQueryExecution's ClientRequestToken (32..128 characters): Athena answers a second start
 * with the same token with the execution of the first, so a retried start (a timeout on the
 * response, a throttled retry) or a restarted hunt never runs the same query twice.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface TokenInput {
  /** the logical run (detection id, version, window) the caller names */
  idempotencyKey: string;
  sql: string;
  /** the ExecutionParameters, as rendered */
  literals: string[];
  /**
   * Everything else the start request carries. Athena refuses a known token whose request
   * differs ("idempotent parameters do not match"), so a changed workgroup, database or output
   * location must give a new token rather than an error.
   */
  context: Record<string, string | number | boolean | undefined>;
}

/** 64 hex characters: sha256 over the run's key, the SQL, its literals and the request context. */
export function requestToken(input: TokenInput): string {
  const context = Object.keys(input.context)
    .sort()
    .map((k) => [k, input.context[k] ?? null]);
  // JSON keeps the parts apart: no concatenation of two different inputs can collide
  const text = JSON.stringify(['hunt/athena/1', input.idempotencyKey, input.sql, input.literals, context]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A query without a run key still gets one token for all its retries: a fresh random one. */
export function randomToken(): string {
  return `hunt-${randomUUID()}`;
}
