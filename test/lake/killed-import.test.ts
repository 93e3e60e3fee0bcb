import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/lake/import.js';
import { STAGING_PREFIX } from '../../src/lake/write-table.js';
import { ctEvent, filesUnder, query, tempDirs, writeGzip } from './helpers.js';

const tmp = tempDirs();
const CHILD = join(import.meta.dirname, '..', 'support', 'import-child.ts');
const BATCH = 1024 * 1024;

/** Counts the lake's records per eventID: every query must succeed while the import runs. */
async function perId(lake: string): Promise<Map<string, number>> {
  const rows = await query(lake, 'SELECT eventid, count(*) AS n FROM cloudtrail GROUP BY ALL');
  return new Map(rows.map((r) => [String(r.eventid), Number(r.n)]));
}

/** Start the import in a child and SIGKILL it once `when` says so; resolves with what was seen meanwhile. */
async function killedImport(lake: string, paths: string[], when: (files: string[]) => boolean): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, lake, String(BATCH), ...paths], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let reads = 0;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done) {
    const files = (await filesUnder(join(lake, 'cloudtrail'))).filter((f) => f.endsWith('.parquet'));
    if (files.length > 0) {
      // the lake is readable mid-import: every view query succeeds, and nothing appears twice
      const ids = await perId(lake);
      expect([...ids.values()].every((n) => n === 1)).toBe(true);
      reads++;
    }
    if (when(files)) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await exited;
  return reads;
}

describe('an import killed with SIGKILL', () => {
  it('re-run, ends with exactly the records of one clean import, the lake readable throughout', async () => {
    const dir = await tmp();
    // ~4 MiB chunks in 1 MiB batches: the file commits in several steps
    const events = Array.from({ length: 16_000 }, (_, i) => ctEvent({ eventName: `E${i % 97}` }));
    const big = await writeGzip(dir, 'big.json.gz', JSON.stringify({ Records: events }));
    const small = await writeGzip(dir, 'small.json.gz', JSON.stringify({ Records: [ctEvent(), ctEvent()] }));
    const clean = join(dir, 'clean');
    await importFiles(clean, [big, small]);
    const expected = await perId(clean);
    expect(expected.size).toBe(16_002);

    const lake = join(dir, 'killed');
    // killed once part of the big file is committed, then again right at the start
    const reads = await killedImport(lake, [big, small], (files) => files.length > 0);
    expect(reads).toBeGreaterThan(0);
    const partial = await perId(lake);
    expect(partial.size).toBeGreaterThan(0);
    expect(partial.size).toBeLessThan(expected.size);
    await killedImport(lake, [big, small], () => true);

    const rerun = await importFiles(lake, [big, small]);
    expect(rerun.files.map((f) => f.kind)).toEqual(['cloudtrail', 'cloudtrail']);
    expect(rerun.cloudtrail.added + partial.size).toBeGreaterThanOrEqual(expected.size);
    expect(await perId(lake)).toEqual(expected);
    // staging left by the killed runs is gone
    expect((await filesUnder(lake)).filter((f) => f.startsWith(STAGING_PREFIX))).toEqual([]);
  });
});
