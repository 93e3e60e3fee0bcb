/**
 * `npm run bench`: every benchmark module, one after the other, as a table. Each builds its own
 * deterministic data; figures are for the machine it runs on (compare ratios, not absolutes).
 */
import type { BenchResult } from './lake-import.js';

const MODULES = [
  './lake-import.js',
  './lake-vs-duckdb.js',
  './lake-s3.js',
  './lake-memory.js',
  './hunt-run.js',
  './store.js',
  './compile.js',
  './backfill.js',
  './reports.js',
  './table.js',
];

const only = process.argv.slice(2);
const rows: (BenchResult & { bench: string })[] = [];
for (const m of MODULES) {
  const name = m.replace(/^\.\/|\.js$/g, '');
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench ${name} ...\n`);
  const mod = (await import(m)) as { run(): Promise<BenchResult[]> };
  for (const r of await mod.run()) rows.push({ ...r, bench: name });
}
const width = Math.max(...rows.map((r) => r.name.length));
for (const r of rows) {
  process.stdout.write(
    `${r.bench.padEnd(12)} ${r.name.padEnd(width)}  ${String(r.value).padStart(10)} ${r.unit}${r.note ? `  (${r.note})` : ''}\n`,
  );
}
