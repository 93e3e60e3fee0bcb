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

/**
 * One line of NDJSON for a record, or why it cannot be one. JSON.stringify recurses, so a record
 * nested deeper than the stack (JSON.parse takes any depth) is a bad record, not a failed import.
 */
export function stagedJson(value: unknown): { json: string } | { problem: string } {
  try {
    const text = JSON.stringify(value);
    return { json: SURROGATE_ESCAPE.test(text) ? JSON.stringify(wellFormedDeep(value)) : text };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    if (/call stack/i.test(e.message))
      return { problem: 'nested too deeply to import (JSON.stringify ran out of stack)' };
    return { problem: `cannot be staged (${e.message})` };
  }
}
