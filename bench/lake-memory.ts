/**
 * Peak resident memory of `hunt lake import` over big inputs: one ~1 GB gzip `{"Records":[...]}`
 * file, and a ~2 GB Security Lake v2 Parquet set. Each import runs
 * in a child process of its own, which reports its peak RSS (the DuckDB it embeds included).
 * Sizes scale with HUNT_BENCH_MEMORY_SCALE (default 1; 0.05 for a quick look): at full size the
 * inputs take a few minutes to write and to import.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importFiles } from '../src/lake/import.js';
import { generateApart, type BenchResult } from './lake-import.js';
import { writeSyntheticSecurityLake } from './security-lake-parquet.js';

const CHILD = '--import-and-report';
const GB = 1024 ** 3;
const MB = 1024 ** 2;
const scale = Number(process.env.HUNT_BENCH_MEMORY_SCALE ?? 1);
/** `gzip` or `parquet` to measure only one of the two */
const only = process.env.HUNT_BENCH_MEMORY_ONLY;

interface ChildReport {
  maxRssMb: number;
  seconds: number;
  added: number;
  failed: number;
}

/** Import `paths` into a fresh lake in a child process; its peak RSS and time. */
async function importApart(lake: string, paths: string[]): Promise<ChildReport> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD, lake, ...paths], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`import child exited with ${code}`);
  return JSON.parse(out) as ChildReport;
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hunt-bench-memory-'));
  try {
    const out: BenchResult[] = [];
    if (only !== 'parquet') {
      // ~1 GB of gzip: the synthetic events compress to ~160 bytes each
      const gz = join(dir, 'big.json.gz');
      await generateApart(gz, Math.round((scale * GB) / 160));
      const gzBytes = (await stat(gz)).size;
      const one = await importApart(join(dir, 'lake-gz'), [gz]);
      await rm(gz);
      out.push({
        name: 'lake import peak RSS: one gzip Records file',
        value: one.maxRssMb,
        unit: 'MB',
        note: `${(gzBytes / MB).toFixed(0)} MB gzip, ${one.added} events in ${one.seconds.toFixed(0)} s; target < 1024`,
      });
    }
    if (only !== 'gzip') {
      const set = await writeSyntheticSecurityLake(join(dir, 'security-lake'), {
        totalBytes: Math.round(scale * 2 * GB),
      });
      const two = await importApart(join(dir, 'lake-parquet'), [join(dir, 'security-lake')]);
      out.push({
        name: 'lake import peak RSS: Security Lake Parquet set',
        value: two.maxRssMb,
        unit: 'MB',
        note: `${(set.bytes / MB).toFixed(0)} MB in ${set.files.length} files, ${two.added} records in ${two.seconds.toFixed(0)} s; target < 1024`,
      });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === CHILD) {
  const [lake, ...paths] = process.argv.slice(3);
  const t = performance.now();
  const summary = await importFiles(lake!, paths);
  const report: ChildReport = {
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    seconds: (performance.now() - t) / 1000,
    added: summary.cloudtrail.added + summary.securityLake.added,
    failed: summary.files.filter((f) => f.kind === 'error').length,
  };
  process.stdout.write(JSON.stringify(report));
}
