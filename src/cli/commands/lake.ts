import { describeAdded, importExitCode, importFiles, type FileImportReport } from '../../lake/import.js';
import { commandConfig } from '../context.js';
import { json, type Io } from '../output.js';
import { writeRecords } from '../output-table.js';

/** What a report's last column says: the error, or the main reason records were skipped. */
function note(f: FileImportReport): string {
  if (f.error) return f.error;
  if (f.kind === 'digest') return 'CloudTrail digest file (not events)';
  const top = f.reasons[0];
  if (!top) return '';
  const message = top.message.length > 60 ? `${top.message.slice(0, 57)}...` : top.message;
  const more = f.reasons.length > 1 ? `; ${f.reasons.length - 1} more reasons` : '';
  return `${top.count} × ${message}${more}`;
}

/**
 * `hunt lake import [--lake DIR] [--json] PATH...`: one row per input file with what became of
 * it. Exit 0 when every input was read, 1 when some failed and others gave records, 2 when
 * nothing usable was given.
 */
export async function lakeImportCommand(
  paths: string[],
  opts: { lake?: string; config?: string; json?: boolean },
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const config = commandConfig(opts, env);
  const summary = await importFiles(config.lakeDir, paths);
  const code = importExitCode(summary.files);
  if (opts.json) {
    io.out(json({ ...summary, exitCode: code }));
    return code;
  }
  writeRecords(
    io.out,
    summary.files.map((f) => ({
      file: f.file,
      kind: f.kind,
      added: f.added,
      duplicates: f.duplicates,
      conflicts: f.conflicts,
      skipped: f.skipped,
      note: note(f),
    })),
    ['file', 'kind', 'added', 'duplicates', 'conflicts', 'skipped', 'note'],
    { empty: '(no files)' },
  );
  for (const f of summary.files) {
    if (f.error) io.err(`error: ${f.error}`);
    for (const p of f.problems) io.err(`${f.file}: skipped ${p}`);
    if (f.skipped > f.problems.length) io.err(`${f.file}: ... and ${f.skipped - f.problems.length} more skipped`);
    if (f.conflicts > 0) {
      io.err(`${f.file}: ${f.conflicts} conflicting duplicates (same id, different content; the first one is kept)`);
    }
  }
  const failed = summary.files.filter((f) => f.kind === 'error').length;
  const digests = summary.files.filter((f) => f.kind === 'digest').length;
  const tail = [
    `${summary.filesWritten} Parquet files written to ${config.lakeDir}`,
    ...(digests > 0 ? [`${digests} digest files skipped`] : []),
    ...(failed > 0 ? [`${failed} of ${summary.files.length} inputs failed`] : []),
  ];
  io.out(`${describeAdded(summary)} (${tail.join('; ')})`);
  return code;
}
