/**
 * Durations in configuration and flags: `90s`, `10m`, `24h`, `7d`, `400d`, or sums like `1h30m`.
 * Hand-written rather than a library: five units and one regex, and errors that point at the
 * character that is wrong (the libraries return NaN or undefined).
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

export class DurationError extends Error {
  override readonly name = 'DurationError';
  constructor(
    readonly text: string,
    readonly position: number,
  ) {
    super(
      `invalid duration ${JSON.stringify(text)} at position ${position}: expected a number and a unit (ms, s, m, h, d, w), e.g. 90s, 10m, 24h, 7d, 1h30m`,
    );
  }
}

/** Milliseconds in `text`; throws DurationError naming the position. */
export function parseDuration(text: string): number {
  let pos = 0;
  let total = 0;
  if (text.length === 0) throw new DurationError(text, 0);
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) throw new DurationError(text, pos);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    pos = PART.lastIndex;
  }
  return total;
}

/** `5400000` → `1h30m`: for logs and status. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const parts: string[] = [];
  let left = Math.round(ms / 1000);
  for (const [unit, s] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (left >= s) {
      parts.push(`${Math.floor(left / s)}${unit}`);
      left %= s;
    }
  }
  return parts.slice(0, 2).join('') || '0s';
}
