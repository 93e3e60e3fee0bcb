/**
 * Every detection of the ESCU corpus (../shared/escu) compiled for both dialects: at least 65
 * of the 68 must compile, every Athena query must parse as Trino, and every refusal must name
 * what is not supported.
 */
import { readdirSync } from 'node:fs';
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, test } from 'vitest';
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import { translateDetection, TranslateError, type Translation } from '../../src/translate/translate.js';
import { corpusDetection, type CorpusSet } from '../support/corpus.js';
import { shared } from '../support/shared.js';

const macros = new LayeredMacros([loadMacroDir(shared('escu', 'macros')), loadMacroDir('detections/macros')]);
const trino = new TrinoSQL();

type Outcome = { file: string; athena: Translation; duckdb: Translation } | { file: string; error: TranslateError };

const outcomes: Outcome[] = (['cloudtrail', 'asl'] as CorpusSet[]).flatMap((set) =>
  readdirSync(shared('escu', set))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f): Outcome => {
      const file = `${set}/${f}`;
      const d = corpusDetection(set, f);
      try {
        return {
          file,
          athena: translateDetection(d, { dialect: 'athena', macros, zone: 'UTC' }),
          duckdb: translateDetection(d, { dialect: 'duckdb', macros, zone: 'UTC' }),
        };
      } catch (err) {
        if (err instanceof TranslateError) return { file, error: err };
        throw err;
      }
    }),
);
const compiled = outcomes.filter((o): o is Extract<Outcome, { athena: Translation }> => 'athena' in o);
const refused = outcomes.filter((o): o is Extract<Outcome, { error: TranslateError }> => 'error' in o);

describe('the ESCU corpus', () => {
  test('has 68 detections, and at least 65 compile for both dialects', () => {
    expect(outcomes).toHaveLength(68);
    expect(compiled.length).toBeGreaterThanOrEqual(65);
  });

  test.each(compiled.map((o) => [o.file, o] as const))('%s: the Athena SQL parses as Trino', (_, o) => {
    expect(trino.validate(o.athena.sql)).toEqual([]);
    // the same SPL output fields either way, and the window bounds are parameters
    expect(o.athena.fields.map((f) => f.name)).toEqual(o.duckdb.fields.map((f) => f.name));
    expect(o.athena.slots.some((s) => s.kind === 'window')).toBe(true);
    expect(o.athena.sql).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
  });

  test('each refusal names what is unsupported and where', () => {
    for (const r of refused) {
      // a command, function or option in backquotes or with (), and a position
      expect(r.error.message, r.file).toMatch(/`[a-z0-9_]+`|[a-z_]+\(\)/);
      expect(r.error.message, r.file).toMatch(/\(at (line \d+, column \d+ of the search|column \d+ of macro)/);
    }
  });

  test('the one refusal today: detect_spike_in_s3_bucket_deletion reads a lookup table, and none is configured here', () => {
    expect(refused.map((r) => r.file)).toEqual(['cloudtrail/detect_spike_in_s3_bucket_deletion.yml']);
    expect(refused[0]?.error.message).toMatch(/^unknown lookup `s3_deletion_baseline`: no lookups are configured/);
  });
});
