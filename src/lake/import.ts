import { LakeImportError } from './errors.js';
import { expandPaths, fileInput } from './inputs.js';
import type { RecordFormat } from '../sources/registry.js';
import { LAKE_TABLES } from './layout.js';
import { runImport, type ImportInput, type ImportOptions, type ImportSummary } from './pipeline.js';
import { stageRecords } from './stage-json.js';

/**
 * Import files and directories of any registered source's records (CloudTrail, OCSF, ...), or
 * in-memory records, into the local lake. Shapes are detected per file: CloudTrail
 * `{"Records":[...]}`, a JSON array, one JSON object (possibly pretty-printed), or NDJSON; gzip
 * by its magic number; CloudTrail digest files are skipped. Records are classified one by one
 * by the sources' import rules, so a file may mix formats. Each file gets its own report: one
 * that cannot be read is reported and the others import.
 */
export { LakeImportError } from './errors.js';
export { describeAdded, MAX_PROBLEMS, type FileImportReport, type ImportSummary } from './pipeline.js';
export { importExitCode } from './outcome.js';

/** Files and directories (walked recursively); paths that give no file are reported as failed. */
export async function importFiles(lakeDir: string, paths: string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  const expanded = await expandPaths(paths);
  const files = expanded.flatMap((e) => ('file' in e ? [e.file] : []));
  const summary = await runImport(
    lakeDir,
    files.map((f) => fileInput(f)),
    opts,
  );
  // reports in the order the paths were given
  const reports = summary.files[Symbol.iterator]();
  return { ...summary, files: expanded.map((e) => ('file' in e ? reports.next().value! : e.failed)) };
}

function recordsInput(name: string, format: RecordFormat, records: object[]): ImportInput {
  const table = LAKE_TABLES.find((t) => t.format === format);
  return {
    name,
    async stage(sink) {
      return stageRecords(sink, table?.id, records);
    },
  };
}

/**
 * Import records already in memory (`hunt demo`, benchmarks), by format (`cloudtrail`, `ocsf`,
 * ...: each source's). Each list must hold records of its format's table; a report is made for
 * each non-empty list. Strict: a list without one usable record fails the import.
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
    if (list && list.length > 0) inputs.push(recordsInput(`<${table.format} records>`, table.format, list));
  }
  const summary = await runImport(lakeDir, inputs);
  const failed = summary.files.find((f) => f.kind === 'error');
  if (failed) throw new LakeImportError(failed.error ?? `${failed.file}: not imported`, failed.file);
  return summary;
}
