import { importFiles } from '../../lake/import.js';
import { commandConfig } from '../context.js';
import { json, type Io } from '../output.js';
import { writeRecords } from '../output-table.js';

/** `hunt lake import --lake DIR FILE...` */
export async function lakeImportCommand(
  files: string[],
  opts: { lake?: string; config?: string; json?: boolean },
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const config = commandConfig(opts, env);
  const summary = await importFiles(config.lakeDir, files);
  if (opts.json) {
    io.out(json(summary));
    return 0;
  }
  writeRecords(
    io.out,
    summary.files.map((f) => ({ file: f.file, format: f.format, records: f.records, skipped: f.skipped })),
    ['file', 'format', 'records', 'skipped'],
    { empty: '(no results)' },
  );
  for (const f of summary.files) {
    for (const p of f.problems) io.err(`${f.file}: skipped ${p}`);
    if (f.skipped > f.problems.length) io.err(`${f.file}: ... and ${f.skipped - f.problems.length} more skipped`);
  }
  io.out(
    `cloudtrail: ${summary.cloudtrail.added} added, ${summary.cloudtrail.duplicates} already present; ` +
      `security lake: ${summary.securityLake.added} added, ${summary.securityLake.duplicates} already present ` +
      `(${summary.filesWritten} Parquet files written to ${config.lakeDir})`,
  );
  return 0;
}
