/**
 * Download listed objects into a spool directory, several at a time, each streamed to its file
 * (memory stays bounded whatever the object's size), and hand them to the consumer as they
 * finish, so the import of finished files overlaps later downloads.
 *
 * Retries: the SDK's standard retry strategy (the client's maxAttempts, 3 by default) repeats a
 * GetObject that fails before its body starts (5xx, throttling, network errors). A body cut
 * mid-stream is not the SDK's to retry: it is resumed here with a Range request from the bytes
 * already on disk. Every request is pinned to the listed ETag (If-Match): the file is the
 * version the ledger will record, never pieces of two versions.
 *
 * Failures are per object: a result `{ ok: false }` naming the s3:// URI and S3's error code
 * (AccessDenied, NoSuchKey, KMS.*, ...); the other downloads go on.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeS3Error, s3ErrorCode } from './client.js';
import type { S3ObjectInfo } from './list.js';
import { s3Uri } from './url.js';

export interface DownloadOptions {
  /** where files are written (created if missing); each is deleted by its `release()` */
  spoolDir: string;
  /** downloads in flight at once (default 8) */
  concurrency?: number;
  /**
   * Bytes the spool may hold: downloads in flight plus finished files not yet released (by the
   * listed sizes). A download starts only within the bound, except when the spool is empty, so
   * an object larger than the bound still goes through, alone. Default 2 GiB.
   */
  maxSpoolBytes?: number;
  /** attempts to finish a body cut mid-stream (default 3) */
  bodyAttempts?: number;
  /**
   * Objects smaller than this (and not Parquet, which is read from a file) are kept in memory,
   * not spooled: a file written, opened, read and removed per object cost more than the rest of
   * importing a small CloudTrail file. They count against `maxSpoolBytes` all the same. Default 0.
   */
  inMemoryBelow?: number;
  /** called as bytes arrive (for progress) */
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
}

export type DownloadResult =
  | {
      ok: true;
      object: S3ObjectInfo;
      /** the spool file, with the key's file name (extension kept) */
      file: string;
      /** delete the file and free its room in the spool: call once imported (or skipped) */
      release(): Promise<void>;
    }
  | {
      ok: true;
      object: S3ObjectInfo;
      /** the object's bytes (below `inMemoryBelow`) */
      body: Buffer;
      /** free its room in the spool: call once imported (or skipped) */
      release(): Promise<void>;
    }
  | {
      ok: false;
      object: S3ObjectInfo;
      /** S3's error code (AccessDenied, NoSuchKey, ...) or the local one (ENOSPC, IncompleteBody) */
      code: string;
      /** `s3://bucket/key: CODE: message` */
      error: string;
    };

export const DEFAULT_DOWNLOAD_CONCURRENCY = 8;
export const DEFAULT_MAX_SPOOL_BYTES = 2 * 1024 ** 3;

/** A spool file name: a sequence number (keys of different folders share names) and the key's own name. */
export function spoolName(index: number, key: string): string {
  const base = (key.split('/').pop() || 'object').replace(/[^A-Za-z0-9._-]/g, '_').slice(-120);
  return `${String(index).padStart(6, '0')}-${base}`;
}

class DownloadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Downloads `objects` as they are iterated. Iterate the results one by one, or in `batches()`;
 * either way release each ok result's file once it is consumed, or the spool bound stops the
 * downloads (iterating one by one then throws instead of waiting forever).
 */
export class S3Downloader implements AsyncIterable<DownloadResult> {
  private readonly pending: { object: S3ObjectInfo; index: number }[];
  private readonly ready: DownloadResult[] = [];
  private readonly concurrency: number;
  private readonly maxSpool: number;
  private active = 0;
  private held = 0;
  private started = false;
  private wake: (() => void) | undefined;
  /** bytes written to the spool so far, for progress reports */
  bytesDone = 0;

