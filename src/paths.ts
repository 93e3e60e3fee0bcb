import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (holds detections/, migrations/, sql/, config/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the hunt package root');
    dir = up;
  }
}

/** HUNT_HOME (default ~/.hunt): the sample lake and the embedded Postgres live here. */
export function huntHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HUNT_HOME ?? join(homedir(), '.hunt'));
}

/**
 * As root, what the `postgres` user must reach but cannot inside a private HUNT_HOME or
 * checkout (the cluster, a copy of the server programs) lives under this directory.
 */
export const SYSTEM_DIR = '/var/lib/hunt';
