/**
 * Which S3 objects the lake holds already: one JSON line per imported object (bucket, key,
 * ETag, size, import time) in `<lake>/_hunt/s3-imported.jsonl`, so a repeated import fetches
 * only new objects and objects whose ETag changed.
 *
 * Crash safety: lines are only ever appended, each batch in one write followed by fsync. A
 * process killed mid-write leaves at worst a torn last line; loading skips lines that are not
 * complete JSON records, and the next append starts on a fresh line. Records are appended only
 * after the lake has committed the objects' events (the pipeline's duty), so a crash between the
 * two re-imports those objects, which the lake's de-duplication absorbs, and never skips one.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const LEDGER_FILE = join('_hunt', 's3-imported.jsonl');

export interface LedgerEntry {
  bucket: string;
  key: string;
  /** as listed, quotes included */
  etag: string;
  size: number;
  /** ISO 8601 */
  importedAt: string;
}

/** What record() needs of an object: a listed S3ObjectInfo fits. */
export type LedgerObject = Pick<LedgerEntry, 'bucket' | 'key' | 'etag' | 'size'>;

const id = (bucket: string, key: string): string => `${bucket}/${key}`;

function parseLine(line: string): LedgerEntry | undefined {
  try {
    const v = JSON.parse(line) as Partial<LedgerEntry> | null;
    if (v && typeof v.bucket === 'string' && typeof v.key === 'string' && typeof v.etag === 'string')
      return {
        bucket: v.bucket,
        key: v.key,
        etag: v.etag,
        size: typeof v.size === 'number' ? v.size : 0,
        importedAt: typeof v.importedAt === 'string' ? v.importedAt : '',
      };
  } catch {
    // a torn or damaged line: skipped (counted in `skippedLines`)
  }
  return undefined;
}

export class S3Ledger {
  private readonly etags = new Map<string, string>();
  /** lines that were not complete records when loaded (a torn last line after a crash) */
  skippedLines = 0;
  private endsClean = true;

  private constructor(readonly path: string) {}

  /** The ledger of the lake at `lakeDir` (empty when the file does not exist yet). */
  static async load(lakeDir: string): Promise<S3Ledger> {
    const ledger = new S3Ledger(join(lakeDir, LEDGER_FILE));
    let text = '';
    try {
      text = await readFile(ledger.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    ledger.endsClean = text === '' || text.endsWith('\n');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const entry = parseLine(line);
      if (entry) ledger.etags.set(id(entry.bucket, entry.key), entry.etag);
      else ledger.skippedLines++;
    }
    return ledger;
  }

  /** Whether this object was imported with this ETag (a changed ETag means fetch it again). */
  has(bucket: string, key: string, etag: string): boolean {
    return this.etags.get(id(bucket, key)) === etag;
  }

  /** The objects still to import: those not recorded at their current ETag. */
  pending<T extends LedgerObject>(objects: readonly T[]): T[] {
    return objects.filter((o) => !this.has(o.bucket, o.key, o.etag));
  }

  get size(): number {
    return this.etags.size;
  }

  /** Append these objects as imported: call only once their events are committed to the lake. */
  async record(objects: readonly LedgerObject[], importedAt = new Date()): Promise<void> {
    if (objects.length === 0) return;
    const at = importedAt.toISOString();
    const lines = objects.map((o) =>
      JSON.stringify({ bucket: o.bucket, key: o.key, etag: o.etag, size: o.size, importedAt: at }),
    );
    // after a torn last line, start on a new line so this batch's first record stays whole
    const text = `${this.endsClean ? '' : '\n'}${lines.join('\n')}\n`;
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.endsClean = true;
    for (const o of objects) this.etags.set(id(o.bucket, o.key), o.etag);
  }
}
