/**
 * The reports' three outputs from one column list each (data, not code per format): a terminal
 * table (numbers right-aligned), `--json` (one document, built by the caller) and `--csv`
 * (RFC 4180 via csv-stringify, a header row, arrays joined with "; ").
 */
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../errors.js';
import { writeTable } from '../output-table.js';

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

/**
 * CSV injection (OWASP): a spreadsheet runs a cell that begins with =, +, -, @, tab or carriage
 * return as a formula, and event data (user names, messages, object names) can begin with any of
 * them. Such text cells get a leading ' (shown by spreadsheets, not run). Cells that are numbers
 * in the report (scores, counts: typeof number) are left as they are, so -5 stays a number; a
 * string is prefixed even when it looks numeric, since it came from data.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

const csvCell = (v: CellValue): string => {
  const t = text(v, CSV_ARRAY_SEPARATOR);
  return typeof v !== 'number' && FORMULA_START.test(t) ? `'${t}` : t;
};

export function csv<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  const records = rows.map((r) => columns.map((c) => csvCell(c.value(r))));
  // RFC 4180: CRLF line ends; fields with a comma, quote or line break are quoted, quotes doubled
  return stringify([columns.map((c) => c.name), ...records], { record_delimiter: 'windows' });
}

/** The report as a terminal table (at most TABLE_ROW_LIMIT rows, then a note pointing to --json/--csv). */
export function terminalTable<R>(
  write: (text: string) => void,
  rows: readonly R[],
  columns: readonly Column<R>[],
  empty: string,
): void {
  writeTable(
    write,
    rows,
    columns.map((c) => ({
      name: c.name,
      cell: (r: R) => (c.display ? c.display(r) : c.value(r)),
      right: c.numeric === true,
    })),
    { empty, hint: '--json or --csv' },
  );
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
