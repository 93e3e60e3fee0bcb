/**
 * Which hunt processes use an embedded cluster, so that none stops it under another.
 *
 * The choice is client counting, not an idle timeout: every process that opens the cluster
 * writes a lease file (its pid and process start time) into `<dataDir>.run/clients/`, and removes
 * it when it closes; the process that removes the last live lease stops the server. A lease whose
 * process is gone (SIGKILL, a crash) is stale and is dropped by whoever looks next, so a server
 * orphaned that way is stopped when the next hunt command that uses it exits. Counting stops the
 * server as soon as nobody needs it and never under anybody, with no extra daemon to supervise.
 *
 * Registering, starting, and the last-one-out check-and-stop all happen under one lock file
 * (`<dataDir>.run/lock`), so a process cannot register while another decides to stop. The lock
 * is made by link(2)ing a complete temp file into place (atomic, fails if taken); a lock whose
 * holder is dead is broken. Held for milliseconds, or for the seconds a start or stop takes.
 */
import { linkSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, type ProcessId, thisProcess } from './processes.js';
import { StoreUnavailableError } from './errors.js';

export interface Client extends ProcessId {
  /** the command line, for `hunt db status` */
  command: string;
  /** ISO time the lease was taken */
  since: string;
}

/** `<dataDir>.run`: the lock, the leases and the server log, beside the data dir. */
export const runDir = (dataDir: string): string => `${dataDir}.run`;
const lockFile = (dataDir: string) => join(runDir(dataDir), 'lock');
const clientsDir = (dataDir: string) => join(runDir(dataDir), 'clients');

/** Takes the cluster's lock (waiting up to `timeoutMs`); resolves to its release. */
export async function lockCluster(dataDir: string, timeoutMs: number): Promise<() => void> {
  await mkdir(clientsDir(dataDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const release = tryLock(dataDir);
    if (release) return release;
    if (Date.now() > deadline) {
      throw new StoreUnavailableError(
        `another hunt process has held ${lockFile(dataDir)} for ${timeoutMs / 1000} s; if none is running, remove the file`,
      );
    }
    await sleep(50);
  }
}

/**
 * One attempt at the lock, synchronous (an `exit` handler uses it too). Breaking a dead holder's
 * lock renames it aside first, so two breakers cannot both remove it; should the renamed file turn
 * out to be a live holder's fresh lock (taken between our read and rename), it is put back.
 */
export function tryLock(dataDir: string): (() => void) | undefined {
  const file = lockFile(dataDir);
  const me = JSON.stringify(thisProcess());
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, me);
  try {
    linkSync(temp, file);
    return () => {
      try {
        if (readFileSync(file, 'utf8') === me) unlinkSync(file);
      } catch {
        // already gone
      }
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
  const holder = readHolder(file);
  if (holder === undefined || isAlive(holder.id)) return undefined;
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch {
    return undefined; // someone else broke it
  }
  if (readFileSync(aside, 'utf8') !== holder.text) {
    try {
      linkSync(aside, file);
    } catch {
      // taken again meanwhile
    }
  }
  unlinkSync(aside);
  return undefined; // try again
}

function readHolder(file: string): { id: ProcessId; text: string } | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    return { id: parseId(JSON.parse(text)), text };
  } catch {
    return undefined; // released meanwhile
  }
}

function parseId(v: unknown): ProcessId {
  const o = v as Partial<ProcessId> | null;
  return { pid: Number(o?.pid), start: Number(o?.start ?? 0) };
}

/** Writes this process's lease; returns its path (for releaseLease). Call with the lock held. */
export async function takeLease(dataDir: string): Promise<string> {
  const client: Client = {
    ...thisProcess(),
    command: process.argv.slice(1).join(' '),
    since: new Date().toISOString(),
  };
  // several leases per process are fine (two opens in one process): each is its own file
  const file = join(clientsDir(dataDir), `${process.pid}-${randomBytes(4).toString('hex')}.json`);
  await writeFile(file, JSON.stringify(client));
  return file;
}

export async function releaseLease(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** The leases whose processes are alive; stale ones are removed on the way. */
export async function liveClients(dataDir: string): Promise<Client[]> {
  let names: string[];
  try {
    names = await readdir(clientsDir(dataDir));
  } catch {
    return [];
  }
  const live: Client[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = join(clientsDir(dataDir), name);
    let client: Client;
    try {
      const raw = JSON.parse(await readFile(file, 'utf8')) as Partial<Client>;
      client = { ...parseId(raw), command: String(raw.command ?? ''), since: String(raw.since ?? '') };
    } catch {
      continue; // being written right now, or already removed
    }
    if (isAlive(client)) live.push(client);
    else await unlink(file).catch(() => undefined);
  }
  return live;
}

/** Synchronous lease removal, for an `exit` handler. */
export function releaseLeaseSync(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Synchronous: is any lease live? (for an `exit` handler; stale ones are left to others) */
export function anyLiveClientSync(dataDir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(clientsDir(dataDir));
  } catch {
    return false;
  }
  return names.some((name) => {
    try {
      return isAlive(parseId(JSON.parse(readFileSync(join(clientsDir(dataDir), name), 'utf8'))));
    } catch {
      return false;
    }
  });
}
