import type { Translation } from '../translate/translate.js';

/**
 * Engine rows → result rows under their SPL names with SPL kinds: numbers as numbers,
 * multivalue fields as arrays, missing fields left out (as Splunk leaves them out).
 */
export function toResultRows(
  rows: Record<string, unknown>[],
  fields: Translation['fields'],
): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = normalise(row[f.column], f.type);
      if (v !== undefined) out[f.name] = v;
    }
    return out;
  });
}

function normalise(v: unknown, type: Translation['fields'][number]['type']): unknown {
  if (v === null || v === undefined) return undefined;
  switch (type) {
    case 'int':
    case 'num': {
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
      return typeof n === 'number' && Number.isFinite(n) ? n : String(v);
    }
    case 'mv': {
      const list = Array.isArray(v) ? v : [v];
      const values = list.filter((x) => x !== null && x !== undefined).map(String);
      return values.length ? values : undefined;
    }
    default:
      return typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : String(v);
  }
}
