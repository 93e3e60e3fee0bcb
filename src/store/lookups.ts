/**
 * Lookups written by `outputlookup`, kept in Postgres (migrations/006_lookups.sql): read whole
 * before a staged search is planned, written (replaced or appended) after each step.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { appendedRows } from '../translate/staged.js';
import type { LookupStore } from './lookup-store.js';
import { pgJson, pgText } from './values.js';

const value = z.union([z.string(), z.array(z.string()), z.null()]);
const storedRow = z.object({
  name: z.string(),
  fields: z.array(z.string()),
  rows: z.array(z.array(value)),
});

export function postgresLookups(pool: DatabasePool): LookupStore {
  return {
    read: async () => [...(await pool.any(sql.type(storedRow)`SELECT name, fields, rows FROM lookups ORDER BY name`))],
    write: (name, written, append) =>
      pool.transaction(async (tx) => {
        const before = append
          ? await tx.maybeOne(
              sql.type(storedRow)`SELECT name, fields, rows FROM lookups WHERE name = ${pgText(name)} FOR UPDATE`,
            )
          : null;
        const next = before ? appendedRows(before, written) : written;
        await tx.query(sql.unsafe`
          INSERT INTO lookups (name, fields, rows, updated_at)
          VALUES (${pgText(name)}, ${pgJson(next.fields)}::jsonb, ${pgJson(next.rows)}::jsonb, now())
          ON CONFLICT (name) DO UPDATE SET fields = EXCLUDED.fields, rows = EXCLUDED.rows, updated_at = EXCLUDED.updated_at`);
      }),
  };
}
