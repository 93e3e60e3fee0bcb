/**
 * Splits input text into candidate records, whatever the container: CloudTrail's
 * `{"Records":[...]}`, a JSON array, a single (possibly pretty-printed) JSON object, or one JSON
 * value per line (NDJSON). Pure; reports through a visitor so a big file is never copied into
 * an intermediate array.
 */

/**
 * Where an item came from: `line` is 1-based in the text (0: not known, the whole text was one
 * JSON document), `index` is 1-based inside a Records/array container (0: not in one).
 */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface InputVisitor {
  item(value: unknown, line: number, index: number): void;
  bad(line: number, index: number, message: string): void;
}

export interface InputShape {
  shape: 'empty' | 'document' | 'lines' | 'digest';
  /** why the text was not one JSON document, when it was read line by line */
  documentError?: string;
}

export function where(line: number, index: number): string {
  if (line > 0 && index > 0) return `line ${line}, record ${index}`;
  if (line > 0) return `line ${line}`;
  return `record ${index}`;
}

/**
 * A CloudTrail digest file (in every trail bucket, beside the logs): a signed list of log files,
 * not events. Recognised by its own keys, whatever the file is called.
 */
export function isDigest(value: unknown): boolean {
  return isJsonObject(value) && 'digestStartTime' in value && 'digestEndTime' in value && 'logFiles' in value;
}

/** A Records wrapper or an array yields its elements; anything else is one item. */
function expand(value: unknown, line: number, visit: InputVisitor): void {
  const list = Array.isArray(value)
    ? value
    : isJsonObject(value) && Array.isArray(value.Records)
      ? value.Records
      : undefined;
  if (list === undefined) {
    visit.item(value, line, line > 0 ? 0 : 1);
    return;
  }
  for (let i = 0; i < list.length; i++) visit.item(list[i], line, i + 1);
}

function shortError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 120 ? `${msg.slice(0, 117)}...` : msg;
}

export function visitInput(input: string, visit: InputVisitor): InputShape {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const start = text.search(/\S/);
  if (start < 0) return { shape: 'empty' };
  let documentError: string | undefined;
  const first = text[start];
  if (first === '{' || first === '[') {
    // One JSON document (the usual CloudTrail file). NDJSON fails fast here: V8 stops at the
    // first character after the first line's value.
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      documentError = shortError(e);
    }
    if (documentError === undefined) {
      if (isDigest(doc)) return { shape: 'digest' };
      expand(doc, 0, visit);
      return { shape: 'document' };
    }
  } else {
    documentError = `starts with ${JSON.stringify(text.slice(start, start + 10))}, not "{" or "["`;
  }
  visitLines(text, visit);
  return { shape: 'lines', documentError };
}

function visitLines(text: string, visit: InputVisitor): void {
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    lineNo++;
    visitLine(text.slice(pos, end), lineNo, visit);
    pos = end + 1;
    if (nl < 0) break;
  }
}

/** One line of NDJSON (blank lines are not records). */
export function visitLine(text: string, lineNo: number, visit: InputVisitor): void {
  const line = text.trim();
  if (line === '') return;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    visit.bad(lineNo, 0, `not valid JSON (${shortError(e)})`);
    return;
  }
  expand(value, lineNo, visit);
}

/**
 * Whether text that starts an input is NDJSON: its first line is a whole JSON value and more
 * follows. Such inputs are read line by line as they stream in; anything else is one document.
 */
export function startsNdjson(firstLine: string, rest: string): boolean {
  const line = firstLine.charCodeAt(0) === 0xfeff ? firstLine.slice(1) : firstLine;
  if (line.trim() === '' || !/\S/.test(rest)) return false;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
