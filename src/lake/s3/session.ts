import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { bufferInput, fileInput } from '../inputs.js';
import { emptyOutcome, type FileImportReport } from '../outcome.js';
import type { ImportItem } from '../pipeline.js';
import { makeImportS3Client } from './client.js';
import { S3Downloader } from './download.js';
import { S3Ledger, type LedgerObject } from './ledger.js';
import { listS3Objects } from './list.js';
import type { ListFilter } from './prefixes.js';
import { parseS3Url, s3Uri } from './url.js';

/**
 * One import's S3 side: each `s3://` argument listed (only the prefixes the filter needs),
 * objects the lake already holds at the same ETag left out, the rest downloaded in parallel to
 * a spool and handed to the import one by one as they arrive. An object is recorded in the
 * lake's ledger only once its records are committed (`flush`, after each batch), so an
 * interrupted import resumes without fetching again what it already has.
 */

export interface S3ImportOptions {
  filter: ListFilter;
  /** downloads in flight (default 8) */
  concurrency?: number;
  /** progress of the downloads */
  progress?: {
    total(objects: number, bytes: number): void;
    bytes(n: number): void;
    object(ok: boolean): void;
  };
  env?: NodeJS.ProcessEnv;
}

/** What the S3 side did, for the summary. */
export interface S3Stats {
  listed: number;
  /** listed objects the ledger has at the same ETag: not fetched */
  alreadyImported: number;
  fetched: number;
  failed: number;
  /**
   * s3:// folders of Security Lake sources hunt has no table for, seen beside the known ones
   * and not listed; absent when there were none
   */
  unknownSources?: string[];
}

/** Objects below this size are fetched into memory rather than a spool file (CloudTrail's usually are). */
const IN_MEMORY_BELOW = 1024 * 1024;

const failedReport = (file: string, error: string): FileImportReport => ({
  ...emptyOutcome(file),
  kind: 'error',
  error,
});

export class S3Session {
  readonly stats: S3Stats = { listed: 0, alreadyImported: 0, fetched: 0, failed: 0 };
  private readonly imported: LedgerObject[] = [];
  private readonly abort = new AbortController();

  private constructor(
    private readonly client: S3Client,
    private readonly ledger: S3Ledger,
    private readonly spool: string,
    private readonly opts: S3ImportOptions,
  ) {}

  static async open(lakeDir: string, opts: S3ImportOptions): Promise<S3Session> {
    const ledger = await S3Ledger.load(lakeDir);
    const spool = await mkdtemp(join(tmpdir(), 'hunt-s3-'));
    return new S3Session(makeImportS3Client({}, opts.env ?? process.env), ledger, spool, opts);
  }

  /** The inputs of one `s3://bucket/prefix` argument; a failure is that argument's report. */
  async *items(url: string): AsyncGenerator<ImportItem> {
    let objects: Awaited<ReturnType<typeof listS3Objects>>;
    try {
      const location = parseS3Url(url, url);
      objects = await listS3Objects(this.client, location, {
        filter: this.opts.filter,
        signal: this.abort.signal,
        onUnknownSources: (prefixes) => {
          const named = prefixes.map((p) => s3Uri(location.bucket, p));
          this.stats.unknownSources = [...(this.stats.unknownSources ?? []), ...named];
        },
      });
    } catch (e) {
      this.stats.failed++;
      yield failedReport(url, (e as Error).message);
      return;
    }
    const pending = this.ledger.pending(objects);
    this.stats.listed += objects.length;
    this.stats.alreadyImported += objects.length - pending.length;
    this.opts.progress?.total(
      pending.length,
      pending.reduce((n, o) => n + o.size, 0),
    );
    const downloads = new S3Downloader(this.client, pending, {
      spoolDir: this.spool,
      ...(this.opts.concurrency !== undefined ? { concurrency: this.opts.concurrency } : {}),
      inMemoryBelow: IN_MEMORY_BELOW,
      onBytes: (n) => this.opts.progress?.bytes(n),
      signal: this.abort.signal,
    });
    for await (const r of downloads) {
      const name = s3Uri(r.object.bucket, r.object.key);
      this.opts.progress?.object(r.ok);
      if (!r.ok) {
        this.stats.failed++;
        yield failedReport(name, r.error);
        continue;
      }
      this.stats.fetched++;
      const object = r.object;
      yield {
        ...('body' in r ? bufferInput(name, r.body) : fileInput(r.file, name)),
        finished: async (ok: boolean) => {
          if (ok) this.imported.push(object);
          await r.release();
        },
      };
    }
  }

  /** Record the objects whose records are committed: they are not fetched again. */
  async flush(): Promise<void> {
    const done = this.imported.splice(0);
    await this.ledger.record(done);
  }

  /** Stop downloads still running and remove the spool. */
  async close(): Promise<void> {
    this.abort.abort();
    await rm(this.spool, { recursive: true, force: true });
  }
}
