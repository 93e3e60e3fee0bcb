/**
 * Runs once before the suite:
 * - builds dist/ so CLI tests exercise the current code;
 * - provides a Postgres server for the whole run (`inject('postgresUrl')`, an admin URL): the
 *   server at DATABASE_URL when that is set, else ONE embedded Postgres in a temp dir, stopped
 *   and removed at teardown. Test files create their own database on it
 *   (test/support/postgres.ts: createTestDatabase), so files running in parallel never meet.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureEmbeddedServer } from '../src/store/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** admin URL (database `postgres`) of the test run's Postgres server */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('postgresUrl', external);
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'hunt-test-pg-'));
  // mkdtemp makes it 0700; as root the server runs as `postgres`, which must be able to enter it.
  chmodSync(dir, 0o755);
  try {
    const server = await ensureEmbeddedServer(join(dir, 'postgres'), {
      // a throwaway cluster: durability buys nothing here, and test files run in parallel
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    project.provide('postgresUrl', server.url('postgres'));
    return async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
