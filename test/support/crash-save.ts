/**
 * Child process of test/store/crash.test.ts: saves a new version of the fixture run and, inside
 * the transaction, once the new findings are written, reports what it sees and SIGKILLs itself —
 * a crash at the worst moment, with no chance to roll back or clean up.
 * Run with `node --import tsx`, DATABASE_URL set.
 */
import { sql } from 'slonik';
import { openDatabase } from '../../src/store/database.js';
import { saveRun } from '../../src/store/runs.js';
import { makeRun } from './store-fixtures.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const findings = Number(process.env.CRASH_FINDINGS ?? 500);

const db = await openDatabase({ databaseUrl: url, huntHome: '/nonexistent' });
await saveRun(db.pool, makeRun({ findings, tag: 'crashed' }), {
  afterFindings: async (tx, runId) => {
    const n = await tx.oneFirst(sql.unsafe`SELECT count(*)::int FROM findings WHERE run_id = ${runId}`);
    await new Promise<void>((resolve) => process.stdout.write(`uncommitted findings: ${String(n)}\n`, () => resolve()));
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {}); // never resumes the transaction
  },
});
process.stdout.write('committed\n');
