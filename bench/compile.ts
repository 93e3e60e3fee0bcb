/**
 * `hunt compile` and `hunt lint` over the ESCU corpus (../shared/escu, read in place): the whole
 * CLI process, as a user runs it, median of several runs after one warm-up run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SHARED } from '../test/support/shared.js';
import type { BenchResult } from './lake-import.js';
import { median } from './median.js';

const RUNS = 7;

/** Wall time of one process; the corpus has detections that do not compile, so exit 1 is expected. */
function wall(args: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/hunt.js', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`hunt ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function measure(args: string[]): { ms: number; stdout: string } {
  const first = wall(args);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(wall(args).ms);
  return { ms: median(times), stdout: first.stdout };
}

export async function run(): Promise<BenchResult[]> {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  const corpus = join(SHARED, 'escu');
  const compile = measure(['compile', corpus, '--json']);
  const doc = JSON.parse(compile.stdout) as { total: number; compiled: number };
  const lint = measure(['lint', corpus, '--json']);
  return [
    {
      name: `hunt compile --json, ESCU corpus (${doc.total} detections, ${doc.compiled} compile; whole process)`,
      value: Math.round(compile.ms),
      unit: 'ms',
      note: 'target < 2000',
    },
    { name: `hunt lint --json, the same corpus (whole process)`, value: Math.round(lint.ms), unit: 'ms' },
  ];
}
