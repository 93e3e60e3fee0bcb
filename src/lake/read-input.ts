import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { LakeImportError } from './errors.js';

const gunzipAsync = promisify(gunzip);

/** zlib's default 16 KiB output chunks made inflating 3x slower than 1 MiB ones. */
const CHUNK = 1 << 20;

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

async function readRaw(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new LakeImportError(`${file}: cannot read file (${code})`, file, { cause: e });
  }
}

const corruptGzip = (file: string, e: unknown): LakeImportError =>
  new LakeImportError(`${file}: corrupt gzip data (${(e as Error).message})`, file, { cause: e });

const binary = (file: string): LakeImportError => new LakeImportError(`${file}: binary data, not JSON text`, file);

/** An input file's bytes, gunzipped when the magic number says so. */
export async function readInputBytes(file: string): Promise<Buffer> {
  let bytes = await readRaw(file);
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipAsync(bytes, { chunkSize: CHUNK });
    } catch (e) {
      throw corruptGzip(file, e);
    }
  }
  if (looksBinary(bytes)) throw binary(file);
  return bytes;
}

/**
 * An input file's bytes in chunks of about 1 MiB, inflated as they are consumed (so scanning
 * overlaps decompression). Chunks are fresh buffers the caller may modify.
 */
export async function* readInputChunks(file: string): AsyncGenerator<Buffer> {
  const bytes = await readRaw(file);
  if (!isGzip(bytes)) {
    for (let i = 0; i < bytes.length; i += CHUNK) {
      const chunk = bytes.subarray(i, i + CHUNK);
      if (looksBinary(chunk)) throw binary(file);
      yield chunk;
    }
    return;
  }
  const inflate = Readable.from([bytes]).pipe(createGunzip({ chunkSize: CHUNK }));
  try {
    for await (const chunk of inflate) {
      if (looksBinary(chunk as Buffer)) throw binary(file);
      yield chunk as Buffer;
    }
  } catch (e) {
    if (e instanceof LakeImportError) throw e;
    throw corruptGzip(file, e);
  } finally {
    inflate.destroy();
  }
}

/** UTF-8 text of the bytes (bad sequences become U+FFFD, and such a line then fails as JSON). */
export function decodeText(bytes: Buffer, file: string): string {
  try {
    return bytes.toString('utf8');
  } catch (e) {
    // V8's string length limit (~512 MiB). Records documents never get here (they are split
    // as bytes); other shapes must be split into smaller files.
    throw new LakeImportError(`${file}: too large to import in one piece (${bytes.length} bytes)`, file, { cause: e });
  }
}
