import type { LocalTableId } from './layout.js';
import type { RecordPiece } from './split-records.js';

/**
 * What an import has staged: raw records as NDJSON text, handed to DuckDB in chunks of a few
 * MB as they are produced (no temp file: writing one cost more than everything else in
 * JavaScript, and handing over one record at a time cost more in calls). Record `first + i - 1`
 * of a chunk is its line i; through the segments kept here, a record's seq leads back to the
 * input and position it came from.
 */
/** A run of consecutive staged records from one input. */
export interface Segment {
  /** seq of the first record */
  first: number;
  count: number;
  /** index of the input the records came from */
  input: number;
  /** records must belong to this table (importRecords), null: whichever they look like */
  only: LocalTableId | null;
  /** true when the byte-level splitter produced it (its text was not checked by JSON.parse) */
  unparsed: boolean;
  /** partition hints from the input's path (Security Lake's `region=`/`accountId=`) */
  hints?: PathHints;
  /**
   * Position of each record in its input: line (0 = not known) and index inside a container
   * (0 = none). Absent for a split Records document, where record k is simply index k + 1.
   */
  lines?: number[];
  indexes?: number[];
  /** rows of the input before this segment's first (a Parquet file staged in slices) */
  rowBase?: number;
}

/** What an input's path says about its records' partitions, when it says anything. */
export interface PathHints {
  region?: string;
  account?: string;
}

export interface Position {
  line: number;
  index: number;
}

/**
 * Records are handed over in chunks of about this many bytes: small inputs (a CloudTrail file
 * often holds a handful of events) share a chunk, so many files do not cost many statements.
 */
const CHUNK_BYTES = 4 * 1024 * 1024;

/** NDJSON parts joined by newlines into one buffer. */
function joinLines(parts: Uint8Array[], bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes + parts.length - 1);
  let at = 0;
  parts.forEach((p, i) => {
    if (i > 0) out[at++] = 0x0a;
    out.set(p, at);
    at += p.length;
  });
  return out;
}

export class Stage {
  rows = 0;
  /** records of dropped inputs (still counted in `rows`, which only grows) */
  private dropped = 0;
  readonly segments: Segment[] = [];
  private open: Segment | undefined;
  /** the open segment's records not yet joined into a part */
  private texts: string[] = [];
  private textChars = 0;
  /** NDJSON parts not yet handed over; record `partFirst` is the first line of the first */
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  private partFirst = 0;

  /**
   * `onChunk` receives each chunk: the seq of its first record and its NDJSON bytes; `ready`
   * resolves when the consumer can take more (inputs await it between reads).
   */
  constructor(
    private readonly onChunk: (first: number, ndjson: Uint8Array) => void,
    readonly ready: () => Promise<void> = async () => {},
  ) {}

  /** A segment for records that are added one by one, each with its position. */
  openSegment(input: number, only: LocalTableId | null, hints?: PathHints): Segment {
    this.closeSegment();
    const seg: Segment = { first: this.rows, count: 0, input, only, unparsed: false, lines: [], indexes: [] };
    if (hints) seg.hints = hints;
    this.segments.push(seg);
    this.open = seg;
    return seg;
  }

  /** One record's JSON text (JSON.stringify output: no raw newlines). */
  addRecord(seg: Segment, json: string, line: number, index: number): void {
    if (seg !== this.open) throw new Error('segment is not open');
    seg.lines?.push(line);
    seg.indexes?.push(index);
    seg.count++;
    this.rows++;
    this.texts.push(json);
    this.textChars += json.length;
    if (this.textChars >= CHUNK_BYTES) this.joinTexts();
  }

  /** Turn the gathered records into a part. */
  private joinTexts(): void {
    if (this.texts.length === 0) return;
    this.addPart(this.rows - this.texts.length, Buffer.from(this.texts.join('\n'), 'utf8'));
    this.texts = [];
    this.textChars = 0;
  }

