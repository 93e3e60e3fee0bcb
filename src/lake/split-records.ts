/**
 * Fast path for CloudTrail's `{"Records":[{...},{...}]}` files: turn the Records array into
 * NDJSON (one record per line) by scanning bytes as they are decompressed, without parsing
 * anything in JavaScript. DuckDB then parses the records, far faster than JSON.parse and in
 * parallel with the scan. (DuckDB itself reads one huge JSON object very slowly, so handing it
 * the whole document is not an option.)
 *
 * The scan only frames records: it tracks strings and nesting, turns the commas between
 * records into newlines and line breaks between tokens into spaces (pretty-printed files).
 * Anything it does not expect makes it give up (`ok` false) and the caller takes the general
 * path; malformed JSON inside a record is caught by DuckDB, which leads to the same retry.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const TAB = 0x09;
const SPACE = 0x20;

const isSpace = (b: number | undefined): boolean => b === SPACE || b === NEWLINE || b === RETURN || b === TAB;

/** A run of whole records: NDJSON lines without a trailing newline. */
export interface RecordPiece {
  ndjson: Buffer;
  records: number;
}

/** How much text to gather before handing a piece over. */
const PIECE_BYTES = 4 * 1024 * 1024;
/** Give up looking for `{"Records":[` after this many bytes. */
const MAX_HEAD = 4096;
const RECORDS_KEY = Buffer.from('"Records"');

/** Index just after the `[` of text starting `{"Records":[`; -1 when it does not; -2 when too short to tell. */
export function recordsArrayStart(buf: Buffer): number {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  const expect = (test: (b: number) => boolean): boolean => {
    while (i < buf.length && isSpace(buf[i])) i++;
    return i < buf.length && test(buf[i]!);
  };
  if (!expect((b) => b === OPEN_BRACE)) return i < buf.length ? -1 : -2;
  i++;
  if (!expect((b) => b === QUOTE)) return i < buf.length ? -1 : -2;
  if (buf.length < i + RECORDS_KEY.length) return -2;
  if (!buf.subarray(i, i + RECORDS_KEY.length).equals(RECORDS_KEY)) return -1;
  i += RECORDS_KEY.length;
  if (!expect((b) => b === COLON)) return i < buf.length ? -1 : -2;
  i++;
  if (!expect((b) => b === OPEN_BRACKET)) return i < buf.length ? -1 : -2;
  return i + 1;
}

export class RecordsSplitter {
  /** false once the input turned out not to be a (well-formed) Records document */
  ok = true;
  private phase: 'head' | 'body' | 'tail' = 'head';
  private head: Buffer[] = [];
  private depth = 1; // inside the Records array
  private inString = false;
  /** backslashes ending the previous chunk while inside a string */
  private carriedBackslashes = 0;
  private expectRecord = true; // after `[` or a separating comma
  private closedTail = false; // the document's final `}` was seen
  private completed = 0; // records completed so far
  private emitted = 0; // records handed over in pieces
  private parts: Buffer[] = []; // scanned bytes not yet handed over
  private partBytes = 0;

  /** Feed the next chunk (modified in place); returns the pieces now complete. */
  push(chunk: Buffer): RecordPiece[] {
    if (!this.ok) return [];
    if (this.phase === 'head') {
      this.head.push(chunk);
      const all = this.head.length === 1 ? chunk : Buffer.concat(this.head);
      const start = recordsArrayStart(all);
      if (start === -2 && all.length < MAX_HEAD) return [];
      if (start < 0) return this.fail();
      this.head = [];
      this.phase = 'body';
      return this.scan(all, start);
    }
    if (this.phase === 'tail') {
      if (!this.checkTail(chunk, 0)) this.fail();
      return [];
    }
    return this.scan(chunk, 0);
  }

  /** End of input: checks the document was complete (its last piece came with the closing `]`). */
  end(): RecordPiece[] {
    if (this.ok && (this.phase !== 'tail' || !this.closedTail)) this.fail();
    return [];
  }

  private fail(): RecordPiece[] {
    this.ok = false;
    this.parts = [];
    this.head = [];
    return [];
  }

