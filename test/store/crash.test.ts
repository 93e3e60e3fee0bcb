import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'slonik';
import { describe, expect, it } from 'vitest';
import { saveRun } from '../../src/store/runs.js';
import { count, makeRun, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;
const child = fileURLToPath(new URL('../support/crash-save.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

function runChild(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

describe('a crash inside saveRun', () => {
  it('leaves the previous version of the run intact', async () => {
    const before = await saveRun(pool(), makeRun({ findings: 3, tag: 'v1' }));

    const result = await runChild({ DATABASE_URL: store.url, CRASH_FINDINGS: '500' });
    // it really died mid-transaction, with the new findings written but not committed
    expect(result.signal, result.err).toBe('SIGKILL');
    expect(result.out).toContain('uncommitted findings: 500');
    expect(result.out.trim().split('\n')).toEqual(['uncommitted findings: 500']);

    // the database shows the run as it was before
    expect(await count(pool(), 'runs')).toBe(1);
    expect(await pool().one(sql.unsafe`SELECT id::text AS id, engine, result_count FROM runs`)).toEqual({
      id: before.runId,
      engine: 'duckdb-v1',
      result_count: 3,
    });
    expect(await pool().anyFirst(sql.unsafe`SELECT "row"->>'tag' FROM findings ORDER BY ordinal`)).toEqual([
      'v1',
      'v1',
      'v1',
    ]);
    expect(await pool().anyFirst(sql.unsafe`SELECT DISTINCT risk_message FROM risk_events`)).toEqual(['v1']);
    expect(await count(pool(), 'risk_events')).toBe(3);

    // and nothing of the dead session lingers: the run can be replaced at once
    const after = await saveRun(pool(), makeRun({ findings: 4, tag: 'v2' }));
    expect(after).toEqual({ runId: before.runId, replaced: true });
    expect(await count(pool(), 'findings')).toBe(4);
  });
});