  private addPart(first: number, ndjson: Uint8Array): void {
    if (this.parts.length === 0) this.partFirst = first;
    this.parts.push(ndjson);
    this.partBytes += ndjson.length;
    if (this.partBytes >= CHUNK_BYTES) this.flush();
  }

  /** Hand over every part gathered so far as one chunk. */
  private flush(): void {
    if (this.parts.length === 0) return;
    const chunk = this.parts.length === 1 ? this.parts[0]! : joinLines(this.parts, this.partBytes);
    this.onChunk(this.partFirst, chunk);
    this.parts = [];
    this.partBytes = 0;
  }

  /** End the open segment (its records keep their place in the order). */
  closeSegment(): void {
    this.joinTexts();
    this.open = undefined;
  }

  /** Records from the byte-level splitter; `rowBase`: the input's records staged in earlier batches. */
  addPiece(input: number, piece: RecordPiece, hints?: PathHints, rowBase = 0): void {
    this.closeSegment();
    const last = this.segments[this.segments.length - 1];
    if (last?.unparsed && last.input === input && last.first + last.count === this.rows) {
      last.count += piece.records;
    } else {
      this.segments.push({
        first: this.rows,
        count: piece.records,
        input,
        only: null,
        unparsed: true,
        rowBase,
        ...(hints ? { hints } : {}),
      });
    }
    const first = this.rows;
    this.rows += piece.records;
    this.addPart(first, piece.ndjson);
  }

  /**
   * `count` records that SQL puts into the staged lines itself (a Parquet slice): `load` gets
   * the seq of the first. Its records are numbered by their row in the input.
   */
  addRows<T>(input: number, count: number, rowBase: number, load: (first: number) => T, hints?: PathHints): T {
    this.close();
    const first = this.rows;
    this.segments.push({ first, count, input, only: null, unparsed: false, rowBase, ...(hints ? { hints } : {}) });
    this.rows += count;
    return load(first);
  }

  /** Whether this input staged anything yet. */
  hasRecords(input: number): boolean {
    return this.recordsOf(input) > 0;
  }

  /**
   * Forget an input's records (a failed or re-read input): its segments leave the list, and
   * the seq ranges to delete from the staged lines are returned. Hands over everything still
   * gathered first, so every range is in (or on its way to) the lines table.
   */
  drop(input: number): { first: number; count: number }[] {
    this.close();
    const gone = this.segments.filter((s) => s.input === input && s.count > 0);
    for (let i = this.segments.length - 1; i >= 0; i--)
      if (this.segments[i]!.input === input) this.segments.splice(i, 1);
    for (const s of gone) this.dropped += s.count;
    return gone.map((s) => ({ first: s.first, count: s.count }));
  }

  /** Bytes gathered and not yet handed over as a chunk. */
  get pendingBytes(): number {
    return this.textChars + this.partBytes;
  }

  /** How many records of an input this stage holds. */
  recordsOf(input: number): number {
    return this.segments.reduce((n, s) => n + (s.input === input ? s.count : 0), 0);
  }

  /** Records staged and not dropped: the rows the lines table must hold. */
  get kept(): number {
    return this.rows - this.dropped;
  }

  /** The segments that hold records, in seq order (empty ones would tie with their successor). */
  get filled(): Segment[] {
    return this.segments.filter((s) => s.count > 0);
  }

  /** Where staged record `seq` came from. */
  locate(seq: number): { segment: Segment; position: Position } {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.first <= seq) lo = mid;
      else hi = mid - 1;
    }
    const segment = this.segments[lo];
    if (!segment || seq < segment.first || seq >= segment.first + segment.count) {
      throw new Error(`staged record ${seq} is in no segment`);
    }
    const k = seq - segment.first;
    const position = segment.lines
      ? { line: segment.lines[k] ?? 0, index: segment.indexes?.[k] ?? 0 }
      : { line: 0, index: (segment.rowBase ?? 0) + k + 1 };
    return { segment, position };
  }

  /** Hand over everything still gathered. */
  close(): void {
    this.closeSegment();
    this.flush();
  }
}