  /** After the Records array only `}` and whitespace may follow. */
  private checkTail(buf: Buffer, from: number): boolean {
    for (let i = from; i < buf.length; i++) {
      const c = buf[i];
      if (isSpace(c)) continue;
      if (c === CLOSE_BRACE && !this.closedTail) this.closedTail = true;
      else return false;
    }
    return true;
  }

  /** Index of the quote closing the current string, or -1 when it is not in this chunk. */
  private stringEnd(buf: Buffer, from: number): number {
    let j = from;
    for (;;) {
      j = buf.indexOf(QUOTE, j);
      if (j < 0) {
        let run = 0;
        for (let k = buf.length - 1; k >= from && buf[k] === BACKSLASH; k--) run++;
        this.carriedBackslashes = run === buf.length - from ? this.carriedBackslashes + run : run;
        return -1;
      }
      let backslashes = 0;
      let k = j - 1;
      for (; k >= from && buf[k] === BACKSLASH; k--) backslashes++;
      if (k < from && from === 0) backslashes += this.carriedBackslashes;
      this.carriedBackslashes = 0;
      if (backslashes % 2 === 0) return j;
      j++;
    }
  }

  private scan(buf: Buffer, from: number): RecordPiece[] {
    const pieces: RecordPiece[] = [];
    let pieceStart = from; // start of this chunk's bytes not yet handed over
    let i = from;
    if (this.inString) {
      const end = this.stringEnd(buf, from);
      if (end < 0) return this.keep(buf, pieceStart, pieces);
      this.inString = false;
      i = end + 1;
    }
    for (; i < buf.length; i++) {
      const c = buf[i];
      if (c === QUOTE) {
        if (this.depth < 2) return this.fail(); // a bare string in the Records array
        const end = this.stringEnd(buf, i + 1);
        if (end < 0) {
          this.inString = true;
          break;
        }
        i = end;
        continue;
      }
      if (this.depth === 1) {
        if (isSpace(c)) {
          buf[i] = SPACE;
        } else if (c === OPEN_BRACE && this.expectRecord) {
          this.depth = 2;
          this.expectRecord = false;
        } else if (c === COMMA && !this.expectRecord) {
          buf[i] = NEWLINE;
          this.expectRecord = true;
          // Hand over the records so far once enough has gathered (without this newline).
          if (this.partBytes + (i - pieceStart) >= PIECE_BYTES) {
            this.parts.push(buf.subarray(pieceStart, i));
            this.partBytes += i - pieceStart;
            const piece = this.takePiece(this.completed);
            if (piece) pieces.push(piece);
            pieceStart = i + 1;
          }
        } else if (c === CLOSE_BRACKET && (!this.expectRecord || this.completed === 0)) {
          this.phase = 'tail';
          if (!this.checkTail(buf, i + 1)) return this.fail();
          this.parts.push(buf.subarray(pieceStart, i));
          this.partBytes += i - pieceStart;
          const last = this.takePiece(this.completed);
          if (last) pieces.push(last);
          return pieces;
        } else {
          return this.fail(); // a non-object element, an empty element, or junk
        }
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 1) this.completed++;
      } else if (c === NEWLINE || c === RETURN) {
        buf[i] = SPACE;
      }
    }
    return this.keep(buf, pieceStart, pieces);
  }

  private keep(buf: Buffer, from: number, pieces: RecordPiece[]): RecordPiece[] {
    if (from < buf.length) {
      this.parts.push(buf.subarray(from));
      this.partBytes += buf.length - from;
    }
    return pieces;
  }

  private takePiece(completed: number): RecordPiece | undefined {
    const records = completed - this.emitted;
    const ndjson = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.partBytes = 0;
    if (records === 0) return undefined;
    this.emitted = completed;
    return { ndjson, records };
  }
}

/** Split a whole in-memory document (tests, small inputs); undefined when it is not one. */
export function splitRecordsDocument(buf: Buffer): RecordPiece[] | undefined {
  const s = new RecordsSplitter();
  const pieces = [...s.push(buf), ...s.end()];
  return s.ok ? pieces : undefined;
}
