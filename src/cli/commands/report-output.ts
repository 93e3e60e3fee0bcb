/**
 * The reports' three outputs from one column list each (data, not code per format): a terminal
 * table (numbers right-aligned), `--json` (one document, built by the caller) and `--csv`
 * (RFC 4180 via csv-stringify, a header row, arrays joined with "; ").
 */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../errors.js';

export type CellValue = string | number | null | readonly string[];

export interface Column<R> {
  /** header (the JSON key it shows, where there is one) */
  name: string;
  value: (row: R) => CellValue;
  /** numbers: right-aligned in the table */
  numeric?: boolean;
  /** the table shows this instead of the value (e.g. bytes as "1.2 GB"); CSV keeps the value */
  display?: (row: R) => string;
}

export type Format = 'table' | 'json' | 'csv';

/** --json / --csv / neither; both is a usage error naming the flags. */
export function formatOf(flags: { json?: boolean; csv?: boolean }): Format {
  if (flags.json && flags.csv) throw new UsageError('--json and --csv: choose one');
  return flags.json ? 'json' : flags.csv ? 'csv' : 'table';
}

/** Arrays are joined with "; " in CSV and shown one per line in the table. */
export const CSV_ARRAY_SEPARATOR = '; ';

const text = (v: CellValue, arraySeparator: string): string =>
  v === null ? '' : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v.join(arraySeparator);

export function csv<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  const records = rows.map((r) => columns.map((c) => text(c.value(r), CSV_ARRAY_SEPARATOR)));
  // RFC 4180: CRLF line ends; fields with a comma, quote or line break are quoted, quotes doubled
  return stringify([columns.map((c) => c.name), ...records], { record_delimiter: 'windows' });
}

export function terminalTable<R>(rows: readonly R[], columns: readonly Column<R>[], empty: string): string {
  if (rows.length === 0) return empty;
  const t = new Table({ head: columns.map((c) => c.name), style: { head: [], border: [] }, wordWrap: true });
  for (const r of rows) {
    t.push(
      columns.map((c) => {
        const content = c.display ? c.display(r) : text(c.value(r), '\n');
        return c.numeric ? { content, hAlign: 'right' as const } : content;
      }),
    );
  }
  return t.toString();
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 → "1.5 KB" (powers of 1024, as Athena's console shows data scanned); null → "". */
export function bytes(n: number | null): string {
  if (n === null) return '';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}
