import Table from 'cli-table3';

const cell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(String).join('\n');
  return String(v);
};

/** A readable table of rows under the given columns (all keys of the rows when omitted). */
export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (rows.length === 0) return '(no results)';
  const t = new Table({ head: cols, style: { head: [], border: [] }, wordWrap: true });
  for (const r of rows) t.push(cols.map((c) => cell(r[c])));
  return t.toString();
}
