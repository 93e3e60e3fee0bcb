/** The store opened on a per-file database, and helpers to look into it. */
import { sql, type DatabasePool } from 'slonik';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export { makeRun, riskEvent } from './store-fixtures.js';

/**
 * Opens the store (migrated) on a fresh database for this test file; `store.db` is set in
 * beforeAll, and everything is closed and dropped in afterAll.
 */
export function storePerFile(): { db: Database; url: string } {
  const holder = {} as { db: Database; url: string; test?: TestDatabase };
  beforeAll(async () => {
    holder.test = await createTestDatabase();
    holder.url = holder.test.url;
    // huntHome is only used without databaseUrl
    holder.db = await openDatabase({ databaseUrl: holder.url, huntHome: '/nonexistent/hunt-home' });
  });
  afterAll(async () => {
    await holder.db?.close();
    await holder.test?.drop();
  });
  return holder;
}

export async function clearHistory(pool: DatabasePool): Promise<void> {
  await pool.query(sql.unsafe`TRUNCATE runs, findings, risk_events, schedule_windows, schedule_state`);
}

export async function count(pool: DatabasePool, table: 'runs' | 'findings' | 'risk_events'): Promise<number> {
  const n = await pool.oneFirst(sql.unsafe`SELECT count(*)::int AS n FROM ${sql.identifier([table])}`);
  return Number(n);
}
