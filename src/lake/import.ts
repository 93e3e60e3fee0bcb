import { LakeImportError } from './errors.js';
import { expandPaths, fileInput } from './inputs.js';
import type { RecordFormat } from '../sources/registry.js';
import { RECORD_FORMATS, tablesOfFormat } from './layout.js';
import { runImport, type ImportInput, type ImportItem, type ImportOptions, type ImportSummary } from './pipeline.js';
import { type S3ImportOptions, S3Session, type S3Stats } from './s3/session.js';
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
  return runImport(
    lakeDir,
    expanded.map((e) => ('file' in e ? fileInput(e.file) : e.failed)),
    opts,
  );
}

export const isS3Url = (arg: string): boolean => arg.startsWith('s3://');

/**
 * Files, directories and `s3://bucket/prefix` URLs, in the order given (reports keep it). S3
 * objects are listed by `s3.filter`, fetched in parallel and imported as they arrive; `s3`
 * gets what the S3 side did.
 */
export async function importSources(
  lakeDir: string,
  args: string[],
  opts: ImportOptions & { s3?: S3ImportOptions } = {},
): Promise<ImportSummary & { s3?: S3Stats }> {
  const session = args.some(isS3Url) ? await S3Session.open(lakeDir, opts.s3 ?? { filter: {} }) : undefined;
  const taken = new Set<string>();
  async function* items(): AsyncGenerator<ImportItem> {
    for (const arg of args) {
      if (isS3Url(arg) && session) yield* session.items(arg);
      else for (const e of await expandPaths([arg], taken)) yield 'file' in e ? fileInput(e.file) : e.failed;
    }
  }
  try {
    const summary = await runImport(lakeDir, items(), {
      ...opts,
      onCommitted: async () => {
        await session?.flush();
        await opts.onCommitted?.();
      },
    });
    return session ? { ...summary, s3: session.stats } : summary;
  } finally {
    await session?.close();
  }
}

function recordsInput(name: string, format: RecordFormat, records: object[]): ImportInput {
  const table = tablesOfFormat(format)[0];
  return {
    name,
    async stage(sink) {
      return stageRecords(sink, table?.id, records);
    },
  };
}

/**
 * Import records already in memory (`hunt demo`, benchmarks), by format (`cloudtrail`, `ocsf`,
 * ...: each source's). Each list must hold records of its format's tables; a report is made for
 * each non-empty list. Strict: a list without one usable record fails the import.
 */
export async function importRecords(
  lakeDir: string,
  records: Partial<Record<RecordFormat, object[]>>,
): Promise<ImportSummary> {
  const inputs: ImportInput[] = [];
  for (const [format, list] of Object.entries(records)) {
    if (tablesOfFormat(format).length === 0) {
      throw new LakeImportError(`records.${format} is not a record format (formats: ${RECORD_FORMATS.join(', ')})`);
    }
    if (list !== undefined && !Array.isArray(list)) throw new LakeImportError(`records.${format} is not an array`);
  }
  // one input per format, in registry order (a format may have several tables: OCSF)
  for (const format of RECORD_FORMATS) {
    const list = records[format];
    if (list && list.length > 0) inputs.push(recordsInput(`<${format} records>`, format, list));
  }
  const summary = await runImport(lakeDir, inputs);
  const failed = summary.files.find((f) => f.kind === 'error');
  if (failed) throw new LakeImportError(failed.error ?? `${failed.file}: not imported`, failed.file);
  return summary;
}
