/**
 * Terminal tables, drawn as cli-table3 drew them (a box, a rule between rows) but in linear
 * time and streamed: column widths come from one pass over the rows shown, then each row is
 * written as soon as it is formatted. cli-table3's layout is quadratic in the rows (37,000
 * rows took 66 s). A table shows at most TABLE_ROW_LIMIT rows, then a note with the total and
 * the flag that prints everything: a terminal is not the place for more, and --json / --csv
 * are. Cells are shown with control characters escaped (escapeControls): data must not drive
 * the terminal.
 */
import { escapeControls } from '../text/escape-controls.js';
import { displayWidth } from './display-width.js';

/** Rows a terminal table shows before it stops with a note. */
export const TABLE_ROW_LIMIT = 1000;

/** A cell: text, or lines (a list shows one item per line). */
export type TableCell = string | number | null | undefined | readonly unknown[];

export interface TableColumn<R> {
  name: string;
  cell: (row: R) => TableCell;
  /** numbers: right-aligned */
  right?: boolean;
}

export interface TableOptions {
  /** what to print when there are no rows */
  empty: string;
  /** the flags that print every row, for the note past the limit (e.g. "--json or --csv") */
  hint?: string;
  /** rows shown (default TABLE_ROW_LIMIT) */
  limit?: number;
}

const linesOf = (v: TableCell): string[] => {
  if (v === undefined || v === null) return [''];
  if (Array.isArray(v)) return v.length === 0 ? [''] : v.map((x) => escapeControls(String(x)));
  return [escapeControls(String(v))];
};

/** Writes the table to `write`, one call per row (and one per border and the note). */
export function writeTable<R>(
  write: (text: string) => void,
  rows: readonly R[],
  columns: readonly TableColumn<R>[],
  opts: TableOptions,
): void {
  if (rows.length === 0) {
    write(opts.empty);
    return;
  }
  const limit = opts.limit ?? TABLE_ROW_LIMIT;
  const shown = rows.length > limit ? rows.slice(0, limit) : rows;
  const head = columns.map((c) => [escapeControls(c.name)]);
  const body = shown.map((r) => columns.map((c) => linesOf(c.cell(r))));
  const widths = columns.map(() => 0);
  for (const row of [head, ...body])
    row.forEach((lines, i) => {
      for (const l of lines) widths[i] = Math.max(widths[i] ?? 0, displayWidth(l));
    });
  const rule = (left: string, mid: string, right: string): string =>
    `${left}${widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`;
  const text = (row: string[][], right: (i: number) => boolean): string => {
    const height = Math.max(...row.map((lines) => lines.length));
    const out: string[] = [];
    for (let line = 0; line < height; line++) {
      const cells = row.map((lines, i) => {
        const t = lines[line] ?? '';
        const pad = ' '.repeat((widths[i] ?? 0) - displayWidth(t));
        return right(i) ? ` ${pad}${t} ` : ` ${t}${pad} `;
      });
      out.push(`│${cells.join('│')}│`);
    }
    return out.join('\n');
  };
  const between = rule('├', '┼', '┤');
  write(`${rule('┌', '┬', '┐')}\n${text(head, () => false)}`);
  for (const row of body) write(`${between}\n${text(row, (i) => columns[i]?.right === true)}`);
  write(rule('└', '┴', '┘'));
  if (shown.length < rows.length) write(limitNote(shown.length, rows.length, opts.hint));
}

/** "(showing the first 1000 of 37000 rows; --json prints them all)" */
export function limitNote(shown: number, total: number, hint: string | undefined): string {
  return `(showing the first ${shown} of ${total} rows${hint ? `; ${hint} prints them all` : ''})`;
}

/** Rows of plain records under the given columns (all keys of the rows when omitted). */
export function writeRecords(
  write: (text: string) => void,
  rows: readonly Record<string, unknown>[],
  columns: readonly string[] | undefined,
  opts: TableOptions,
): void {
  const names = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  writeTable(
    write,
    rows,
    names.map((name) => ({ name, cell: (r) => cellOf(r[name]) })),
    opts,
  );
}

const cellOf = (v: unknown): TableCell =>
  v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || Array.isArray(v)
    ? (v as TableCell)
    : String(v);
