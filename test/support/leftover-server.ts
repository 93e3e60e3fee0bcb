import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Stops an embedded server a failed test left running under `home` (HUNT_HOME), so its
 * directory can be removed: a fast shutdown (SIGINT), waited for up to 10 s.
 */
export async function stopLeftoverServer(home: string): Promise<void> {
  const pidFile = join(home, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
  } catch {
    // gone
  }
  for (let i = 0; i < 100 && existsSync(pidFile); i++) await sleep(100);
}
