/**
 * Schema migrations: `migrations/NNN_name.sql`, applied in numeric order, each once, each in its
 * own transaction together with its row in `schema_migrations` (so a failing file leaves no
 * half-applied schema and is retried next time). A session advisory lock serialises concurrent
 * migrators (two `hunt` processes starting at once): the second waits, then finds nothing to do.
 * Files hold schema only; a migration cannot use statements that refuse to run inside a
 * transaction (e.g. CREATE INDEX CONCURRENTLY).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type CommonQueryMethods, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { packageRoot } from '../paths.js';
import { MigrationError, SchemaOutOfDateError } from './errors.js';
import { splitStatements, statement } from './sqltext.js';

const FILE_NAME = /^(\d+)_([a-z0-9_]+)\.sql$/;

/**
 * Key of hunt's advisory lock: any constant, only unique among advisory-lock users of the same
 * database. Kept below 2^53 so it binds as a plain number.
 */
const MIGRATION_LOCK = 4_861_203_117_529;

export interface Migration {
  /** file name without `.sql`, e.g. `001_runs` — what schema_migrations records */
  name: string;
  path: string;
  /** sha256 of the file (line endings normalised), to notice an applied file being edited */
  checksum: string;
  statements: string[];
}

export interface MigrateOptions {
  /** directory of migration files; the package's `migrations/` by default */
  dir?: string;
}

export async function loadMigrations(dir: string = join(packageRoot(), 'migrations')): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql'));
  const byNumber = new Map<number, string>();
  const out: Migration[] = [];
  for (const file of files) {
    const m = FILE_NAME.exec(file);
    if (!m) throw new MigrationError(`${join(dir, file)}: migration files are named like 001_create_things.sql`);
    const n = Number(m[1]);
    const clash = byNumber.get(n);
    if (clash) throw new MigrationError(`${dir}: ${clash} and ${file} have the same number`);
    byNumber.set(n, file);
    const path = join(dir, file);
    const text = (await readFile(path, 'utf8')).replace(/\r\n/g, '\n');
    let statements: string[];
    try {
      statements = splitStatements(text);
    } catch (err) {
      throw new MigrationError(`${path}: ${(err as Error).message}`);
    }
    out.push({
      name: file.slice(0, -'.sql'.length),
      path,
      checksum: createHash('sha256').update(text).digest('hex'),
      statements,
    });
  }
  return out.sort((a, b) => Number(FILE_NAME.exec(`${a.name}.sql`)![1]) - Number(FILE_NAME.exec(`${b.name}.sql`)![1]));
}

const appliedRow = z.object({ name: z.string(), checksum: z.string() });

/** The applied migrations, by name, with the checksum each had when it was applied. */
async function appliedChecksums(q: CommonQueryMethods): Promise<Map<string, string>> {
  const rows = await q.any(sql.type(appliedRow)`SELECT name, checksum FROM schema_migrations`);
  return new Map(rows.map((r) => appliedRow.parse(r)).map((r) => [r.name, r.checksum]));
}

/** An applied migration whose file changed since is refused: schema changes go in a new file. */
function assertUnchanged(migrations: Migration[], applied: Map<string, string>): void {
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) {
      throw new MigrationError(
        `${m.path} was changed after it was applied to this database; put schema changes in a new migration file`,
      );
    }
  }
}

/** Applies the pending migrations; returns the names applied by this call (empty when up to date). */
export async function migrate(pool: DatabasePool, opts: MigrateOptions = {}): Promise<string[]> {
  const migrations = await loadMigrations(opts.dir);
  // One connection for the whole run: the advisory lock belongs to the session.
  return pool.connect(async (conn) => {
    await conn.query(sql.unsafe`SELECT pg_advisory_lock(${MIGRATION_LOCK}::bigint)`);
    try {
      await conn.query(sql.unsafe`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          name text PRIMARY KEY,
          checksum text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const applied = await appliedChecksums(conn);
      assertUnchanged(migrations, applied);
      const done: string[] = [];
      for (const m of migrations) {
        if (applied.has(m.name)) continue;
        await conn.transaction(async (tx) => {
          for (const text of m.statements) {
            try {
              await tx.query(sql.unsafe`${statement(text)}`);
            } catch (err) {
              throw new MigrationError(`${m.path}: ${(err as Error).message}`, { cause: err });
            }
          }
          await tx.query(sql.unsafe`INSERT INTO schema_migrations (name, checksum) VALUES (${m.name}, ${m.checksum})`);
        });
        done.push(m.name);
      }
      return done;
    } finally {
      // The pool keeps sessions open, so unlock explicitly. Should that fail (connection lost),
      // the lock is gone with the session, or with the DISCARD ALL slonik runs on release.
      await conn.query(sql.unsafe`SELECT pg_advisory_unlock(${MIGRATION_LOCK}::bigint)`).catch(() => undefined);
    }
  });
}

/**
 * For commands that only read (reports, status): the schema must be up to date, but checking
 * takes no lock and writes nothing, so a SELECT-only role can run them. Throws
 * SchemaOutOfDateError naming `hunt migrate` when migrations are pending.
 */
export async function checkSchema(pool: DatabasePool, opts: MigrateOptions = {}): Promise<void> {
  const migrations = await loadMigrations(opts.dir);
  const exists = await pool.oneFirst(sql.type(z.object({ t: z.boolean() }))`
    SELECT to_regclass('schema_migrations') IS NOT NULL AS t`);
  const applied = exists ? await appliedChecksums(pool) : new Map<string, string>();
  const pending = migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
  if (pending.length > 0) {
    throw new SchemaOutOfDateError(
      `${exists ? 'the database schema is behind this hunt' : 'the database has no hunt schema yet'} ` +
        `(pending: ${pending.join(', ')}); run \`hunt migrate\` as a role that may change the schema, ` +
        'or any command that stores results (run, schedule, backfill, demo)',
    );
  }
  // every migration is applied here (none pending), so this is the same check as migrate's
  assertUnchanged(migrations, applied);
}
