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

/**
 * The fields of /proc/<pid>/stat after `(comm)` (which may hold spaces): [0] is field 3, the
 * state. Undefined where there is no such process or no /proc (macOS).
 */
export function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started; 0 when unknown. */
export function processStart(pid: number): number {
  const start = Number(procStatFields(pid)?.[19]);
  return Number.isFinite(start) ? start : 0;
}

/** Whether some process has this pid (EPERM: it does, another user's). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const thisProcess = (): ProcessId => ({ pid: process.pid, start: processStart(process.pid) });

export function isAlive(id: ProcessId): boolean {
  if (!pidExists(id.pid)) return false;
  if (id.start === 0) return true;
  const now = processStart(id.pid);
  return now === 0 || now === id.start;
}
