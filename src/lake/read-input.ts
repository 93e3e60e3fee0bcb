import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { LakeImportError } from './errors.js';

/** zlib's default 16 KiB output chunks made inflating 3x slower than 1 MiB ones. */
const CHUNK = 1 << 20;

/** gzip's magic number: compressed CloudTrail files do not always end in `.gz`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parquet's magic number, at both ends of the file. */
export function isParquetMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31;
}

/**
 * JSON text never holds a raw NUL (control characters must be escaped), so one in the data
 * means binary content (or UTF-16): reject the file up front with a clear message.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.includes(0);
}

const cannotRead = (file: string, e: unknown): LakeImportError => {
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new LakeImportError(`${file}: cannot read file (${code})`, file, { cause: e });
};

/** The first `n` bytes of a file (fewer when it is shorter). */
export async function readHead(file: string, n = 8): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    throw cannotRead(file, e);
  } finally {
    await handle?.close();
  }
}

const corruptGzip = (file: string, e: unknown): LakeImportError =>
  new LakeImportError(`${file}: corrupt or truncated gzip data (${(e as Error).message})`, file, { cause: e });

const binary = (file: string): LakeImportError => new LakeImportError(`${file}: binary data, not JSON text`, file);

/**
 * An input file's bytes in chunks of about 1 MiB, read and inflated as they are consumed, so
 * memory stays bounded whatever the file's size and scanning overlaps decompression. Chunks are
 * fresh buffers the caller may keep.
 */
export async function* readInputChunks(file: string): AsyncGenerator<Buffer> {
  const gz = isGzip(await readHead(file, 2));
  const raw = createReadStream(file, { highWaterMark: CHUNK });
  const stream = gz ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
  // pipe() does not forward the source's errors
  if (gz) raw.once('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      if (looksBinary(buf)) throw binary(file);
      yield buf;
    }
  } catch (e) {
    if (e instanceof LakeImportError) throw e;
    if ((e as NodeJS.ErrnoException).syscall !== undefined) throw cannotRead(file, e);
    throw corruptGzip(file, e);
  } finally {
    stream.destroy();
    raw.destroy();
  }
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
