/**
 * A process that ends without closing its database still gives back its leases on the embedded
 * server, and stops the server when it was the last user, so a crashed or interrupted command
 * does not leave a server running until the next hunt command:
 * - on `exit` (process.exit, an uncaught error);
 * - on SIGINT or SIGTERM when nothing else handles the signal (a command that handles
 *   it, like run, backfill and schedule, closes the database itself): we clean up, then re-raise
 *   the signal so the process still ends the way it would have.
 * Synchronous, as exit handlers must be: one try at the cluster lock, and a stop request the
 * server completes on its own. If the lock is busy, the stale-lease rule leaves the stop to
 * whoever uses the server next. SIGKILL runs nothing: that is the stale-lease rule's case too.
 */
import { anyLiveClientSync, releaseLeaseSync, tryLock } from './embedded-clients.js';
import { isPostmasterAlive, readPostmasterPidSync } from './postgres-server.js';

/** lease file → data dir, for the leases this process holds */
const held = new Map<string, string>();
let installed = false;
// not SIGHUP: listening to it would undo `nohup` (Node restores the default, not SIG_IGN)
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function holdLease(dataDir: string, lease: string): void {
  held.set(lease, dataDir);
  if (installed) return;
  installed = true;
  process.on('exit', releaseAll);
  // first in line: a command's own `process.once` handler is removed before it is called, so
  // behind it we would count ourselves alone and kill the process under the command's shutdown
  for (const signal of SIGNALS) process.prependListener(signal, onSignal);
}

/** The lease was given back the ordinary way. */
export function leaseReleased(lease: string): void {
  held.delete(lease);
}

function onSignal(signal: NodeJS.Signals): void {
  // someone else handles it: they will close the database (or we run on `exit`)
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  for (const s of SIGNALS) process.off(s, onSignal);
  process.kill(process.pid, signal);
}

function releaseAll(): void {
  const dirs = new Set(held.values());
  for (const file of held.keys()) releaseLeaseSync(file);
  held.clear();
  for (const dir of dirs) {
    let unlock: (() => void) | undefined;
    try {
      unlock = tryLock(dir);
    } catch {
      continue; // the run dir is gone: nothing to stop
    }
    if (!unlock) continue;
    try {
      if (anyLiveClientSync(dir)) continue;
      const server = readPostmasterPidSync(dir);
      if (server && isPostmasterAlive(server.pid)) process.kill(server.pid, 'SIGINT');
    } catch {
      // no server, or already gone
    } finally {
      unlock();
    }
  }
}
