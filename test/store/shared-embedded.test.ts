/**
 * Issue 11's "one command stops the database under another": two `hunt schedule` daemons and a
 * `hunt backfill` (real processes, the built CLI) share the embedded Postgres of one HUNT_HOME,
 * with no DATABASE_URL. The daemon that started the server stops first, while the others are
 * mid-work; neither of them loses its connections, all exit 0, and the last one out stops the
 * server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPostmasterPidSync } from '../../src/store/postgres-server.js';
import { stopLeftoverServer } from '../support/leftover-server.js';
import { processGone } from '../support/process-gone.js';
import { buildDemoLake, DAY_END, DAY_START } from '../support/schedule-fixture.js';

let dir: string;
let home: string;
let lake: string;
let config: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hunt-shared-pg-'));
  // as root the server runs as `postgres`, which must be able to enter HUNT_HOME
  chmodSync(dir, 0o755);
  home = join(dir, 'home');
  lake = join(dir, 'lake');
  await buildDemoLake(lake);
  config = join(dir, 'hunt.yaml');
  writeFileSync(config, 'schedule:\n  concurrency: 2\n  lease: 1m\n  catch_up: 6h\n  backfill_batch_windows: 1\n');
}, 120_000);

afterAll(async () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await stopLeftoverServer(home);
  rmSync(dir, { recursive: true, force: true });
});

/** The embedded default: this HUNT_HOME, and no DATABASE_URL from the test run's environment. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HUNT_HOME: home };
  delete env.DATABASE_URL;
  return env;
}

interface Proc {
  name: string;
  proc: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<number | null>;
}

function start(name: string, args: string[]): Proc {
  const proc = spawn(process.execPath, [join(process.cwd(), 'bin', 'hunt.js'), ...args], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(proc);
  let err = '';
  let out = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { name, proc, stderr: () => err, stdout: () => out, exit };
}

const daemon = (name: string) =>
  start(name, [
    'schedule',
    '--now',
    DAY_END.toISO() as string,
    '--lake',
    lake,
    '--config',
    config,
    '--log-format',
    'json',
  ]);

async function until(what: string, p: Proc, test: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline)
      throw new Error(`${p.name}: no ${what} within ${ms / 1000} s\n${p.stderr().slice(-3000)}`);
    if (p.proc.exitCode !== null) throw new Error(`${p.name} exited ${p.proc.exitCode}\n${p.stderr().slice(-3000)}`);
    await sleep(100);
  }
}

/** Exit code, or a failure with the process's log if it does not stop within 60 s. */
async function exited(p: Proc): Promise<number | null> {
  const code = await Promise.race([p.exit, sleep(60_000).then(() => 'still running' as const)]);
  if (code === 'still running') {
    p.proc.kill('SIGKILL');
    throw new Error(`${p.name} did not stop\n${p.stderr().slice(-3000)}`);
  }
  return code;
}

function backfillOver(from: DateTime, to: DateTime): Proc {
  return start('backfill', [
    'backfill',
    '--all',
    '--from',
    from.toISO() as string,
    '--to',
    to.toISO() as string,
    '--now',
    DAY_END.toISO() as string,
    '--lake',
    lake,
    '--config',
    config,
    '--no-progress',
    '--json',
  ]);
}

const serverPid = (): number | undefined => readPostmasterPidSync(join(home, 'postgres'))?.pid;

describe('the embedded Postgres shared by several hunt processes', () => {
  it('survives its starter stopping first; each process exits 0; the last one out stops it', async () => {
    // A starts the server (the first use of this HUNT_HOME initialises it, too)
    const a = daemon('daemon A');
    await until('first stored run', a, () => a.stderr().includes('"run stored"'));
    const pid = serverPid();
    expect(pid).toBeGreaterThan(0);

    const b = daemon('daemon B');
    const backfill = backfillOver(DAY_START.minus({ hours: 12 }), DAY_START.plus({ hours: 12 }));
    await until('start', b, () => b.stderr().includes('"schedule started"'));
    await until('progress', backfill, () => /windows done/.test(backfill.stderr()));

    // the starter goes first, while the backfill is mid-range
    a.proc.kill('SIGTERM');
    expect(await exited(a), a.stderr().slice(-3000)).toBe(0);
    expect(serverPid()).toBe(pid);
    expect(backfill.proc.exitCode, backfill.stderr().slice(-3000)).toBeNull();

    // the backfill finishes its range on the same server, then B stops: the last one out
    expect(await exited(backfill), backfill.stderr().slice(-3000)).toBe(0);
    expect(JSON.parse(backfill.stdout())).toMatchObject({ failed: 0, interrupted: false });
    expect(serverPid()).toBe(pid);
    b.proc.kill('SIGTERM');
    expect(await exited(b), b.stderr().slice(-3000)).toBe(0);

    for (const p of [a, b, backfill]) {
      expect(p.stderr(), p.name).not.toMatch(/terminating connection|BackendTerminated|administrator command/);
    }
    expect(serverPid()).toBeUndefined();
    expect(processGone(pid as number)).toBe(true);
  }, 300_000);

  it('in another order: the backfill ends first, then the starter, then the other daemon', async () => {
    const a = daemon('daemon A');
    await until('start', a, () => a.stderr().includes('"schedule started"'));
    const pid = serverPid();
    expect(pid).toBeGreaterThan(0);
    const b = daemon('daemon B');
    await until('start', b, () => b.stderr().includes('"schedule started"'));
    const backfill = backfillOver(DAY_START.minus({ hours: 20 }), DAY_START.minus({ hours: 12 }));
    expect(await exited(backfill), backfill.stderr().slice(-3000)).toBe(0);
    expect(JSON.parse(backfill.stdout())).toMatchObject({ failed: 0, interrupted: false });
    expect(serverPid()).toBe(pid);

    a.proc.kill('SIGTERM');
    expect(await exited(a), a.stderr().slice(-3000)).toBe(0);
    expect(serverPid()).toBe(pid);
    b.proc.kill('SIGTERM');
    expect(await exited(b), b.stderr().slice(-3000)).toBe(0);
    for (const p of [a, b, backfill]) {
      expect(p.stderr(), p.name).not.toMatch(/terminating connection|BackendTerminated|administrator command/);
    }
    expect(serverPid()).toBeUndefined();
    expect(processGone(pid as number)).toBe(true);
  }, 300_000);
});
