import { importFiles } from '/work/main/src/lake/import.ts';
import { duckdb } from '/work/main/src/duckdb.ts';
import { rmSync } from 'node:fs';
const C = (duckdb as any).DuckDBConnection.prototype;
const t0 = performance.now();
for (const m of ['run', 'runAndReadAll']) {
  const orig = C[m];
  C[m] = async function (sql: string, ...a: unknown[]) {
    const t = performance.now(); const u = process.cpuUsage();
    try { return await orig.call(this, sql, ...a); } finally {
      const d = performance.now() - t; const c = process.cpuUsage(u); if (d > 20) console.error(`@${(t - t0).toFixed(0)} +${d.toFixed(0)}ms cpu ${((c.user + c.system) / 1000).toFixed(0)} ${sql.slice(0, 50)}`);
    }
  };
}
rmSync('/tmp/prof-lake', { recursive: true, force: true });
const u = process.cpuUsage();
await importFiles('/tmp/prof-lake', ['/tmp/prof-ct.json.gz']);
const c = process.cpuUsage(u);
console.error('total', (performance.now() - t0).toFixed(0), 'cpu', ((c.user + c.system) / 1000).toFixed(0));
