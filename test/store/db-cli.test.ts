/**
 * `hunt db status|stop` (the built CLI, a real embedded Postgres under a temp HUNT_HOME): status
 * shows the server and the hunt processes using it; stop refuses while one does, --force stops
 * it anyway, and an orphan (its starter SIGKILLed, no clients) stops without --force.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmbeddedReport } from '../../src/store/embedded-status.js';
import { hunt } from '../support/cli.js';
import { stopLeftoverServer } from '../support/leftover-server.js';
import { processGone } from '../support/process-gone.js';

const homes: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const home of homes) {
    await stopLeftoverServer(home);
    rmSync(home, { recursive: true, force: true });
  }
});

function huntHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-db-cli-'));
  chmodSync(dir, 0o755); // as root the server's user must be able to enter it
  homes.push(dir);
  return dir;
}

const env = (home: string): NodeJS.ProcessEnv => ({ HUNT_HOME: home, DATABASE_URL: '' });

/** A child holding the store open (`open-and-hold`) or opening it and SIGKILLing itself (`open-and-die`). */
function child(
  script: 'open-and-hold' | 'open-and-die',
  home: string,
): { proc: ChildProcess; port: Promise<number>; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', join('test', 'support', `${script}.ts`)], {
    env: { ...process.env, HUNT_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const port = new Promise<number>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.on('close', () => reject(new Error(`${script} exited before it opened the store: ${err}`)));
  });
  port.catch(() => undefined);
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, port, exit };
}

async function status(home: string): Promise<EmbeddedReport> {
  const r = await hunt(['db', 'status', '--json'], env(home));
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as EmbeddedReport;
}

describe('hunt db', () => {
  it('status shows the server and its clients; stop refuses while one is connected, --force stops it', async () => {
    const home = huntHome();
    expect(await status(home)).toMatchObject({ running: false, initialised: false, clients: [], pid: null });

    const holder = child('open-and-hold', home);
    const port = await holder.port;
    const s = await status(home);
    expect(s).toMatchObject({ running: true, initialised: true, port, state: 'ready' });
    expect(s.clients.map((c) => c.pid)).toEqual([holder.proc.pid]);
    expect(s.connections).toBeGreaterThanOrEqual(1);
    const text = await hunt(['db', 'status'], env(home));
    expect(text.stdout).toContain(`pid ${s.pid}, port ${port}`);
    expect(text.stdout).toContain('1 hunt process');

    const refused = await hunt(['db', 'stop'], env(home));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`pid ${holder.proc.pid}`);
    expect(refused.stderr).toContain('--force');
    expect((await status(home)).running).toBe(true);

    const forced = await hunt(['db', 'stop', '--force'], env(home));
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('stopped');
    expect(processGone(s.pid as number)).toBe(true);
    expect((await status(home)).running).toBe(false);

    // the holder, its server gone, still closes cleanly
    holder.proc.kill('SIGTERM');
    expect(await holder.exit).toBe(0);
    expect(await status(home)).toMatchObject({ running: false, clients: [] });
  }, 120_000);

  it('a process interrupted by a signal it does not handle still stops the server it was the last to use', async () => {
    const home = huntHome();
    const holder = child('open-and-hold', home); // handles SIGTERM itself, not SIGINT
    const port = await holder.port;
    const s = await status(home);
    expect(s).toMatchObject({ running: true, port });
    holder.proc.kill('SIGINT');
    await holder.exit;
    expect(holder.proc.signalCode).toBe('SIGINT'); // it still died of the signal
    for (let i = 0; i < 100 && !processGone(s.pid as number); i++) await sleep(100);
    expect(processGone(s.pid as number)).toBe(true);
    expect(await status(home)).toMatchObject({ running: false, clients: [] });
  }, 120_000);

  it('stops an orphaned server (its starter SIGKILLed) without --force', async () => {
    const home = huntHome();
    const dead = child('open-and-die', home);
    const port = await dead.port;
    await dead.exit;
    const s = await status(home);
    expect(s).toMatchObject({ running: true, port, clients: [] });

    const stop = await hunt(['db', 'stop'], env(home));
    expect(stop.code, stop.stderr).toBe(0);
    expect(processGone(s.pid as number)).toBe(true);
    expect((await hunt(['db', 'stop'], env(home))).stdout).toContain('not running');
  }, 120_000);
});
