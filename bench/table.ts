/**
 * Terminal tables (src/cli/output-table.ts): rendering time against the number of rows, with
 * the row limit lifted, to show it grows linearly (cli-table3 took 66 s for 37,000 rows and
 * never finished 110,000); and what `hunt run` prints for 110,000 results (the capped table).
 */
import { TABLE_ROW_LIMIT, writeRecords } from '../src/cli/output-table.js';
import type { BenchResult } from './lake-import.js';
import { median } from './median.js';

const RUNS = 5;

const rowsOf = (n: number): Record<string, unknown>[] =>
  Array.from({ length: n }, (_, i) => ({
    eventName: i % 3 === 0 ? 'PutImage' : 'GetObject',
    userName: `user-${i % 997}`,
    sourceIPAddress: `203.0.113.${i % 250}`,
    count: i,
    buckets: [`bucket-${i % 7}`, `bucket-${i % 11}`],
  }));

function time(rows: Record<string, unknown>[], limit: number): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let bytes = 0;
    const t = performance.now();
    writeRecords((s) => (bytes += s.length), rows, undefined, { empty: '', hint: '--json', limit });
    times.push(performance.now() - t);
    if (bytes === 0) throw new Error('nothing rendered');
  }
  return median(times);
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of [11_000, 37_000, 110_000]) {
    out.push({
      name: `table of ${n} rows, no row limit`,
      value: Math.round(time(rowsOf(n), Number.POSITIVE_INFINITY)),
      unit: 'ms',
      note: 'linear in the rows',
    });
  }
  out.push({
    name: `table of 110000 rows as hunt prints it (first ${TABLE_ROW_LIMIT} and a note)`,
    value: Math.round(time(rowsOf(110_000), TABLE_ROW_LIMIT)),
    unit: 'ms',
  });
  return out;
}