  constructor(
    private readonly client: S3Client,
    objects: readonly S3ObjectInfo[],
    private readonly options: DownloadOptions,
  ) {
    this.pending = objects.map((object, index) => ({ object, index }));
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY);
    this.maxSpool = Math.max(1, options.maxSpoolBytes ?? DEFAULT_MAX_SPOOL_BYTES);
  }

  /** Bytes held by the spool now (in flight and unreleased). */
  get spoolBytes(): number {
    return this.held;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<DownloadResult> {
    for await (const batch of this.batches(1)) yield* batch;
  }

  /**
   * Finished downloads in batches of up to `size`: a smaller batch comes when nothing more can
   * finish until files are released (the spool is full), and at the end.
   */
  async *batches(size: number): AsyncGenerator<DownloadResult[]> {
    await this.start();
    try {
      yield* this.loop(size);
    } finally {
      // a consumer that stops early: start nothing more (downloads in flight finish into the
      // spool, whose directory is the caller's to remove)
      this.pending.length = 0;
    }
  }

  private async *loop(size: number): AsyncGenerator<DownloadResult[]> {
    for (;;) {
      this.schedule();
      if (this.ready.length >= size || (this.ready.length > 0 && this.active === 0)) {
        yield this.ready.splice(0, size);
        continue;
      }
      if (this.active === 0) {
        if (this.pending.length === 0) return;
        throw new Error(
          `S3 download spool full (${this.held} bytes held, bound ${this.maxSpool}): release downloaded files to go on`,
        );
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private async start(): Promise<void> {
    if (this.started) throw new Error('an S3Downloader is iterated once');
    this.started = true;
    await mkdir(this.options.spoolDir, { recursive: true });
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private schedule(): void {
    while (this.active < this.concurrency && this.pending.length > 0) {
      const next = this.pending[0] as { object: S3ObjectInfo; index: number };
      if (this.held > 0 && this.held + next.object.size > this.maxSpool) return;
      this.pending.shift();
      this.active++;
      this.held += next.object.size;
      void this.run(next.object, next.index);
    }
  }

  private async run(object: S3ObjectInfo, index: number): Promise<void> {
    const file = join(this.options.spoolDir, spoolName(index, object.key));
    let result: DownloadResult;
    const inMemory = object.size < (this.options.inMemoryBelow ?? 0) && !object.key.endsWith('.parquet');
    try {
      if (inMemory) {
        const body = await this.fetchToMemory(object);
        let released = false;
        result = {
          ok: true,
          object,
          body,
          release: async () => {
            if (released) return;
            released = true;
            this.held -= object.size;
            this.schedule();
            this.notify();
          },
        };
        this.active--;
        this.ready.push(result);
        this.schedule();
        this.notify();
        return;
      }
      await this.fetch(object, file);
      let released = false;
      result = {
        ok: true,
        object,
        file,
        release: async () => {
          if (released) return;
          released = true;
          await rm(file, { force: true });
          this.held -= object.size;
          this.schedule();
          this.notify();
        },
      };
    } catch (e) {
      await rm(file, { force: true }).catch(() => undefined);
      this.held -= object.size;
      const code = e instanceof DownloadError ? e.code : s3ErrorCode(e);
      const detail = e instanceof DownloadError ? e.message : describeS3Error(e);
      result = { ok: false, object, code, error: `${s3Uri(object.bucket, object.key)}: ${detail}` };
    }
    this.active--;
    this.ready.push(result);
    this.schedule();
    this.notify();
  }

  private count(n: number): void {
    this.bytesDone += n;
    this.options.onBytes?.(n);
  }

  /** One GET of the object (from byte `from`), pinned to the listed ETag. */
  private async get(object: S3ObjectInfo, from: number): Promise<Readable> {
    const signal = this.options.signal;
    const out = await this.client.send(
      new GetObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        ...(from > 0 ? { Range: `bytes=${from}-` } : {}),
        ...(object.etag ? { IfMatch: object.etag } : {}),
      }),
      signal ? { abortSignal: signal } : {},
    );
    if (!out.Body) throw new DownloadError('EmptyBody', 'S3 answered without a body');
    return out.Body as Readable;
  }

  /** GET a small object into memory, resuming a cut body from the bytes already received. */
  private async fetchToMemory(object: S3ObjectInfo): Promise<Buffer> {
    const attempts = Math.max(1, this.options.bodyAttempts ?? 3);
    const parts: Buffer[] = [];
    let received = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const chunk of await this.get(object, received)) {
          parts.push(chunk as Buffer);
          received += (chunk as Buffer).length;
          this.count((chunk as Buffer).length);
        }
        break;
      } catch (e) {
        if (this.options.signal?.aborted || attempt >= attempts || received === 0) throw e;
      }
    }
    if (received !== object.size)
      throw new DownloadError('IncompleteBody', `received ${received} of ${object.size} bytes listed`);
    return Buffer.concat(parts, received);
  }

  /** GET the object into `file`, resuming a cut body from the bytes already written. */
  private async fetch(object: S3ObjectInfo, file: string): Promise<void> {
    const attempts = Math.max(1, this.options.bodyAttempts ?? 3);
    const signal = this.options.signal;
    let written = 0;
    for (let attempt = 1; ; attempt++) {
      const resume = written > 0;
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          ...(resume ? { Range: `bytes=${written}-` } : {}),
          // the version listed (and recorded in the ledger), in every piece: PreconditionFailed
          // when the object changed since the listing (the next import lists it again)
          ...(object.etag ? { IfMatch: object.etag } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
      if (!out.Body) throw new DownloadError('EmptyBody', 'S3 answered without a body');
      const body = out.Body as Readable;
      const before = written;
      let received = 0;
      body.on('data', (chunk: Buffer) => {
        received += chunk.length;
        this.count(chunk.length);
      });
      const sink = createWriteStream(file, { flags: resume ? 'a' : 'w' });
      try {
        await pipeline(body, sink, signal ? { signal } : {});
        break;
      } catch (e) {
        // a write in progress finishes before the file closes: resume from what is on disk
        if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
        written = (await stat(file).catch(() => undefined))?.size ?? 0;
        // bytes received but not on disk are fetched again: count them once
        this.count(written - before - received);
        if (signal?.aborted || attempt >= attempts || isLocalFsError(e)) throw e;
      }
    }
    const size = (await stat(file)).size;
    if (size !== object.size)
      throw new DownloadError('IncompleteBody', `received ${size} of ${object.size} bytes listed`);
  }
}

const isLocalFsError = (e: unknown): boolean =>
  ['ENOSPC', 'EACCES', 'EROFS', 'EMFILE', 'EDQUOT'].includes((e as NodeJS.ErrnoException)?.code ?? '');

/** Shorthand for `new S3Downloader(client, objects, options)`. */
export function downloadObjects(
  client: S3Client,
  objects: readonly S3ObjectInfo[],
  options: DownloadOptions,
): S3Downloader {
  return new S3Downloader(client, objects, options);
}
