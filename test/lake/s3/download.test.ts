import { mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DownloadResult, S3Downloader } from '../../../src/lake/s3/download.js';
import { S3Ledger } from '../../../src/lake/s3/ledger.js';
import { listS3Objects, type S3ObjectInfo } from '../../../src/lake/s3/list.js';
import { parseS3Url } from '../../../src/lake/s3/url.js';
import { type S3Env, startS3 } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let env: S3Env;
let spool: string;
beforeAll(async () => {
  env = await startS3();
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  env.s3.reset();
  spool = await mkdtemp(join(tmpdir(), 'hunt-s3-spool-'));
});
afterEach(async () => {
  await rm(spool, { recursive: true, force: true });
});

const B = 'dl-bucket';
const uri = (key: string): string => `s3://${B}/${key}`;

function putMany(n: number, size = 1000): void {
  for (let i = 0; i < n; i++) env.s3.put(uri(`data/f${String(i).padStart(3, '0')}.json`), `${i}`.padEnd(size, 'x'));
}

const list = (prefix = 'data/'): Promise<S3ObjectInfo[]> => listS3Objects(env.client(), parseS3Url(uri(prefix)));

async function collect(d: S3Downloader): Promise<DownloadResult[]> {
  const out: DownloadResult[] = [];
  for await (const r of d) out.push(r);
  return out;
}

