import { LakeImportError } from './errors.js';
import { stagedJson } from './json-text.js';
import { isJsonObject, startsNdjson, visitInput, visitLine, type InputVisitor } from './parse-input.js';
import { InputNotes, RetryWithoutFastPath, type StageSink, type StagedInput } from './pipeline.js';
import { type ByteSource, decodeText, MAX_DOCUMENT_BYTES } from './read-input.js';
import { RecordsSplitter } from './split-records.js';

/**
 * Staging a JSON file, whatever its shape: CloudTrail `{"Records":[...]}` (split as bytes while
 * it is inflated), NDJSON (read line by line as it streams in), or one other JSON document (a
 * pretty-printed object, an array: parsed whole, up to MAX_DOCUMENT_BYTES). Memory stays
 * bounded for the shapes big files come in.
 */

const NOT_OBJECT = 'not a JSON object';
const NEWLINE = 0x0a;
/** How much of a file is read to tell NDJSON from one document before deciding. */
const SNIFF_BYTES = 64 * 1024 * 1024;

/**
 * The usual CloudTrail file, split as bytes while it is inflated (see split-records.ts).
 * Returns false, having staged nothing, when the file does not start like a Records document.
 */
async function stageRecordsDocument(sink: StageSink, source: ByteSource): Promise<boolean> {
  const splitter = new RecordsSplitter();
  for await (const chunk of source.chunks()) {
    for (const piece of splitter.push(chunk)) sink.addPiece(piece);
    if (!splitter.ok) break;
    await sink.ready();
  }
  if (splitter.ok) for (const piece of splitter.end()) sink.addPiece(piece);
  if (splitter.ok) return true;
  if (sink.hasRecords() || sink.committedSome)
    throw new RetryWithoutFastPath(`${source.name} is not a clean Records document`);
  return false;
}

/** Stage one parsed item, or note why it is skipped. */
function itemVisitor(sink: StageSink, notes: InputNotes): InputVisitor {
  return {
    item(value, line, index) {
      const staged = isJsonObject(value) ? stagedJson(value) : { problem: NOT_OBJECT };
      if ('json' in staged) sink.addRecord(staged.json, line, index);
      else notes.skip(line, index, staged.problem);
    },
    bad(line, index, message) {
      notes.skip(line, index, message);
    },
  };
}

/** The first line that is not blank and what follows it, once enough is read to tell. */
function firstLine(buf: Buffer, eof: boolean): { line: string; rest: string } | undefined {
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(NEWLINE, start);
    if (nl < 0) return eof ? { line: buf.toString('utf8', start), rest: '' } : undefined;
    const line = buf.toString('utf8', start, nl);
    if (line.trim() !== '') {
      const rest = buf.toString('utf8', nl + 1, Math.min(buf.length, nl + 1 + 4096));
      // more lines may follow that the buffer does not hold yet
      if (!eof && rest.trim() === '' && buf.length - nl - 1 < 4096) return undefined;
      return { line, rest };
    }
    start = nl + 1;
  }
}

/** Any other shape: parse in JavaScript, staging each object found with its position. */
async function stageParsed(sink: StageSink, source: ByteSource): Promise<StagedInput> {
  const file = source.name;
  const notes = new InputNotes();
  const visit = itemVisitor(sink, notes);
  const chunks = source.chunks()[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let eof = false;
  let head: { line: string; rest: string } | undefined;
  while (!head) {
    const next = await chunks.next();
    if (next.done) eof = true;
    else buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value]);
    head = firstLine(buf, eof || buf.length >= SNIFF_BYTES);
    if (eof && !head) head = { line: '', rest: '' };
  }
  sink.openSegment();
  try {
    if (startsNdjson(head.line, head.rest)) {
      // NDJSON: line by line as it streams in, whatever the file's size
      let lineNo = 0;
      for (;;) {
        let start = 0;
        for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
          visitLine(buf.toString('utf8', start, nl), ++lineNo, visit);
          start = nl + 1;
        }
        buf = buf.subarray(start);
        await sink.ready();
        if (eof) break;
        const next = await chunks.next();
        if (next.done) eof = true;
        else buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value]);
      }
      if (buf.length > 0) visitLine(buf.toString('utf8'), ++lineNo, visit);
      return { notes };
    }
    const parts = [buf];
    let bytes = buf.length;
    while (!eof) {
      const next = await chunks.next();
      if (next.done) break;
      parts.push(next.value);
      bytes += next.value.length;
      if (bytes > MAX_DOCUMENT_BYTES) {
        throw new LakeImportError(
          `${file}: one JSON document bigger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB; ` +
            'split it, or give it as one record per line (NDJSON), which has no size limit',
          file,
        );
      }
    }
    const shape = visitInput(decodeText(Buffer.concat(parts, bytes), file), visit);
    if (shape.shape === 'digest') return { notes, kind: 'digest' };
    if (shape.documentError !== undefined) notes.detail = shape.documentError;
    return { notes };
  } finally {
    sink.closeSegment();
    await chunks.return?.(undefined);
  }
}

export async function stageJson(sink: StageSink, source: ByteSource, fast: boolean): Promise<StagedInput> {
  if (fast && (await stageRecordsDocument(sink, source))) return { notes: new InputNotes() };
  return stageParsed(sink, source);
}

/** Records already in memory, pinned to one table (`hunt demo`, benchmarks). */
export function stageRecords(
  sink: StageSink,
  only: Parameters<StageSink['openSegment']>[0],
  records: object[],
): StagedInput {
  const notes = new InputNotes();
  const visit = itemVisitor(sink, notes);
  sink.openSegment(only);
  records.forEach((value, i) => {
    visit.item(value, 0, i + 1);
  });
  sink.closeSegment();
  return { notes };
}
