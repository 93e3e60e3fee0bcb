/**
 * `hunt lake import` beside DuckDB's own `read_json` doing the plain part of the same job: the
 * same gzip `{"Records":[...]}` files (a trail directory: 100 files of 2,000 events) into Parquet
 * partitioned by region and day. hunt does more on top (classifies each record, checks its time,
 * keys and dedups it, converts to the Athena table's columns, reports per file), so the ratio is
 * what that costs. Alternating runs, medians, in one process.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb } from '../src/duckdb.js';
import { importFiles } from '../src/lake/import.js';
import { generateApart, type BenchResult } from './lake-import.js';
import { median } from './median.js';

const FILES = 100;
const PER_FILE = 2_000;
const REPEATS = 3;

/** DuckDB alone: read the Records files and write them partitioned like the lake's CloudTrail table. */
async function duckdbReadJson(input: string, out: string): Promise<void> {
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    const t = 'r.eventTime::TIMESTAMPTZ';
    await conn.run(
      `COPY (SELECT r.*, r.awsRegion AS region, strftime(${t}, '%Y') AS year, strftime(${t}, '%m') AS month, ` +
        `strftime(${t}, '%d') AS day FROM (SELECT unnest(Records) AS r FROM read_json('${input}/*.json.gz', ` +
        `maximum_object_size = 1000000000))) TO '${out}' (FORMAT parquet, PARTITION_BY (region, year, month, day))`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hunt-bench-vs-duckdb-'));
  try {
    const input = join(dir, 'trail');
    await mkdir(input);
    for (let i = 0; i < FILES; i++) await generateApart(join(input, `f${i}.json.gz`), PER_FILE, 1000 + i);
    const hunt: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      let t = performance.now();
      const summary = await importFiles(join(dir, `lake-${i}`), [input]);
      hunt.push((performance.now() - t) / 1000);
      if (summary.cloudtrail.added !== FILES * PER_FILE) throw new Error(`imported ${summary.cloudtrail.added}`);
      t = performance.now();
      await duckdbReadJson(input, join(dir, `plain-${i}`));
      plain.push((performance.now() - t) / 1000);
    }
    const h = median(hunt);
    const p = median(plain);
    const list = (xs: number[]): string => xs.map((x) => `${x.toFixed(2)} s`).join(', ');
    return [
      {
        name: 'lake import / DuckDB read_json, same files',
        value: Number((h / p).toFixed(2)),
        unit: '×',
        note: `${FILES} gzip Records files of ${PER_FILE} events: hunt ${list(hunt)}; read_json ${list(plain)}; target <= 1.5`,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
