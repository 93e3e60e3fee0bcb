/**
 * The cluster lock and the client leases (no server involved): a lock or lease left by a process
 * that was SIGKILLed does not count; a live holder's does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveClients, lockCluster, runDir, takeLease, tryLock } from '../../src/store/embedded-clients.js';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { processStart } from '../../src/store/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-clients-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dataDir = () => join(dir, `c${n++}`, 'postgres');

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the cluster lock', () => {
  it('is exclusive while its holder lives, and free again once released', async () => {
    const d = dataDir();
    const release = await lockCluster(d, 1_000);
    expect(tryLock(d)).toBeUndefined();
    await expect(lockCluster(d, 200)).rejects.toBeInstanceOf(StoreUnavailableError);
    release();
    const again = tryLock(d);
    expect(again).toBeTypeOf('function');
    again?.();
  });

  it('is taken over from a holder that was killed', async () => {
    const d = dataDir();
    mkdirSync(join(runDir(d), 'clients'), { recursive: true });
    writeFileSync(join(runDir(d), 'lock'), JSON.stringify({ pid: deadPid(), start: 1 }));
    const release = await lockCluster(d, 1_000);
    release();
    // nothing left behind by the takeover
    expect(readdirSync(runDir(d)).sort()).toEqual(['clients']);
  });

  it('is not taken over from a live process whose pid merely matches (start time differs)', async () => {
    const d = dataDir();
    mkdirSync(join(runDir(d), 'clients'), { recursive: true });
    // our own pid but another start time: a reused pid, so the recorded holder is dead
    writeFileSync(join(runDir(d), 'lock'), JSON.stringify({ pid: process.pid, start: processStart(process.pid) + 1 }));
    (await lockCluster(d, 1_000))();
    // our pid and our start time: alive
    writeFileSync(join(runDir(d), 'lock'), JSON.stringify({ pid: process.pid, start: processStart(process.pid) }));
    expect(tryLock(d)).toBeUndefined();
  });
});

describe('client leases', () => {
  it("count while their process lives; a killed process's lease is dropped", async () => {
    const d = dataDir();
    (await lockCluster(d, 1_000))();
    const mine = await takeLease(d);
    const stale = join(runDir(d), 'clients', 'dead.json');
    writeFileSync(stale, JSON.stringify({ pid: deadPid(), start: 1, command: 'hunt run', since: '' }));
    const live = await liveClients(d);
    expect(live.map((c) => c.pid)).toEqual([process.pid]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(mine)).toBe(true);
  });
});
