/**
 * The embedded Postgres behind hunt when no DATABASE_URL is given: one cluster per data
 * directory, initialised on first use, started on demand on a free localhost port, and shared by
 * every hunt process that uses it. A process that finds the cluster running (postmaster.pid with
 * a live, ready postmaster) connects to it instead of starting a second one.
 *
 * Sharing and stopping: client counting with lease files (embedded-clients.ts). Each open takes a
 * lease, each close gives it back, and whoever gives back the last live lease stops the server,
 * whichever process started it. A process killed with SIGKILL leaves a stale lease that the next
 * user drops; a server orphaned that way is stopped when that next user exits (or by
 * `hunt db stop`). The server runs in its own session, so it outlives its starter and a Ctrl-C
 * in the starter's terminal does not reach it (postgres-server.ts).
 *
 * Root: Postgres refuses to run as root, so as root the server runs as the `postgres` user
 * (created if missing), which owns the data dir and must be able to reach it, and its binaries
 * (copied somewhere it can reach when node_modules is not: postgres-binaries.ts). Directories
 * above the data dir that it cannot enter are reported with the fixes, not silently chmod-ed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, liveClients, lockCluster, releaseLease, runDir, takeLease } from './embedded-clients.js';
import { holdLease, leaseReleased } from './embedded-exit.js';
import { StoreUnavailableError } from './errors.js';
import { postgresBinaries } from './postgres-binaries.js';
import { blockedDir, type UserIds } from './reachable.js';
import {
  ensurePostgresUser,
  initdb,
  isPostmasterAlive,
  type PostmasterInfo,
  type RunAs,
  readPostmasterPid,
  startServer,
  stopServer,
  userIds,
} from './postgres-server.js';

/** Written into the data dir at initialisation; the cluster's superuser and its password. */
const CREDENTIALS_FILE = 'hunt-credentials.json';
const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
/** How long to wait for another hunt process's start or stop of the same cluster. */
const LOCK_TIMEOUT_MS = 150_000;

export interface EmbeddedServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dataDir: string;
  /** whether this call started the server */
  /** postgres:// URL of a database on this server */
  url(database: string): string;
  /** gives back this open's lease; stops the server when no other hunt process uses it */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** extra `postgres -c name=value` settings, e.g. `fsync: 'off'` for throwaway test clusters */
  settings?: Record<string, string>;
  /** how long to wait for the server to accept connections (default 60 s) */
  startTimeoutMs?: number;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Initialises (first use), then starts or reuses, the cluster in `dataDir`, and takes a lease on it. */
export async function ensureEmbeddedServer(dataDir: string, opts: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  await mkdir(dirname(dataDir), { recursive: true });
  const runAs = isRoot() ? await rootUser(dataDir) : undefined;
  // looked up only to initialise or start: as root it may mean checksumming a copy of them
  let binaries: Promise<string> | undefined;
  const bin = () => (binaries ??= postgresBinaries(runAs));
  const timeout = opts.startTimeoutMs ?? 60_000;
  const unlock = await lockCluster(dataDir, LOCK_TIMEOUT_MS);
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(dataDir, await bin(), runAs);
    const credentials = await readCredentials(dataDir);
    const running = await waitForRunning(dataDir, timeout);
    const port = running?.port ?? (await start(dataDir, await bin(), runAs, opts.settings, timeout)).port;
    const lease = await takeLease(dataDir);
    holdLease(dataDir, lease);
    return server(dataDir, credentials, port, lease);
  } finally {
    unlock();
  }
}

/** As root: the `postgres` user, once we know it can reach the data dir. */
async function rootUser(dataDir: string): Promise<{ uid: number; gid: number; gids: number[] }> {
  checkReachable(
    dirname(dataDir),
    await userIds(SUPERUSER),
    `so it cannot reach ${dataDir}`,
    'Set HUNT_HOME to a directory it can reach (e.g. HUNT_HOME=/var/lib/hunt)',
  );
  try {
    return await ensurePostgresUser(SUPERUSER);
  } catch (err) {
    throw new StoreUnavailableError((err as Error).message, { cause: err });
  }
}

