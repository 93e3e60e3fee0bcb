import { isoOf } from '../../time/index.js';
import { DurationError, formatDuration, parseDuration } from '../../time/duration.js';
import { commandConfig, nowFrom } from '../context.js';
import { UsageError } from '../errors.js';
import { withDatabase } from '../history.js';
import { json, type Io } from '../output.js';

/** `hunt prune` flags as commander gives them. */
export interface PruneFlags {
  olderThan: string;
  dryRun?: boolean;
  now?: string;
  config?: string;
  json?: boolean;
}

const MAX_AGE_DAYS = 365_000;

/** `hunt prune --older-than 400d`: deletes history whose window ended before now - age. */
export async function pruneCommand(opts: PruneFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  let ageMs: number;
  try {
    ageMs = parseDuration(opts.olderThan);
  } catch (err) {
    if (err instanceof DurationError) throw new UsageError(`--older-than ${opts.olderThan}: ${err.message}`);
    throw err;
  }
  // a slip of the finger (--older-than 1m) would wipe the history: a day is the least
  if (ageMs < 86_400_000) throw new UsageError(`--older-than ${opts.olderThan}: must be at least 1d`);
  // and at most a thousand years: beyond, the cutoff is before any date there is
  if (!(ageMs <= MAX_AGE_DAYS * 86_400_000))
    throw new UsageError(`--older-than ${opts.olderThan}: must be at most ${MAX_AGE_DAYS}d`);
  const config = commandConfig(opts, env);
  const cutoff = isoOf(nowFrom(opts.now).minus({ milliseconds: ageMs }));
  const { prune } = await import('../../store/prune.js');
  const counts = await withDatabase(config, env, (db) => prune(db.pool, cutoff, { dryRun: opts.dryRun ?? false }));
  if (opts.json) io.out(json({ cutoff, dry_run: opts.dryRun ?? false, ...counts }));
  else {
    io.out(
      `${opts.dryRun ? 'would delete' : 'deleted'} history older than ${formatDuration(ageMs)} (before ${cutoff}): ` +
        `${counts.runs} runs, ${counts.findings} findings, ${counts.risk_events} risk events, ${counts.windows} schedule windows, ${counts.incidents} incidents`,
    );
  }
  return 0;
}
