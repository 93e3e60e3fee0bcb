import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readPostmasterPidSync } from '../../src/store/postgres-server.js';

/**
 * Stops an embedded server a failed test left running under `home` (HUNT_HOME), so its
 * directory can be removed: a fast shutdown (SIGINT), waited for up to 10 s.
 */
export async function stopLeftoverServer(home: string): Promise<void> {
  const dataDir = join(home, 'postgres');
  const server = readPostmasterPidSync(dataDir);
  if (!server) return;
  try {
    process.kill(server.pid, 'SIGINT');
  } catch {
    // gone
  }
  for (let i = 0; i < 100 && existsSync(join(dataDir, 'postmaster.pid')); i++) await sleep(100);
}