async function start(
  dataDir: string,
  bin: string,
  runAs: RunAs,
  settings: Record<string, string> | undefined,
  timeoutMs: number,
): Promise<{ port: number }> {
  let lastFailure = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const outcome = await startServer({
      bin,
      dataDir,
      port,
      flags: serverFlags(settings),
      runAs,
      logFile: join(runDir(dataDir), 'server.log'),
      timeoutMs,
    });
    if (outcome.ok) return { port };
    lastFailure = outcome.timedOut
      ? `no connections accepted within ${timeoutMs / 1000} s${outcome.log ? `\n${outcome.log}` : ''}`
      : outcome.log;
    // Someone took the port between our check and the server's bind: try another one.
    if (!outcome.timedOut && /could not bind|Address already in use/.test(outcome.log)) continue;
    // A server hunt does not know about (started by hand?) holds the lock: use it if it is ready.
    if (!outcome.timedOut && outcome.log.includes('lock file "postmaster.pid" already exists')) {
      const running = await waitForRunning(dataDir, timeoutMs);
      if (running) return running;
      continue;
    }
    break;
  }
  throw new StoreUnavailableError(
    `the embedded Postgres in ${dataDir} did not start${lastFailure ? `:\n${lastFailure}` : ''}`,
  );
}

function serverFlags(settings: Record<string, string> = {}): string[] {
  const all: Record<string, string> = {
    // TCP on loopback only; no Unix socket, so nothing lands in /tmp or clashes with a system server
    listen_addresses: HOST,
    unix_socket_directories: '',
    ...settings,
  };
  return Object.entries(all).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

function server(dataDir: string, credentials: Credentials, port: number, lease: string): EmbeddedServer {
  let stopping: Promise<void> | undefined;
  return {
    host: HOST,
    port,
    user: credentials.user,
    password: credentials.password,
    dataDir,
    url: (database) => embeddedUrl(credentials, port, database),
    stop: () =>
      (stopping ??= (async () => {
        const unlock = await lockCluster(dataDir, LOCK_TIMEOUT_MS);
        try {
          await releaseLease(lease);
          leaseReleased(lease);
          if ((await liveClients(dataDir)).length === 0) await stopRunning(dataDir);
        } finally {
          unlock();
        }
      })()),
  };
}

async function stopRunning(dataDir: string): Promise<void> {
  const info = await readPostmasterPid(dataDir);
  if (info && isPostmasterAlive(info.pid)) await stopServer(info.pid);
}

export interface EmbeddedStatus {
  dataDir: string;
  initialised: boolean;
  /** the running postmaster, if any */
  server: PostmasterInfo | undefined;
  /** hunt processes holding a lease */
  clients: Client[];
}

/** What `hunt db status` shows: read-only apart from dropping stale leases. */
export async function embeddedStatus(dataDir: string): Promise<EmbeddedStatus> {
  const info = await readPostmasterPid(dataDir);
  return {
    dataDir,
    initialised: existsSync(join(dataDir, 'PG_VERSION')),
    server: info && isPostmasterAlive(info.pid) ? info : undefined,
    clients: await liveClients(dataDir),
  };
}

/**
 * `hunt db stop`: stops the server unless hunt processes hold leases on it (then returns them,
 * and stops nothing) — or stops it anyway with `force`, which ends their connections.
 */
export async function stopEmbedded(
  dataDir: string,
  opts: { force: boolean },
): Promise<{ stopped: boolean; clients: Client[] }> {
  const unlock = await lockCluster(dataDir, LOCK_TIMEOUT_MS);
  try {
    const clients = await liveClients(dataDir);
    if (clients.length > 0 && !opts.force) return { stopped: false, clients };
    const info = await readPostmasterPid(dataDir);
    if (!info || !isPostmasterAlive(info.pid)) return { stopped: false, clients };
    await stopServer(info.pid);
    return { stopped: true, clients };
  } finally {
    unlock();
  }
}

/** The credentials of an initialised cluster (for `hunt db status` to count connections). */
export async function embeddedCredentials(dataDir: string): Promise<Credentials> {
  return readCredentials(dataDir);
}

/** postgres:// URL of a database on the embedded server at `port`. */
export function embeddedUrl(credentials: Credentials, port: number, database: string): string {
  const { user, password } = credentials;
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`;
}

export interface Credentials {
  user: string;
  password: string;
}

async function readCredentials(dataDir: string): Promise<Credentials> {
  const file = join(dataDir, CREDENTIALS_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new StoreUnavailableError(
      `${dataDir} holds a Postgres cluster that hunt did not create (cannot read ${CREDENTIALS_FILE}: ${(err as Error).message}); ` +
        'move it away to let hunt create a new one, or set DATABASE_URL',
    );
  }
  const c = parsed as Partial<Credentials> | null;
  if (typeof c?.user !== 'string' || typeof c.password !== 'string') {
    throw new StoreUnavailableError(`${join(dataDir, CREDENTIALS_FILE)} is damaged (expected user and password)`);
  }
  return { user: c.user, password: c.password };
}

/**
 * initdb into a staging directory next to the data dir, then rename it into place: a crash
 * during initdb leaves no half-made cluster behind. (Concurrent first uses are serialised by the
 * cluster lock; the rename check stays for clusters shared with older hunt versions.)
 */
async function initialise(dataDir: string, bin: string, runAs: RunAs): Promise<void> {
  if (existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
    throw new StoreUnavailableError(`${dataDir} exists and is not empty, but is not a Postgres data directory`);
  }
  const staging = join(dirname(dataDir), `.${basename(dataDir)}.init-${process.pid}-${randomBytes(4).toString('hex')}`);
  const credentials: Credentials = { user: SUPERUSER, password: randomBytes(24).toString('hex') };
  try {
    await initdb({
      bin,
      dataDir: staging,
      user: credentials.user,
      password: credentials.password,
      runAs,
      // UTF-8 whatever the host locale is (a bare container has none, which would mean SQL_ASCII);
      // the builtin provider sorts and case-maps the same on every platform.
      flags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    });
    // Only this user may read the password (as root, the server's own user cannot either).
    await writeFile(join(staging, CREDENTIALS_FILE), JSON.stringify(credentials), { mode: 0o600 });
    try {
      await rename(staging, dataDir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      // lost the race: another process's cluster is in place, ours is discarded below
    }
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err;
    throw new StoreUnavailableError(
      `could not initialise an embedded Postgres in ${dataDir}: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * The server already running on `dataDir`, per its postmaster.pid, once it is ready; undefined
 * when none is (no file, or a stale one left by a crash).
 */
async function waitForRunning(dataDir: string, timeoutMs: number): Promise<{ pid: number; port: number } | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await readPostmasterPid(dataDir);
    if (!info || !isPostmasterAlive(info.pid)) return undefined;
    if (info.status === 'ready') return { pid: info.pid, port: info.port };
    // 'starting' (someone started it by hand?) or 'stopping': look again shortly
    if (Date.now() > deadline) {
      throw new StoreUnavailableError(
        `the embedded Postgres in ${dataDir} (pid ${info.pid}, port ${info.port}) stayed "${info.status}" for ${timeoutMs / 1000} s`,
      );
    }
    await sleep(100);
  }
}

/** A port nothing listens on right now (the OS picks it); a race with others is retried by the caller. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** As root: fails, saying what to do, when the `postgres` user cannot get to `dir`. */
function checkReachable(dir: string, ids: UserIds | undefined, consequence: string, move: string): void {
  const blocked = blockedDir(dir, ids);
  if (!blocked) return;
  const { dir: d, mode } = blocked;
  throw new StoreUnavailableError(
    `the embedded Postgres runs as the "${SUPERUSER}" user (Postgres refuses to run as root), and that user ` +
      `cannot enter ${d} (mode ${mode.toString(8).padStart(4, '0')}), ${consequence}. ` +
      `${move}, let it through (chmod o+x ${d}), or use an existing server with DATABASE_URL.`,
  );
}
