import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, sql, type DatabasePool } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationError, SchemaOutOfDateError } from '../../src/store/errors.js';
import { checkSchema, loadMigrations, migrate } from '../../src/store/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const pools: DatabasePool[] = [];
const databases: TestDatabase[] = [];
const dirs: string[] = [];

/** A directory of migration files for one test. */
function migrationDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-migrations-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function freshDatabase(): Promise<{ url: string; pool: DatabasePool }> {
  const db = await createTestDatabase();
  databases.push(db);
  return { url: db.url, pool: await pool(db.url) };
}

async function pool(url: string): Promise<DatabasePool> {
  const p = await createPool(url, { captureStackTrace: false });
  pools.push(p);
  return p;
}

afterAll(async () => {
  for (const p of pools) await p.end();
  for (const d of databases) await d.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const applied = (p: DatabasePool) =>
  p.anyFirst(sql.unsafe`SELECT name FROM schema_migrations ORDER BY name`) as Promise<readonly string[]>;

describe('migrate', () => {
  let shipped: string[];
  beforeAll(async () => {
    shipped = (await loadMigrations()).map((m) => m.name);
  });

  it('applies every shipped migration once, in order, and is idempotent', async () => {
    expect(shipped.length).toBeGreaterThan(0);
    expect(shipped).toEqual([...shipped].sort());
    const { pool: p } = await freshDatabase();
    expect(await migrate(p)).toEqual(shipped);
    expect(await migrate(p)).toEqual([]);
    expect(await applied(p)).toEqual(shipped);
    // the schema is there
    const tables = await p.anyFirst(sql.unsafe`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
    expect(tables).toEqual(expect.arrayContaining(['findings', 'risk_events', 'runs', 'schema_migrations']));
  });

  it('is safe when several processes migrate the same database at once', async () => {
    const { url } = await freshDatabase();
    // separate pools = separate sessions, as separate processes would have
    const migrators = await Promise.all(Array.from({ length: 6 }, () => pool(url)));
    const results = await Promise.all(migrators.map((p) => migrate(p)));
    // exactly one of them did the work; the others found nothing to do
    expect(results.filter((r) => r.length > 0)).toEqual([shipped]);
    expect(results.filter((r) => r.length === 0)).toHaveLength(5);
    expect(await applied(migrators[0]!)).toEqual(shipped);
  });

  it('runs each migration in a transaction: a failing one leaves no trace and is retried later', async () => {
    const dir = migrationDir({
      '001_one.sql': 'CREATE TABLE one (x int);\nINSERT INTO one VALUES (1);\n',
      '002_two.sql': 'CREATE TABLE two (x int);\nSELECT 1 / 0;\n',
    });
    const { pool: p } = await freshDatabase();

    const failure = await migrate(p, { dir }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toContain('002_two.sql');
    expect((failure as Error).message).toMatch(/division by zero/);
    expect(await applied(p)).toEqual(['001_one']);
    expect(await p.oneFirst(sql.unsafe`SELECT to_regclass('two') IS NULL`)).toBe(true);
    expect(await p.oneFirst(sql.unsafe`SELECT count(*)::int FROM one`)).toBe(1);

    writeFileSync(join(dir, '002_two.sql'), 'CREATE TABLE two (x int);\n');
    expect(await migrate(p, { dir })).toEqual(['002_two']);
    expect(await applied(p)).toEqual(['001_one', '002_two']);
  });

  it('orders by number, not by name', async () => {
    const dir = migrationDir({
      '10_later.sql': 'ALTER TABLE t ADD COLUMN y int;',
      '9_first.sql': 'CREATE TABLE t (x int);',
    });
    const { pool: p } = await freshDatabase();
    expect(await migrate(p, { dir })).toEqual(['9_first', '10_later']);
  });

  it('refuses an applied migration that was edited, and badly named or clashing files', async () => {
    const dir = migrationDir({ '001_one.sql': 'CREATE TABLE one (x int);' });
    const { pool: p } = await freshDatabase();
    await migrate(p, { dir });
    writeFileSync(join(dir, '001_one.sql'), 'CREATE TABLE one (x int, y int);');
    await expect(migrate(p, { dir })).rejects.toThrow(/001_one\.sql was changed after it was applied/);

    const bad = migrationDir({ 'one.sql': 'SELECT 1;' });
    await expect(migrate(p, { dir: bad })).rejects.toThrow(MigrationError);

    const clash = migrationDir({ '001_a.sql': 'SELECT 1;', '1_b.sql': 'SELECT 1;' });
    await expect(migrate(p, { dir: clash })).rejects.toThrow(/same number/);
  });
});

describe('checkSchema (commands that only read)', () => {
  it('passes on a current schema, names `hunt migrate` when one is pending, refuses an edited file', async () => {
    const files = {
      '001_a.sql': 'CREATE TABLE a (x int);',
      '002_b.sql': 'CREATE TABLE b (y int);',
    };
    const { pool: p } = await freshDatabase();
    const none = await checkSchema(p, { dir: migrationDir(files) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(none).toBeInstanceOf(SchemaOutOfDateError);
    expect((none as Error).message).toMatch(/no hunt schema yet \(pending: 001_a, 002_b\).*hunt migrate/);

    await migrate(p, { dir: migrationDir({ '001_a.sql': files['001_a.sql'] }) });
    await expect(checkSchema(p, { dir: migrationDir(files) })).rejects.toThrow(
      /schema is behind this hunt \(pending: 002_b\)/,
    );
    await migrate(p, { dir: migrationDir(files) });
    await expect(checkSchema(p, { dir: migrationDir(files) })).resolves.toBeUndefined();
    // nothing was written by checking
    expect(await applied(p)).toEqual(['001_a', '002_b']);

    const edited = migrationDir({ ...files, '002_b.sql': 'CREATE TABLE b (y bigint);' });
    await expect(checkSchema(p, { dir: edited })).rejects.toBeInstanceOf(MigrationError);
  });
});
