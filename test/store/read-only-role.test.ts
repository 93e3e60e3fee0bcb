/**
 * Issue 11: a SELECT-only database role can run the reports and `hunt status` (real CLI
 * processes, a real role), because commands that only read check the schema instead of
 * migrating it; a schema that is behind is a clear failure naming `hunt migrate`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { saveRun } from '../../src/store/runs.js';
import { statement } from '../../src/store/sqltext.js';
import { hunt } from '../support/cli.js';
import { createTestDatabase, serverUrl, type TestDatabase } from '../support/postgres.js';
import { makeRun } from '../support/store.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-readonly-'));
const role = `hunt_reader_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');
const databases: TestDatabase[] = [];

/** Runs DDL built from our own names (random hex, no quoting needed) on `url`. */
async function asAdmin(url: string, fn: (q: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const pool = await createPool(url, { maximumPoolSize: 1 });
  try {
    await fn(async (text) => {
      await pool.query(sql.unsafe`${statement(text)}`);
    });
  } finally {
    await pool.end();
  }
}

/** The database's URL, logged in as the SELECT-only role. */
function readerUrl(db: TestDatabase): string {
  const u = new URL(db.url);
  u.username = role;
  u.password = password;
  return u.toString();
}

async function grantRead(db: TestDatabase): Promise<void> {
  await asAdmin(serverUrl(), (q) => q(`GRANT CONNECT ON DATABASE "${db.name}" TO ${role}`));
  await asAdmin(db.url, async (q) => {
    await q(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await q(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  });
}

const env = (url: string) => ({ DATABASE_URL: url, HUNT_HOME: join(dir, 'home') });

beforeAll(async () => {
  await asAdmin(serverUrl(), (q) => q(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`));
});
afterAll(async () => {
  for (const db of databases) await db.drop();
  await asAdmin(serverUrl(), (q) => q(`DROP ROLE IF EXISTS ${role}`));
  rmSync(dir, { recursive: true, force: true });
});

describe('a SELECT-only role', () => {
  it('runs the reports and status on a migrated database', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const owner = await openDatabase({ databaseUrl: db.url, huntHome: '/nonexistent' });
    try {
      await saveRun(owner.pool, makeRun());
    } finally {
      await owner.close();
    }
    await grantRead(db);
    // the role really is read-only
    const write = await hunt(['migrate'], env(readerUrl(db)));
    expect(write.code).toBe(1);

    for (const args of [
      ['report', 'risk', '--json', '--since', '-10y'],
      ['report', 'detections', '--json', '--since', '-10y'],
      ['report', 'incidents', '--json'],
      ['status', '--json'],
    ]) {
      const r = await hunt(args, env(readerUrl(db)));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
  });

  it('is told to run `hunt migrate` when the schema is behind; after it, reports work', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    await grantRead(db);
    const before = await hunt(['report', 'risk', '--json'], env(readerUrl(db)));
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/no hunt schema yet \(pending: 001_\w+/);
    expect(before.stderr).toContain('hunt migrate');

    const migrate = await hunt(['migrate'], env(db.url));
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/^applied 001_/);
    await grantRead(db);
    const after = await hunt(['report', 'risk', '--json'], env(readerUrl(db)));
    expect(after.code, after.stderr).toBe(0);
  });
});
