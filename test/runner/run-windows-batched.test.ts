/**
 * runWindows batched (many hourly windows in one query grouped by window) against the loop
 * of runWindow over the same windows, for every corpus detection that compiles and the
 * shipped ones, on one lake of about two days (test/runner/corpus-lake.ts): the same records per
 * window (results in order, risk events, status), and most detections batch.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { loadDetection } from '../../src/detections/load.js';
import type { Detection } from '../../src/detections/model.js';
import { prepare, type Prepared } from '../../src/translate/prepare.js';
import { runWindow } from '../../src/runner/run-window.js';
import { runWindows } from '../../src/runner/run-windows.js';
import type { RunRecord } from '../../src/store/model.js';
import { TranslateError } from '../../src/translate/translate.js';
import { corpusDetection, type CorpusSet } from '../support/corpus.js';
import { macrosWith, makeLake, type TestLake } from '../support/hunt.js';
import { shared } from '../support/shared.js';
import { corpusEvents, FIRST_WINDOW_START, hourlyWindows, WINDOWS } from './corpus-lake.js';

const config = loadConfig(undefined, {});
const macros = macrosWith();

const detections: { file: string; detection: Detection }[] = [
  ...(['cloudtrail', 'asl'] as CorpusSet[]).flatMap((set) =>
    readdirSync(shared('escu', set))
      .filter((f) => f.endsWith('.yml'))
      .sort()
      .map((f) => ({ file: `${set}/${f}`, detection: corpusDetection(set, f) })),
  ),
  ...readdirSync('detections')
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => ({ file: `detections/${f}`, detection: loadDetection(join('detections', f)) })),
];

const prepared: { file: string; p: Prepared }[] = detections.flatMap(({ file, detection }) => {
  try {
    return [{ file, p: prepare(detection, macros, config, 'duckdb') }];
  } catch (err) {
    if (err instanceof TranslateError) return [];
    throw err;
  }
});

const windows = hourlyWindows(FIRST_WINDOW_START, WINDOWS);

/** what must agree: everything but timings, engine stats and the query text */
const essence = (r: RunRecord) => ({
  detectionId: r.detectionId,
  windowEarliest: r.windowEarliest,
  windowLatest: r.windowLatest,
  status: r.status,
  error: r.error,
  results: r.results,
  riskEvents: r.riskEvents,
});

/**
 * The expected side, with room for the last bits of non-integer numbers: an average or a
 * standard deviation over the same rows sums them in another order when the rows of many
 * windows go through one query (DuckDB's window aggregates combine partial sums in row order),
 * e.g. stdev 5.72871554697751 alone and 5.728715546977508 batched. Everything else is exact.
 */
function allowingRounding(x: unknown): unknown {
  if (typeof x === 'number' && !Number.isInteger(x)) return expect.closeTo(x, 9);
  if (Array.isArray(x)) return x.map(allowingRounding);
  if (x && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, allowingRounding(v)]));
  return x;
}

/** How each detection went: batched (queries per run) or window by window, and why. */
const outcome = new Map<string, { batches: number; fallback?: string }>();
const firing = new Map<string, number>();

describe('runWindows batched = window by window, over the corpus', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake(corpusEvents());
  });
  afterAll(() => lake?.close());

  test.each(prepared.map((x) => [x.file, x.p] as const))('%s', async (file, p) => {
    const one: RunRecord[] = [];
    for (const w of windows) one.push(await runWindow(lake.engine, p, w, 'backfill'));
    let fallback: string | undefined;
    // chunks of 24: 24 + 16, so a chunk boundary falls inside the range too
    const many = await runWindows(lake.engine, p, windows, 'backfill', {
      maxBatch: 24,
      onFallback: (reason) => (fallback = reason),
    });
    expect(many.map(essence)).toEqual(allowingRounding(one.map(essence)));
    expect(one.every((r) => r.status === 'succeeded')).toBe(true);
    const batches = new Set(
      many.flatMap((r) => (r.stats.batch ? [(r.stats.batch as { queryIndex: number }).queryIndex] : [])),
    );
    outcome.set(file, { batches: batches.size, ...(fallback ? { fallback } : {}) });
    if (!fallback) expect(batches.size).toBe(2);
    firing.set(file, one.filter((r) => r.results.length > 0).length);
  });

  test('most detections fire in several windows, and some windows are empty (the comparison is not vacuous)', () => {
    const several = [...firing.values()].filter((n) => n >= 2).length;
    expect(firing.size).toBe(prepared.length);
    expect(several).toBeGreaterThanOrEqual(Math.floor(prepared.length * 0.6));
    expect([...firing.values()].every((n) => n < WINDOWS)).toBe(true);
  });

  test('which detections batch, and why the others go window by window', () => {
    const fallbacks = Object.fromEntries([...outcome].flatMap(([file, o]) => (o.fallback ? [[file, o.fallback]] : [])));
    // a regression that makes everything fall back fails here
    expect(fallbacks).toEqual({});
    expect(outcome.size).toBe(prepared.length);
  });
});