describe('S3Downloader', () => {
  it('downloads in parallel up to the limit, each object to its own spool file, deleted on release', async () => {
    putMany(20);
    env.s3.getDelayMs = 30;
    const objects = await list();
    const d = new S3Downloader(env.client(), objects, { spoolDir: spool, concurrency: 4 });
    let checked = 0;
    for await (const r of d) {
      expect(r.ok).toBe(true);
      if (!r.ok || !('file' in r)) continue;
      expect(await readFile(r.file)).toEqual(env.s3.get(uri(r.object.key)));
      await r.release();
      checked++;
    }
    expect(checked).toBe(20);
    expect(env.s3.maxActiveGets).toBeLessThanOrEqual(4);
    expect(env.s3.maxActiveGets).toBeGreaterThan(1);
    expect(await readdir(spool)).toEqual([]);
    expect(d.bytesDone).toBe(20_000);
  });

  it('streams a large object to disk without holding it in memory', async () => {
    const size = 50 * 1024 * 1024;
    env.s3.putGenerated(uri('big/huge.json.gz'), size);
    const objects = await list('big/');
    // live memory (after a collection), JS heap and Buffers both: garbage chunks do not count
    const mem = (): number => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = mem();
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, mem());
    }, 5);
    const [r] = await collect(new S3Downloader(env.client(), objects, { spoolDir: spool }));
    clearInterval(sampler);
    peak = Math.max(peak, mem());
    expect(r?.ok).toBe(true);
    if (!r?.ok || !('file' in r)) return;
    const head = Buffer.alloc(26);
    const fh = await open(r.file);
    await fh.read(head, 0, 26, 0);
    await fh.close();
    expect(head.toString()).toBe('abcdefghijklmnopqrstuvwxyz');
    expect((await stat(r.file)).size).toBe(size);
    expect(peak - base).toBeLessThan(size / 5);
  });

  it('reports a failing object with its URI and S3 error code while the others succeed', async () => {
    putMany(4);
    env.s3.put(uri('data/secret.json'), 'no');
    env.s3.deny(uri('data/secret.json'));
    env.s3.put(uri('data/kms.json'), 'kms');
    env.s3.failGets(uri('data/kms.json'), 99, 400, 'KMS.DisabledException', 'The key is disabled.');
    const objects = await list();
    const gone: S3ObjectInfo = { bucket: B, key: 'data/gone.json', etag: '"x"', size: 3, lastModified: new Date() };
    const results = await collect(new S3Downloader(env.client(), [...objects, gone], { spoolDir: spool }));
    const failed = results.filter((r) => !r.ok).map((r) => (r.ok ? '' : `${r.code} ${r.error}`));
    expect(failed.sort()).toEqual([
      'AccessDenied s3://dl-bucket/data/secret.json: AccessDenied: Access Denied',
      'KMS.DisabledException s3://dl-bucket/data/kms.json: KMS.DisabledException: The key is disabled.',
      'NoSuchKey s3://dl-bucket/data/gone.json: NoSuchKey: The specified key does not exist.',
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(4);
  });

  it('retries transient errors (the SDK) and resumes a body cut mid-stream (Range from the bytes on disk)', async () => {
    env.s3.put(uri('data/flaky.json'), 'f'.repeat(5000));
    env.s3.failGets(uri('data/flaky.json'), 2, 503, 'SlowDown', 'Please reduce your request rate.');
    env.s3.put(uri('data/cut.json'), Buffer.from('0123456789'.repeat(20_000)));
    env.s3.cutBody(uri('data/cut.json'), 70_000);
    const objects = await list();
    let progress = 0;
    const d = new S3Downloader(env.client(), objects, { spoolDir: spool, onBytes: (n) => (progress += n) });
    const results = await collect(d);
    expect(results.map((r) => (r.ok ? true : r.error))).toEqual([true, true]);
    // bytes received twice (cut before reaching the disk) are counted once
    expect(d.bytesDone).toBe(205_000);
    expect(progress).toBe(205_000);
    for (const r of results)
      if (r.ok && 'file' in r) expect(await readFile(r.file)).toEqual(env.s3.get(uri(r.object.key)));
    expect(env.s3.gets(uri('data/flaky.json'))).toBe(3);
    const cutGets = env.s3.requests.filter((q) => q.key === 'data/cut.json' && q.method === 'GET');
    expect(cutGets).toHaveLength(2);
    expect(cutGets[1]?.headers.range).toMatch(/^bytes=\d+-$/);
    expect(cutGets[1]?.headers['if-match']).toBe(env.s3.etag(uri('data/cut.json')));
  });

  it('keeps objects below inMemoryBelow in memory, no spool file, resuming a cut body from what it has', async () => {
    env.s3.put(uri('data/small.json'), Buffer.alloc(50_000, 3));
    env.s3.cutBody(uri('data/small.json'), 20_000);
    env.s3.put(uri('data/big.json'), Buffer.alloc(300_000, 4));
    env.s3.put(uri('data/tiny.parquet'), Buffer.from('PAR1 not really'));
    const results = await collect(
      new S3Downloader(env.client(), await list(), { spoolDir: spool, inMemoryBelow: 100_000 }),
    );
    const by = new Map(results.map((r) => [r.object.key, r]));
    const small = by.get('data/small.json');
    expect(small && small.ok && 'body' in small && small.body).toEqual(env.s3.get(uri('data/small.json')));
    const cut = env.s3.requests.filter((q) => q.key === 'data/small.json' && q.method === 'GET');
    expect(cut[1]?.headers.range).toBe('bytes=20000-');
    // above the bound, and Parquet whatever its size (DuckDB reads it from a file): spooled
    expect(by.get('data/big.json')).toHaveProperty('file');
    expect(by.get('data/tiny.parquet')).toHaveProperty('file');
    expect((await readdir(spool)).length).toBe(2);
  });

  it('fetches only the listed version (If-Match): an object changed since the listing fails with PreconditionFailed', async () => {
    env.s3.put(uri('data/cut.json'), Buffer.alloc(200_000, 1));
    env.s3.cutBody(uri('data/cut.json'), 100_000);
    const objects = await list();
    env.s3.put(uri('data/cut.json'), Buffer.alloc(200_000, 2));
    env.s3.cutBody(uri('data/cut.json'), 100_000);
    const [r] = await collect(new S3Downloader(env.client(), objects, { spoolDir: spool }));
    expect(r && !r.ok && r.code).toBe('PreconditionFailed');
  });

  it('gives up on a body cut on every attempt', async () => {
    env.s3.put(uri('data/cut.json'), Buffer.alloc(200_000, 1));
    env.s3.cutBody(uri('data/cut.json'), 1000, 10);
    const [r] = await collect(new S3Downloader(env.client(), await list(), { spoolDir: spool, bodyAttempts: 2 }));
    expect(r?.ok).toBe(false);
    expect(r && !r.ok && r.error).toMatch(/^s3:\/\/dl-bucket\/data\/cut\.json: /);
    expect(await readdir(spool)).toEqual([]);
  });

  it('keeps the spool within its byte bound: batches end when it is full, until files are released', async () => {
    putMany(10, 1000);
    const d = new S3Downloader(env.client(), await list(), { spoolDir: spool, concurrency: 8, maxSpoolBytes: 3000 });
    const sizes: number[] = [];
    let total = 0;
    for await (const batch of d.batches(100)) {
      sizes.push(batch.length);
      expect(d.spoolBytes).toBeLessThanOrEqual(3000);
      expect((await readdir(spool)).length).toBeLessThanOrEqual(3);
      for (const r of batch) if (r.ok) await r.release();
      total += batch.length;
    }
    expect(total).toBe(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(env.s3.maxActiveGets).toBeLessThanOrEqual(3);
  });

  it('says so instead of waiting forever when the consumer holds the whole spool', async () => {
    putMany(5, 1000);
    const d = new S3Downloader(env.client(), await list(), { spoolDir: spool, maxSpoolBytes: 2000 });
    await expect(collect(d)).rejects.toThrow(/spool full/);
  });
});

describe('an import round with the ledger', () => {
  it('skips imported objects, fetches again those whose ETag changed, and only those', async () => {
    putMany(3);
    const lake = spool;
    const round = async (): Promise<string[]> => {
      const ledger = await S3Ledger.load(lake);
      const todo = ledger.pending(await list());
      const done: S3ObjectInfo[] = [];
      for await (const batch of new S3Downloader(env.client(), todo, { spoolDir: join(lake, 'spool') }).batches(2)) {
        for (const r of batch) if (r.ok) await r.release();
        done.push(...batch.filter((r) => r.ok).map((r) => r.object));
        await ledger.record(done.splice(0));
      }
      return todo.map((o) => o.key);
    };
    expect(await round()).toEqual(['data/f000.json', 'data/f001.json', 'data/f002.json']);
    expect(await round()).toEqual([]);
    env.s3.put(uri('data/f001.json'), 'changed');
    env.s3.put(uri('data/f003.json'), 'new');
    expect(await round()).toEqual(['data/f001.json', 'data/f003.json']);
    expect(env.s3.gets(uri('data/f000.json'))).toBe(1);
    expect(env.s3.gets(uri('data/f001.json'))).toBe(2);
  });
});
