import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LakeImportError } from './errors.js';

/** zlib's default 16 KiB output chunks made inflating 3x slower than 1 MiB ones. */
const CHUNK = 1 << 20;
/** Chunks for small files. */
const SMALL = 64 * 1024;

/** gzip's magic number: compressed CloudTrail files do not always end in `.gz`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * JSON text never holds a raw NUL (control characters must be escaped), so one in the data
 * means binary content (or UTF-16): reject the file up front with a clear message.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.includes(0);
}

const cannotRead = (name: string, e: unknown): LakeImportError => {
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new LakeImportError(`${name}: cannot read file (${code})`, name, { cause: e });
};

const corruptGzip = (name: string, e: unknown): LakeImportError =>
  new LakeImportError(`${name}: corrupt or truncated gzip data (${(e as Error).message})`, name, { cause: e });

const binary = (name: string): LakeImportError => new LakeImportError(`${name}: binary data, not JSON text`, name);

/**
 * An input's bytes, from a file or from memory (a small S3 object), by the name reports give
 * it. `chunks()` yields them inflated when gzip (known by its magic number), in chunks of up to
 * about 1 MiB read as they are consumed, so memory stays bounded whatever the size; chunks are
 * fresh buffers the caller may keep. Errors are LakeImportError naming the input.
 */
export interface ByteSource {
  name: string;
  /** the first `n` bytes (fewer when shorter) */
  head(n: number): Promise<Buffer>;
  chunks(): AsyncGenerator<Buffer>;
  /** the file holding the bytes, when they are in one (DuckDB reads Parquet from files) */
  path?: string;
}

/** Inflate (when gzip) and check a stream of an input's bytes. */
async function* checked(name: string, raw: Readable, gz: boolean, size: number): AsyncGenerator<Buffer> {
  // gunzip's output sized to the input: a 1 MiB buffer for each of thousands of small
  // CloudTrail files kept the garbage collector busier than everything else
  const stream = gz ? raw.pipe(createGunzip({ chunkSize: size < CHUNK / 8 ? SMALL : CHUNK })) : raw;
  // pipe() does not forward the source's errors
  if (gz) raw.once('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      if (looksBinary(buf)) throw binary(name);
      yield buf;
    }
  } catch (e) {
    if (e instanceof LakeImportError) throw e;
    if ((e as NodeJS.ErrnoException).syscall !== undefined) throw cannotRead(name, e);
    throw corruptGzip(name, e);
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

/** A file's bytes; `name` is what reports call it (an S3 object's URI for a spooled one). */
export function fileSource(path: string, name: string = path): ByteSource {
  return {
    name,
    path,
    async head(n) {
      let handle: Awaited<ReturnType<typeof open>> | undefined;
      try {
        handle = await open(path, 'r');
        const buf = Buffer.alloc(n);
        const { bytesRead } = await handle.read(buf, 0, n, 0);
        return buf.subarray(0, bytesRead);
      } catch (e) {
        throw cannotRead(name, e);
      } finally {
        await handle?.close();
      }
    },
    async *chunks() {
      let handle: Awaited<ReturnType<typeof open>>;
      let size: number;
      const head = Buffer.alloc(2);
      try {
        handle = await open(path, 'r');
        size = (await handle.stat()).size;
        await handle.read(head, 0, 2, 0);
      } catch (e) {
        throw cannotRead(name, e);
      }
      // read buffers sized to the file, for the same reason as gunzip's
      const raw = handle.createReadStream({ start: 0, highWaterMark: Math.max(SMALL, Math.min(CHUNK, size)) });
      yield* checked(name, raw, isGzip(head), size);
    },
  };
}

/** Bytes already in memory (a small S3 object, fetched without a spool file). */
export function bufferSource(name: string, bytes: Buffer): ByteSource {
  return {
    name,
    head: async (n) => bytes.subarray(0, n),
    async *chunks() {
      yield* checked(name, Readable.from([bytes], { objectMode: false }), isGzip(bytes), bytes.length);
    },
  };
}

/**
 * The text of one JSON document that cannot be streamed (a pretty-printed object, an array that
 * is not a Records document): V8 caps a string at ~512 MiB, so bigger ones must be split first.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** UTF-8 text of the bytes (bad sequences become U+FFFD, and such a line then fails as JSON). */
export function decodeText(bytes: Buffer, file: string): string {
  try {
    return bytes.toString('utf8');
  } catch (e) {
    throw new LakeImportError(`${file}: too large to import in one piece (${bytes.length} bytes)`, file, { cause: e });
  }
}
