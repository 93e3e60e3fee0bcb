import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeImportError } from './errors.js';

/**
 * One import at a time per lake: two concurrent imports would each miss the other's
 * not-yet-renamed files and write the same events twice. The lock file holds the owner's pid
 * so a lock left behind by a crashed import is taken over instead of blocking forever.
 */
export const LOCK_FILE = '.hunt-import.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(String(process.pid));
    } finally {
      await handle.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

export async function withLakeLock<T>(lakeDir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(lakeDir, { recursive: true });
  const path = join(lakeDir, LOCK_FILE);
  if (!(await tryCreate(path))) {
    const text = (await readFile(path, 'utf8').catch(() => '')).trim();
    const owner = Number(text);
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw new LakeImportError(`another import into ${lakeDir} is running (pid ${owner}, lock ${path})`);
    }
    // An empty lock may be one another process has created but not yet written its pid into.
    const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0);
    if (text === '' && age < 10_000) {
      throw new LakeImportError(`another import into ${lakeDir} is starting (lock ${path})`);
    }
    await rm(path, { force: true });
    if (!(await tryCreate(path)))
      throw new LakeImportError(`another import into ${lakeDir} just started (lock ${path})`);
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
