import { LakeImportError } from './errors.js';
import { stagedJson } from './json-text.js';
import type { RecordFormat } from '../sources/registry.js';
import { LAKE_TABLES, type LocalTableId } from './layout.js';
import { isJsonObject, visitInput } from './parse-input.js';
import { InputNotes, RetryWithoutFastPath, runImport, type ImportInput, type ImportSummary } from './pipeline.js';
import { decodeText, readInputBytes, readInputChunks } from './read-input.js';
import { RecordsSplitter } from './split-records.js';
import type { Segment, Stage } from './stage.js';

/**
 * Import files of any registered source's records (CloudTrail, OCSF, ...), or in-memory records,
 * into the local lake. Shapes are detected per file: CloudTrail `{"Records":[...]}`, a JSON array,
 * one JSON object (possibly pretty-printed), or NDJSON; gzip by its magic number. Records are
 * classified one by one by the sources' import rules, so a file may mix formats.
 */
export { LakeImportError } from './errors.js';
export { describeAdded, MAX_PROBLEMS, type FileImportReport, type ImportSummary } from './pipeline.js';

const NOT_OBJECT = 'not a JSON object';

/**
 * The usual CloudTrail file, split as bytes while it is inflated (see split-records.ts).
 * Returns false, having staged nothing, when the file does not start like a Records document.
 */
async function stageRecordsDocument(stage: Stage, input: number, file: string): Promise<boolean> {
  const splitter = new RecordsSplitter();
  for await (const chunk of readInputChunks(file)) {
    for (const piece of splitter.push(chunk)) stage.addPiece(input, piece);
    if (!splitter.ok) break;
    await stage.ready();
  }
  if (splitter.ok) for (const piece of splitter.end()) stage.addPiece(input, piece);
  if (splitter.ok) return true;
  if (stage.hasUnparsed(input)) throw new RetryWithoutFastPath(`${file} is not a clean Records document`);
  return false;
}

/** Stage one parsed item, or note why it is skipped. */
function stageItem(stage: Stage, seg: Segment, notes: InputNotes, value: unknown, line: number, index: number): void {
  const staged = isJsonObject(value) ? stagedJson(value) : { problem: NOT_OBJECT };
  if ('json' in staged) stage.addRecord(seg, staged.json, line, index);
  else notes.skip(line, index, staged.problem);
}

/** Any other shape: parse in JavaScript, staging each object found with its position. */
async function stageParsed(stage: Stage, input: number, file: string): Promise<InputNotes> {
  const notes = new InputNotes();
  const seg = stage.openSegment(input, null);
  const shape = visitInput(decodeText(await readInputBytes(file), file), {
    item(value, line, index) {
      stageItem(stage, seg, notes, value, line, index);
    },
    bad(line, index, message) {
      notes.skip(line, index, message);
    },
  });
  stage.closeSegment();
  if (shape.documentError !== undefined) notes.detail = shape.documentError;
  return notes;
}

function fileInput(file: string): ImportInput {
  return {
    name: file,
    async stage(stage: Stage, input: number, fast: boolean): Promise<InputNotes> {
      if (fast && (await stageRecordsDocument(stage, input, file))) return new InputNotes();
      return stageParsed(stage, input, file);
    },
  };
}

function recordsInput(name: string, table: LocalTableId, records: object[]): ImportInput {
  return {
    name,
    async stage(stage: Stage, input: number): Promise<InputNotes> {
      const notes = new InputNotes();
      const seg = stage.openSegment(input, table);
      records.forEach((value, i) => {
        stageItem(stage, seg, notes, value, 0, i + 1);
      });
      stage.closeSegment();
      return notes;
    },
  };
}

export async function importFiles(lakeDir: string, files: string[]): Promise<ImportSummary> {
  return runImport(lakeDir, files.map(fileInput));
}

/**
 * Import records already in memory (`hunt demo`, benchmarks), by format (`cloudtrail`, `ocsf`,
 * ...: each source's). Each list must hold records of its format's table; a report is made for
 * each non-empty list.
 */
export async function importRecords(
  lakeDir: string,
  records: Partial<Record<RecordFormat, object[]>>,
): Promise<ImportSummary> {
  const inputs: ImportInput[] = [];
  for (const [format, list] of Object.entries(records)) {
    const table = LAKE_TABLES.find((t) => t.format === format);
    if (!table) {
      const known = LAKE_TABLES.map((t) => t.format).join(', ');
      throw new LakeImportError(`records.${format} is not a record format (formats: ${known})`);
    }
    if (list !== undefined && !Array.isArray(list)) throw new LakeImportError(`records.${format} is not an array`);
  }
  for (const table of LAKE_TABLES) {
    const list = records[table.format];
    if (list && list.length > 0) inputs.push(recordsInput(`<${table.format} records>`, table.id, list));
  }
  return runImport(lakeDir, inputs);
}
