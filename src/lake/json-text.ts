/**
 * Staged JSON text for a parsed record. DuckDB's JSON reader rejects lone UTF-16 surrogates
 * ("no low surrogate"), which JSON.parse accepts from `\ud800` escapes and JSON.stringify writes
 * back as escapes: one such string would fail a whole import, so they become U+FFFD.
 */

interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Node 20 has String.prototype.toWellFormed; the project's TS lib predates its typing. */
export function wellFormed(text: string): string {
  const s = text as unknown as WellFormed;
  return s.isWellFormed() ? text : s.toWellFormed();
}

/** A copy of a JSON value with every string (keys too) well-formed. */
export function wellFormedDeep(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormedDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormedDeep(v)]));
  }
  return value;
}

/** JSON.stringify escapes lone surrogates as `\udXXX` (valid pairs are written as characters). */
const SURROGATE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

/** One line of NDJSON for a record. */
export function stagedJson(value: unknown): string {
  const text = JSON.stringify(value);
  return SURROGATE_ESCAPE.test(text) ? JSON.stringify(wellFormedDeep(value)) : text;
}
