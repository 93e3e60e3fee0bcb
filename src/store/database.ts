/**
 * Opening the history database: DATABASE_URL when given, otherwise the embedded Postgres under
 * HUNT_HOME (see embedded.ts). Either way the schema is migrated (commands that write) or checked
 * (commands that only read) before the pool is handed out, and a database that cannot be reached
 * is a StoreUnavailableError naming where we tried.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createPool, parseDsn, SchemaValidationError, sql, type DatabasePool, type Interceptor } from 'slonik';
import { ensureEmbeddedServer, type EmbeddedOptions, type EmbeddedServer } from './embedded.js';
import { reasonOf, StoreUnavailableError } from './errors.js';
import { checkSchema, migrate } from './migrate.js';
import { blockedDir } from './reachable.js';
import { SYSTEM_DIR } from '../paths.js';

export interface Database {
  pool: DatabasePool;
  /** migrations applied while opening (empty when the schema was up to date) */
  migrated: string[];
  /** true when this is hunt's embedded Postgres rather than DATABASE_URL */
  embedded: boolean;
  /** ends the pool; on the embedded server, gives back this process's lease (the last user out stops the server) */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** any Postgres (the CLI passes DATABASE_URL); without it, the embedded server */
  databaseUrl?: string;
  /** HUNT_HOME: the embedded server's data lives in `<huntHome>/postgres` */
  huntHome: string;
  /** embedded server tuning (tests, benchmarks) */
  embedded?: EmbeddedOptions;
  /**
   * 'migrate' (default) applies pending migrations, for commands that write; 'check' only
   * verifies the schema is current, for commands that read, so a SELECT-only role can run them.
   * DATABASE_URL only: the embedded cluster is always migrated.
   */
  schema?: 'migrate' | 'check';
}

/** The database hunt uses on its embedded server (the `postgres` one stays for maintenance). */
export const EMBEDDED_DATABASE = 'hunt';

/**
 * Where the embedded cluster keeps its data: `<huntHome>/postgres`. Postgres refuses to run as
 * root, so as root it runs as the `postgres` user, which cannot enter a HUNT_HOME under a
 * private directory (the default, /root/.hunt). Then, rather than loosen anyone's permissions,
 * the cluster lives in /var/lib/hunt/<hash of HUNT_HOME>/postgres, one per HUNT_HOME.
 */
export function embeddedDataDir(huntHome: string): string {
  const inside = join(huntHome, 'postgres');
  // blockedDir without a user: every directory up to / must let others through (o+x)
  if (process.getuid?.() !== 0 || blockedDir(huntHome, undefined) === undefined) return inside;
  const key = createHash('sha256').update(resolve(huntHome)).digest('hex').slice(0, 16);
  return join(SYSTEM_DIR, key, 'postgres');
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = await connect(opts.databaseUrl, describeUrl(opts.databaseUrl));
    return withSchema(pool, opts.schema ?? 'migrate', false, () => pool.end());
  }
  const dataDir = embeddedDataDir(opts.huntHome);
  const server = await ensureEmbeddedServer(dataDir, opts.embedded);
  try {
    const pool = await connectEmbedded(server);
    // Always migrated: hunt's own cluster, where hunt is superuser (no read-only roles), and a
    // first `hunt report` on a fresh HUNT_HOME should show an empty report, not ask for a migrate.
    return await withSchema(pool, 'migrate', true, async () => {
      await pool.end();
      await server.stop();
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
}

async function withSchema(
  pool: DatabasePool,
  schema: 'migrate' | 'check',
  embedded: boolean,
  end: () => Promise<void>,
): Promise<Database> {
  let migrated: string[] = [];
  try {
    if (schema === 'migrate') migrated = await migrate(pool);
    else await checkSchema(pool);
  } catch (err) {
    await end();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return { pool, migrated, embedded, close: () => (closing ??= end()) };
}

async function connectEmbedded(server: EmbeddedServer): Promise<DatabasePool> {
  const where = `the embedded Postgres (data dir ${server.dataDir}, port ${server.port})`;
  try {
    return await connect(server.url(EMBEDDED_DATABASE), where);
  } catch (err) {
    if (codeOf((err as Error).cause) !== '3D000') throw err; // 3D000: database does not exist
  }
  // First use of this cluster: create hunt's database.
  const admin = await connect(server.url('postgres'), where);
  try {
    await admin.query(sql.unsafe`CREATE DATABASE ${sql.identifier([EMBEDDED_DATABASE])}`);
  } catch (err) {
    // another process created it meanwhile: 42P04 duplicate_database (or the catalog's unique index)
    const code = codeOf(err) ?? codeOf((err as Error).cause);
    if (code !== '42P04' && code !== '23505') throw err;
  } finally {
    await admin.end();
  }
  return connect(server.url(EMBEDDED_DATABASE), where);
}

/** A slonik pool; slonik connects while creating it, so reachability is checked here. */
async function connect(url: string, where: string): Promise<DatabasePool> {
  try {
    return await createPool(url, {
      // a stack trace per query costs more than most of our queries
      captureStackTrace: false,
      connectionTimeout: 10_000,
      maximumPoolSize: 10,
      interceptors: [resultParser],
    });
  } catch (err) {
    throw new StoreUnavailableError(`cannot connect to ${where}: ${reasonOf(err)}`, { cause: err });
  }
}

/**
 * Rows of `sql.type(schema)` queries are checked against the schema (slonik leaves runtime
 * validation to an interceptor), so a query and its zod type cannot drift apart unnoticed.
 */
const resultParser: Interceptor = {
  name: 'hunt-result-parser',
  transformRow: (context, query, row) => {
    const parser = context.resultParser;
    if (!parser) return row;
    const parsed = parser.safeParse(row);
    if (!parsed.success) throw new SchemaValidationError(query, row, parsed.error.issues);
    return parsed.data as typeof row;
  },
};

/** host:port/database as user — never the password. */
function describeUrl(url: string): string {
  let dsn: ReturnType<typeof parseDsn>;
  try {
    dsn = parseDsn(url);
  } catch {
    throw new StoreUnavailableError('DATABASE_URL is not a postgres:// URL');
  }
  const host = dsn.host ?? 'localhost';
  const port = dsn.port ?? 5432;
  return `Postgres at ${host}:${port}${dsn.databaseName ? `/${dsn.databaseName}` : ''}${dsn.username ? ` as ${dsn.username}` : ''}`;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
