/**
 * Is a process still the one we recorded? A pid alone is not enough after a SIGKILL: the pid may
 * have been reused, so on Linux we also record the process's start time (/proc/<pid>/stat) and
 * compare. Where there is no /proc (macOS) the pid alone decides.
 */
import { readFileSync } from 'node:fs';

export interface ProcessId {
  pid: number;
  /** clock ticks since boot at which the process started (Linux); 0 when unknown */
  start: number;
}

/** Field 22 of /proc/<pid>/stat, read after the `(comm)` field, which may hold spaces. */
export function processStart(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : 0;
  } catch {
    return 0;
  }
}

export const thisProcess = (): ProcessId => ({ pid: process.pid, start: processStart(process.pid) });

export function isAlive(id: ProcessId): boolean {
  try {
    process.kill(id.pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (id.start === 0) return true;
  const now = processStart(id.pid);
  return now === 0 || now === id.start;
}
