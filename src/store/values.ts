/**
 * Values on their way into Postgres. Detection results are whatever the lake held, so they get
 * the same care as any untrusted input: bigint (DuckDB BIGINT) is not JSON, and NUL characters
 * are valid in JS strings but refused by Postgres text and jsonb. Times are normalised to UTC
 * here so the server's TimeZone setting never decides what an offset-less string means.
 */
import { DateTime } from 'luxon';

const REPLACEMENT = '\uFFFD';

/** Text for a text column: NUL (which Postgres rejects) becomes U+FFFD. */
export function pgText(s: string): string {
  return s.includes('\0') ? s.replaceAll('\0', REPLACEMENT) : s;
}

/** JSON for a jsonb parameter: bigint as a number when exact, else as a string; no \u0000. */
export function pgJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    // BigInt (the usual TypeError; a cycle would fail again below with its own message)
    text = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v,
    );
  }
  // Fast path: JSON.stringify writes NUL as the escape \u0000, which jsonb refuses. Replace the
  // escape only where it is one (preceded by an even number of backslashes).
  if (!text.includes('\\u0000')) return text;
  return text.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

/**
 * An ISO 8601 time as UTC with milliseconds (`2024-01-01T00:00:00.000Z`); a string without an
 * offset is taken as UTC, as everywhere in hunt.
 */
export function utcIso(value: string, what: string): string {
  const dt = DateTime.fromISO(value, { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`${what}: not an ISO 8601 time: ${JSON.stringify(value)}`);
  return dt.toUTC().toISO()!;
}
