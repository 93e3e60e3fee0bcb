import { readFileSync } from 'node:fs';

/**
 * No such process, or a zombie nobody reaped: a stopped server whose starter has died is
 * reparented to init, and a container's init may never reap it. Linux only (/proc).
 */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
