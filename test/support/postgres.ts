/**
 * A fresh database per test file on the test run's Postgres server (test/global-setup.ts), so
 * test files running in parallel never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { createPool, sql, type DatabasePool } from 'slonik';
import { inject } from 'vitest';

export interface TestDatabase {
  /** postgres:// URL of the new database */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The server's admin URL (database `postgres`). */
export const serverUrl = (): string => inject('postgresUrl');

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hunt_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((pool) => pool.query(sql.unsafe`CREATE DATABASE ${sql.identifier([name])}`));
  return {
    url: databaseUrl(name),
    name,
    // FORCE: a test that failed half-way may have left connections open
    drop: async () => {
      await admin((pool) => pool.query(sql.unsafe`DROP DATABASE IF EXISTS ${sql.identifier([name])} WITH (FORCE)`));
    },
  };
}

/** URL of another database on the test server. */
export function databaseUrl(name: string): string {
  const u = new URL(serverUrl());
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

async function admin<T>(fn: (pool: DatabasePool) => Promise<T>): Promise<T> {
  const pool = await createPool(serverUrl(), { captureStackTrace: false, maximumPoolSize: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}
