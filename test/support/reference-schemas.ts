/**
 * The column schemas of AWS's real Security Lake Parquet samples
 * (shared/reference/securitylake_other_sources.schemas.txt, DuckDB DESCRIBE output), read in
 * place: a fixture written with them has exactly the sample's columns and types.
 */
import { readFileSync } from 'node:fs';
import type { SecurityLakeColumn } from './security-lake-parquet.js';
import { shared } from './shared.js';

/** The columns of one sample (`1.0.0-rc.2_vpc_flow.parquet`), in file order. */
export function sampleColumns(sample: string): SecurityLakeColumn[] {
  const text = readFileSync(shared('reference', 'securitylake_other_sources.schemas.txt'), 'utf8');
  const start = text.indexOf(`== ${sample} `);
  if (start < 0) throw new Error(`no sample ${sample} in the reference schemas`);
  const lines = text.slice(start).split('\n').slice(1);
  const end = lines.findIndex((l) => l.startsWith('== ') || l.trim() === '');
  return lines.slice(0, end < 0 ? undefined : end).map((l) => {
    const [name, type] = l.split('\t');
    if (!name || !type) throw new Error(`${sample}: cannot read the line ${JSON.stringify(l)}`);
    return { name, type };
  });
}
