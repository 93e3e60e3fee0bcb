/**
 * Retention (`hunt prune --older-than 400d`): runs whose window ended before the cutoff go, with
 * their findings and risk events (ON DELETE CASCADE), as do ledger rows of such windows and
 * incidents whose evidence ended before it. One transaction: a failure prunes nothing.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { dropUnsupportedIncidents } from './incidents.js';
import { utcIso } from './values.js';

export interface PruneCounts {
  runs: number;
  findings: number;
  risk_events: number;
  windows: number;
  incidents: number;
}

const counts = z.object({
  runs: z.number(),
  findings: z.number(),
  risk_events: z.number(),
  windows: z.number(),
  incidents: z.number(),
});

/** What pruning at `cutoff` would delete (the dry run), or deletes it. */
export async function prune(
  pool: DatabasePool,
  cutoffIso: string,
  opts: { dryRun?: boolean } = {},
): Promise<PruneCounts> {
  const cutoff = utcIso(cutoffIso, 'cutoff');
  return pool.transaction(async (tx) => {
    const before = counts.parse(
      await tx.one(sql.type(counts)`
        SELECT (SELECT count(*)::int FROM runs WHERE window_latest < ${cutoff}::timestamptz) AS runs,
               (SELECT count(*)::int FROM findings f JOIN runs r ON r.id = f.run_id WHERE r.window_latest < ${cutoff}::timestamptz) AS findings,
               (SELECT count(*)::int FROM risk_events e JOIN runs r ON r.id = e.run_id WHERE r.window_latest < ${cutoff}::timestamptz) AS risk_events,
               (SELECT count(*)::int FROM schedule_windows WHERE window_latest < ${cutoff}::timestamptz AND status <> 'running') AS windows,
               (SELECT count(*)::int FROM incidents WHERE window_end < ${cutoff}::timestamptz) AS incidents`),
    );
    if (opts.dryRun) return before;
    await tx.query(
      sql.unsafe`DELETE FROM schedule_windows WHERE window_latest < ${cutoff}::timestamptz AND status <> 'running'`,
    );
    await tx.query(sql.unsafe`DELETE FROM runs WHERE window_latest < ${cutoff}::timestamptz`);
    const incidents = (await tx.query(sql.unsafe`DELETE FROM incidents WHERE window_end < ${cutoff}::timestamptz`))
      .rowCount;
    return { ...before, incidents: incidents + (await dropUnsupportedIncidents(tx)) };
  });
}
