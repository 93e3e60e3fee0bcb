import { importFiles } from '/work/main/src/lake/import.ts';
import { duckdb } from '/work/main/src/duckdb.ts';
import { rmSync } from 'node:fs';
const C = (duckdb as any).DuckDBConnection.prototype;
const orig = C.run;
C.run = async function (sql: string, ...a: unknown[]) {
  if (sql.startsWith('COPY')) {
    const out = sql.match(/TO '([^']*)'/)![1];
    const base = sql.replace(out, '/tmp/u2');
    const variants: Record<string, string> = {
      orig: base,
      unordered: base.replace(/ ORDER BY r\._hunt_part, r\.hunt_seq\)/, ')'),
      partonly: base.replace(/ ORDER BY r\._hunt_part, r\.hunt_seq\)/, ' ORDER BY r._hunt_part)'),
      uncompressed: base.replace('(FORMAT parquet,', "(FORMAT parquet, COMPRESSION 'uncompressed',"),
      v2: base.replace('(FORMAT parquet,', "(FORMAT parquet, PARQUET_VERSION V2,"),
    };
    const res: Record<string, number[]> = {};
    for (let k = 0; k < 3; k++) for (const [name, q] of Object.entries(variants)) {
      rmSync('/tmp/u2', { recursive: true, force: true });
      const t = performance.now(); await orig.call(this, q); (res[name] ??= []).push(Math.round(performance.now() - t));
    }
    console.error(res);
  }
  return orig.call(this, sql, ...a);
};
rmSync('/tmp/prof-lake', { recursive: true, force: true });
await importFiles('/tmp/prof-lake', ['/tmp/prof-ct.json.gz']);
