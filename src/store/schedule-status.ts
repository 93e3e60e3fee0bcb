/** The ledger summarised per detection version (sql/reports/schedule-status.sql). */
import type { DateTime } from 'luxon';
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { sqlFileText } from './sql-files.js';
import { fileQuery } from './sqltext.js';
import { isoOf } from '../time/iso.js';

const statusRow = z.object({
  detection_id: z.string(),
  detection_version: z.number().int(),
  detection_name: z.string(),
  last_done_earliest: z.string().nullable(),
  last_done_latest: z.string().nullable(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  retrying: z.number().int(),
  skipped: z.number().int(),
  queue: z.number().int(),
  running: z.number().int(),
  last_error: z.string().nullable(),
});

export type LedgerStatusRow = z.infer<typeof statusRow>;

export async function ledgerStatus(pool: DatabasePool, now: DateTime): Promise<LedgerStatusRow[]> {
  const text = await sqlFileText('reports/schedule-status.sql');
  const rows = await pool.any(fileQuery(statusRow, text, { now: isoOf(now) }));
  return rows.map((r) => statusRow.parse(r));
}
