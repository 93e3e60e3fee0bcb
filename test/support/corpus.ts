/**
 * The ESCU corpus in ../shared/escu, read in place: one detection of it by file name, for the
 * per-detection semantics tests under test/corpus/<set>/<stem>.test.ts.
 */
import { loadDetection } from '../../src/detections/load.js';
import type { Detection } from '../../src/detections/model.js';
import { shared } from './shared.js';

export type CorpusSet = 'cloudtrail' | 'asl';

/** Path of a corpus detection file. */
export const corpusFile = (set: CorpusSet, file: string): string => shared('escu', set, file);

/** A corpus detection, loaded exactly as `hunt run` loads it. */
export function corpusDetection(set: CorpusSet, file: string): Detection {
  return loadDetection(corpusFile(set, file));
}
