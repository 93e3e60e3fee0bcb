import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type DatabasePool } from 'slonik';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedDataDir, openDatabase, type Database } from '../../src/store/database.js';
import { ensureEmbeddedServer } from '../../src/store/embedded.js';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { loadMigrations } from '../../src/store/migrate.js';
import { saveRun } from '../../src/store/runs.js';
import { createTestDatabase, databaseUrl } from '../support/postgres.js';
import { makeRun } from '../support/store.js';
import { processGone } from '../support/process-gone.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const isRoot = process.getuid?.() === 0;
const opened: Database[] = [];
const homes: string[] = [];
afterAll(async () => {
  for (const db of opened) await db.close();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
});

/** A HUNT_HOME the server's user can reach (mkdtemp makes 0700 directories). */
function huntHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-home-'));
  chmodSync(dir, 0o755);
  homes.push(dir);
  return dir;
}

const port = (pool: DatabasePool) => pool.oneFirst(sql.unsafe`SELECT inet_server_port()`);
const pidFile = (home: string) => join(home, 'postgres', 'postmaster.pid');

/** A localhost port with nothing listening on it. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 1));
    });
  });
}

async function unavailable(p: Promise<unknown>): Promise<StoreUnavailableError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreUnavailableError);
  return err as StoreUnavailableError;
}

describe('openDatabase with a URL', () => {
  it('connects and migrates; a second open finds the schema up to date', async () => {
    const test = await createTestDatabase();
    try {
      const shipped = (await loadMigrations()).map((m) => m.name);
      const a = await openDatabase({ databaseUrl: test.url, huntHome: '/nonexistent' });
      expect(a.embedded).toBe(false);
      expect(a.migrated).toEqual(shipped);
      await a.close();
      await a.close(); // idempotent
      const b = await openDatabase({ databaseUrl: test.url, huntHome: '/nonexistent' });
      expect(b.migrated).toEqual([]);
      await b.close();
    } finally {
      await test.drop();
    }
  });

  it('says where it could not connect, without the password', async () => {
    const p = await closedPort();
    const refused = await unavailable(
      openDatabase({ databaseUrl: `postgres://hunt:s3cret@127.0.0.1:${p}/hunt`, huntHome: '/x' }),
    );
    expect(refused.message).toContain(`127.0.0.1:${p}`);
    expect(refused.message).toMatch(/ECONNREFUSED/);
    expect(refused.message).not.toContain('s3cret');

    const badHost = await unavailable(
      openDatabase({ databaseUrl: 'postgres://h:s3cret@no-such-host.invalid/db', huntHome: '/x' }),
    );
    expect(badHost.message).toContain('no-such-host.invalid:5432');
    expect(badHost.message).not.toContain('s3cret');

    await unavailable(openDatabase({ databaseUrl: 'definitely not a url', huntHome: '/x' }));
  });

  // the embedded test server checks passwords; a DATABASE_URL server may trust local connections
  it.skipIf(Boolean(process.env.DATABASE_URL))(
    'reports a wrong password or a missing database on a live server the same way',
    async () => {
      const wrong = new URL(databaseUrl('postgres'));
      wrong.password = 'not-the-password';
      const auth = await unavailable(openDatabase({ databaseUrl: wrong.toString(), huntHome: '/x' }));
      expect(auth.message).toMatch(/password authentication failed/);
      expect(auth.message).not.toContain('not-the-password');

      const missing = await unavailable(openDatabase({ databaseUrl: databaseUrl('no_such_database'), huntHome: '/x' }));
      expect(missing.message).toMatch(/no_such_database/);
    },
  );
});

describe('openDatabase without a URL (embedded Postgres)', () => {
  it('initialises, starts, reuses a running server; the last user out stops it', async () => {
    const home = huntHome();
    const a = await openDatabase({ huntHome: home });
    opened.push(a);
    expect(a.embedded).toBe(true);
    expect(a.migrated.length).toBeGreaterThan(0);
    expect(existsSync(join(home, 'postgres', 'PG_VERSION'))).toBe(true);
    // the password file is for this user only
    expect(statSync(join(home, 'postgres', 'hunt-credentials.json')).mode & 0o777).toBe(0o600);
    await saveRun(a.pool, makeRun());

    const b = await openDatabase({ huntHome: home });
    expect(b.migrated).toEqual([]);
    expect(await port(b.pool)).toBe(await port(a.pool));
    expect(await b.pool.oneFirst(sql.unsafe`SELECT count(*)::int FROM runs`)).toBe(1);
    await b.close();
    // a still uses the server, so b's close left it up
    expect(existsSync(pidFile(home))).toBe(true);
    expect(await a.pool.oneFirst(sql.unsafe`SELECT count(*)::int FROM runs`)).toBe(1);

    await a.close();
    expect(existsSync(pidFile(home))).toBe(false);

    // the data outlives the server
    const c = await openDatabase({ huntHome: home });
    opened.push(c);
    expect(await c.pool.oneFirst(sql.unsafe`SELECT count(*)::int FROM runs`)).toBe(1);
    await c.close();
  });

  it('copes with two first uses of the same HUNT_HOME at once', async () => {
    const home = huntHome();
    const [a, b] = await Promise.all([openDatabase({ huntHome: home }), openDatabase({ huntHome: home })]);
    opened.push(a, b);
    expect(await port(a.pool)).toBe(await port(b.pool));
    // one of them applied the migrations, the other found them applied
    expect([a.migrated.length > 0, b.migrated.length > 0].sort()).toEqual([false, true]);
    await a.close();
    await b.close();
    expect(existsSync(pidFile(home))).toBe(false);
  });

  it('reuses a server orphaned by a SIGKILLed starter, and stops it when the next user is done', async () => {
    const home = huntHome();
    const child = await new Promise<{ out: string; signal: NodeJS.Signals | null; err: string }>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/support/open-and-die.ts')], {
        cwd: root,
        env: { ...process.env, HUNT_HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.on('error', reject);
      p.on('close', (_code, signal) => resolve({ out, signal, err }));
    });
    expect(child.signal, child.err).toBe('SIGKILL');
    const orphanPort = Number(/port (\d+)/.exec(child.out)?.[1]);
    const orphanPid = Number(readFileSync(pidFile(home), 'utf8').split('\n')[0]);
    // the orphan outlived its starter, with the starter's lease left behind
    expect(() => process.kill(orphanPid, 0)).not.toThrow();

    try {
      const db = await openDatabase({ huntHome: home });
      expect(await port(db.pool)).toBe(orphanPort);
      await db.close();
      // the dead starter's lease does not count: the last live user out stopped the orphan
      expect(existsSync(pidFile(home))).toBe(false);
      expect(processGone(orphanPid)).toBe(true);
    } finally {
      try {
        process.kill(orphanPid, 'SIGINT');
      } catch {
        // stopped, as it should be
      }
      for (let i = 0; i < 100 && existsSync(pidFile(home)); i++) await sleep(100);
    }
  });

  it.skipIf(!isRoot)(
    'as root, explains a data dir the postgres user cannot reach instead of failing obscurely',
    async () => {
      const locked = mkdtempSync(join(tmpdir(), 'hunt-locked-')); // 0700, like /root
      homes.push(locked);
      const err = await unavailable(ensureEmbeddedServer(join(locked, 'postgres')));
      expect(err.message).toContain(`cannot enter ${locked}`);
      expect(err.message).toContain('HUNT_HOME');
      expect(err.message).toContain(`chmod o+x ${locked}`);
    },
  );

  it.skipIf(!isRoot)(
    'as root with HUNT_HOME in a private directory (like /root/.hunt), the cluster lives under /var/lib/hunt',
    async () => {
      const locked = mkdtempSync(join(tmpdir(), 'hunt-locked-')); // 0700, like /root
      homes.push(locked);
      const home = join(locked, '.hunt');
      mkdirSync(home);
      const dataDir = embeddedDataDir(home);
      expect(dataDir).toMatch(/^\/var\/lib\/hunt\/[0-9a-f]{16}\/postgres$/);
      expect(embeddedDataDir(home)).toBe(dataDir); // stable per HUNT_HOME
      homes.push(join(dataDir, '..'));
      const db = await openDatabase({ huntHome: home });
      try {
        expect(db.embedded).toBe(true);
        expect(await db.pool.oneFirst(sql.unsafe`SELECT 1`)).toBe(1);
      } finally {
        await db.close();
      }
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      // a HUNT_HOME others can enter keeps its cluster inside
      chmodSync(locked, 0o755);
      expect(embeddedDataDir(home)).toBe(join(home, 'postgres'));
    },
  );
});
