/**
 * The shared material (../shared: ESCU corpus, references), read in place, never copied.
 * It sits next to the project; in a clone made elsewhere (`git clone . /tmp/x`) it is found
 * next to the repository the clone came from. HUNT_SHARED_DIR overrides both.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function originSibling(): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd: projectRoot,
      encoding: 'utf8',
    }).trim();
    return url && !/^[a-z]+:\/\//.test(url) ? join(dirname(resolve(projectRoot, url)), 'shared') : undefined;
  } catch {
    return undefined;
  }
}

function locate(): string {
  const candidates = [process.env.HUNT_SHARED_DIR, join(projectRoot, '..', 'shared'), originSibling()].filter(
    (c): c is string => !!c,
  );
  const found = candidates.find((c) => existsSync(join(c, 'escu')));
  if (!found) throw new Error(`cannot find the shared material (tried ${candidates.join(', ')}); set HUNT_SHARED_DIR`);
  return found;
}

export const SHARED = locate();
export const shared = (...parts: string[]): string => join(SHARED, ...parts);
