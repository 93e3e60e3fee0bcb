/**
 * The whole held-out ESCU AWS corpus (../shared/escu: CloudTrail and Security Lake; ../shared/
 * escu-more: the other AWS sourcetypes, with their lookups) compiles for both dialects, on
 * either source a sourcetype can be read from, except what cannot be done without Splunk: each
 * such detection is listed with the reason the compiler gives.
 */
import { basename } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, test } from 'vitest';
import { compileDirectory } from '../../src/compile/compile.js';
import type { DialectName } from '../../src/sql/dialect.js';
import { configFiles } from '../support/config-files.js';
import { shared } from '../support/shared.js';

/** Detections that cannot compile, by file stem, and the reason the compiler must give. */
const REFUSED: Record<string, RegExp> = {
  // S3 server access logs are in no Security Lake table, and CloudTrail's S3 data events lack
  // their fields: mapping one onto the other would change what the detection means
  detect_s3_access_from_a_new_ip:
    /^sourcetype aws:s3:accesslogs cannot be read: S3 server access logs are in no Security Lake table/,
};

const files = configFiles('corpus-compiles');
const trino = new TrinoSQL();
const stem = (file: string): string => basename(file).replace(/\.ya?ml$/, '');

// ESCU's own Athena SQL is parsed as Trino elsewhere (test/compile/format-sql.test.ts on their
// own tables, test/cross-source on Security Lake): parsing it again here took over a minute
const sets = [
  { dir: shared('escu'), total: 68, parse: false },
  { dir: shared('escu-more', 'detections'), total: 6, parse: true },
];
const choices = [
  { source: 'their own tables', read: '' },
  { source: 'Security Lake', read: 'read:\n  sourcetypes:\n    aws:cloudtrail: security_lake\n' },
];

describe.each(choices)('on $source', ({ read }) => {
  const config = files.load(`lookups: ${shared('escu-more', 'lookups')}\n${read}`);
  describe.each(['athena', 'duckdb'] as DialectName[])('%s', (dialect) => {
    test.each(sets)('$dir', ({ dir, total, parse }) => {
      const outcomes = compileDirectory(dir, config, { dialect });
      expect(outcomes).toHaveLength(total);
      for (const o of outcomes) {
        const refused = REFUSED[stem(o.file)];
        if (refused) {
          expect(o.error, o.file).toMatch(refused);
          continue;
        }
        expect(o.error, o.file).toBeUndefined();
        // a search that writes a lookup runs in steps: each is a query of its own
        const queries = [...(o.prepared?.steps ?? []).map((s) => s.translation.sql), o.translation?.sql ?? ''];
        for (const sql of queries) {
          expect(sql, o.file).not.toBe('');
          if (dialect === 'athena' && parse) expect(trino.validate(sql), `${o.file}\n${sql}`).toEqual([]);
        }
      }
      // every refusal is still a refusal (the list cannot go stale)
      const stems = outcomes.map((o) => stem(o.file));
      for (const s of Object.keys(REFUSED))
        if (stems.includes(s)) expect(outcomes.find((o) => stem(o.file) === s)?.error).toBeDefined();
    });
  });
});
