/**
 * ESCU "Detect Spike in S3 Bucket Deletion": its filtering subsearch reads a baseline with
 * `inputlookup s3_deletion_baseline` and writes it back with `outputlookup`. hunt has no lookup
 * tables, so the detection is refused, by name and position, never run without its baseline.
 */
import { describe, expect, test } from 'vitest';
import { translateDetection, TranslateError } from '../../../src/translate/translate.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'detect_spike_in_s3_bucket_deletion.yml');

describe('Detect Spike in S3 Bucket Deletion', () => {
  test.each(['duckdb', 'athena'] as const)(
    'without lookups, is refused for %s: the error names the lookup and where it is',
    (dialect) => {
      let error: unknown;
      try {
        translateDetection(detection, { dialect, macros: macrosWith(), zone: 'UTC' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TranslateError);
      const message = (error as TranslateError).message;
      expect(message).toMatch(
        /^unknown lookup `s3_deletion_baseline`: no lookups are configured .* \(at line 1, column \d+ of the search\)$/,
      );
      // the column is the inputlookup inside the subsearch
      const column = Number(/column (\d+)/.exec(message)?.[1]);
      expect(detection.search.slice(column - 1).startsWith('s3_deletion_baseline')).toBe(true);
    },
  );
});
