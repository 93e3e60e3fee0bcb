import { describeAdded, importExitCode, importSources, isS3Url, type FileImportReport } from '../../lake/import.js';
import { ProgressWriter } from '../../lake/s3/progress.js';
import type { ListFilter } from '../../lake/s3/prefixes.js';
import { commandConfig, nowFrom } from '../context.js';
import { UsageError } from '../errors.js';
import { requireOrdered, timeFlagIso } from '../flags.js';
import { json, type Io } from '../output.js';
import { writeRecords } from '../output-table.js';

export interface LakeImportFlags {
  lake?: string;
  config?: string;
  json?: boolean;
  since?: string;
  until?: string;
  region?: string[];
  account?: string[];
  concurrency?: number;
  now?: string;
  progress?: boolean;
}

/** `--region a,b --region c` → [a, b, c] */
const listOf = (values: string[] | undefined): string[] | undefined =>
  values
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** The S3 listing filter from the flags; they only make sense with an s3:// argument. */
function s3Filter(paths: string[], opts: LakeImportFlags, zone: string): ListFilter {
  const given = ['since', 'until', 'region', 'account', 'concurrency'].filter(
    (f) => opts[f as keyof LakeImportFlags] !== undefined,
  );
  if (given.length > 0 && !paths.some(isS3Url)) {
    throw new UsageError(`--${given[0]} selects S3 objects: give an s3://bucket/prefix to import from`);
  }
  const now = nowFrom(opts.now);
  const since = opts.since === undefined ? undefined : timeFlagIso('--since', opts.since, now, zone);
  const until = opts.until === undefined ? undefined : timeFlagIso('--until', opts.until, now, zone);
  if (since && until) {
    requireOrdered(
      { flag: '--since', text: opts.since ?? '', iso: since },
      { flag: '--until', text: opts.until ?? '', iso: until },
    );
  }
  const regions = listOf(opts.region);
  const accounts = listOf(opts.account);
  return {
    ...(since ? { since: new Date(since) } : {}),
    ...(until ? { until: new Date(until) } : {}),
    ...(regions ? { regions } : {}),
    ...(accounts ? { accounts } : {}),
  };
}

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
 * `hunt lake import [--lake DIR] [--json] [S3 flags] PATH|s3://bucket/prefix...`: one row per
 * input file or object with what became of it. Exit 0 when every input was read, 1 when some
 * failed and others gave records, 2 when nothing usable was given.
 */
export async function lakeImportCommand(
  paths: string[],
  opts: LakeImportFlags,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const config = commandConfig(opts, env);
  const filter = s3Filter(paths, opts, config.timezone);
  const progress = paths.some(isS3Url) && opts.progress !== false ? new ProgressWriter(process.stderr) : undefined;
  const summary = await importSources(config.lakeDir, paths, {
    s3: {
      filter,
      env,
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(progress
        ? {
            progress: {
              total: (objects, bytes) => progress.total(objects, bytes),
              bytes: (n) => progress.bytes(n),
              object: (ok) => progress.object(ok),
            },
          }
        : {}),
    },
  });
  progress?.finish();
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
  const s3 = summary.s3;
  const tail = [
    `${summary.filesWritten} Parquet files written to ${config.lakeDir}`,
    ...(s3
      ? [
          `S3: ${s3.listed} objects listed, ${s3.alreadyImported} already imported, ${s3.fetched} fetched, ${s3.failed} failed`,
        ]
      : []),
    ...(s3?.unknownSources
      ? [`not listed (Security Lake sources hunt has no table for): ${s3.unknownSources.join(', ')}`]
      : []),
    ...(digests > 0 ? [`${digests} digest files skipped`] : []),
    ...(failed > 0 ? [`${failed} of ${summary.files.length} inputs failed`] : []),
  ];
  io.out(`${describeAdded(summary)} (${tail.join('; ')})`);
  return code;
}
