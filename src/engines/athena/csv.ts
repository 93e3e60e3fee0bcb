/**
 * Athena's result CSV (`<QueryExecutionId>.csv` at the output location), parsed as it streams:
 * a header row, then one row per result row; every value double-quoted with `"` doubled inside,
 * so a value may hold commas and newlines; NULL is an empty UNQUOTED field, '' is `""`. Rows end
 * at LF (CRLF is accepted too). Nothing is read twice and nothing but the current row is held.
 */

/** A field: its text, or null for an empty unquoted field (NULL in Athena's CSV). */
export type CsvField = string | null;

export class CsvSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

type State =
  /** at the start of a field (nothing of it read yet) */
  | 'start'
  /** inside an unquoted field */
  | 'bare'
  /** inside a quoted field */
  | 'quoted'
  /** just read a quote inside a quoted field: an escape (`""`) or the field's end */
  | 'quote';

/** Incremental parser: feed text chunks, get completed rows back. */
export class CsvParser {
  private state: State = 'start';
  private field = '';
  private fieldQuoted = false;
  private row: CsvField[] = [];
  /** whether anything of the current row has been read (an empty line is a row of one NULL) */
  private rowStarted = false;
  private line = 1;
  /** where the quoted field being read began */
  private quoteLine = 1;

  push(chunk: string): CsvField[][] {
    const out: CsvField[][] = [];
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case 'start': {
          const c = chunk[i];
          if (c === '"') {
            this.state = 'quoted';
            this.fieldQuoted = true;
            this.quoteLine = this.line;
            this.rowStarted = true;
            i++;
          } else if (c === ',') {
            this.rowStarted = true;
            this.endField();
            i++;
          } else if (c === '\n') {
            this.endRow(out);
            i++;
          } else {
            this.state = 'bare';
            this.rowStarted = true;
          }
          break;
        }
        case 'bare': {
          // an unquoted field runs to the next comma or newline; a quote inside it is malformed
          let j = i;
          while (j < n && chunk[j] !== ',' && chunk[j] !== '\n' && chunk[j] !== '"') j++;
          this.field += chunk.slice(i, j);
          i = j;
          if (i >= n) break;
          if (chunk[i] === '"')
            throw new CsvSyntaxError(`result CSV line ${this.line}: a quote inside an unquoted field`);
          if (chunk[i] === ',') this.endField();
          else this.endRow(out);
          this.state = 'start';
          i++;
          break;
        }
        case 'quoted': {
          const j = chunk.indexOf('"', i);
          const end = j < 0 ? n : j;
          const text = chunk.slice(i, end);
          this.field += text;
          this.line += countNewlines(text);
          i = end;
          if (j >= 0) {
            this.state = 'quote';
            i++;
          }
          break;
        }
        case 'quote': {
          const c = chunk[i];
          if (c === '"') {
            this.field += '"';
            this.state = 'quoted';
          } else if (c === ',') {
            this.endField();
            this.state = 'start';
          } else if (c === '\n') {
            this.endRow(out);
            this.state = 'start';
          } else if (c === '\r') {
            // CRLF after a closing quote: the LF ends the row
          } else {
            throw new CsvSyntaxError(`result CSV line ${this.line}: text after a closing quote`);
          }
          i++;
          break;
        }
      }
    }
    return out;
  }

  /** The last row, when the text does not end with a newline; refuses an unterminated quote. */
  end(): CsvField[][] {
    if (this.state === 'quoted')
      throw new CsvSyntaxError(
        `result CSV line ${this.quoteLine}: the file ends inside the quoted value that starts there`,
      );
    const out: CsvField[][] = [];
    if (this.rowStarted) this.endRow(out);
    return out;
  }

  private endField(): void {
    if (this.fieldQuoted) this.row.push(this.field);
    else {
      // CRLF line ends leave a CR on the last unquoted field
      const text = this.field.endsWith('\r') ? this.field.slice(0, -1) : this.field;
      this.row.push(text === '' ? null : text);
    }
    this.field = '';
    this.fieldQuoted = false;
  }

  private endRow(out: CsvField[][]): void {
    this.endField();
    out.push(this.row);
    this.row = [];
    this.rowStarted = false;
    this.line++;
  }
}

function countNewlines(s: string): number {
  let count = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) count++;
  return count;
}

/** Rows of a CSV byte stream (UTF-8, multi-byte characters split across chunks handled). */
export async function* csvRows(bytes: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvField[]> {
  const parser = new CsvParser();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of bytes) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* parser.push(text);
  }
  const rest = decoder.decode();
  if (rest) yield* parser.push(rest);
  yield* parser.end();
}
