/** Text for the page: escaping (everything from the data is attacker-influenced), numbers, times. */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text safe in HTML/SVG element content and in quoted attribute values alike. Characters XML
 * forbids (C0 controls other than tab/newline, lone surrogates) become U+FFFD, so a hostile
 * name cannot break the inline SVG either.
 */
export function esc(value: string | number): string {
  return String(value)
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    );
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A number as people read it: thousands separated, at most two decimals. */
export function num(n: number): string {
  return NUMBER.format(n);
}

/** ISO 8601 UTC → `2024-03-01 13:00` (minutes are what an analyst needs; the page says UTC). */
export function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** Round up to 1, 2, 2.5 or 5 × 10^k: the top of an axis whose ticks are round numbers. */
export function niceCeil(n: number): number {
  if (!(n > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (n <= m * p) return m * p;
  return 10 * p;
}
