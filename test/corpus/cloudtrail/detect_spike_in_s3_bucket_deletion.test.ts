/**
 * ESCU "Detect Spike in S3 Bucket Deletion": its filtering subsearch reads a baseline with
 * `inputlookup s3_deletion_baseline append=t` (a kvstore lookup: no file, empty at first),
 * updates it and writes it back with `outputlookup`, then keeps the ARNs whose deletions this
 * window spike above it. hunt runs it in steps: the part up to outputlookup is a query of its
 * own whose rows are stored in Postgres; the rest is planned with those rows. Here, on DuckDB
 * and embedded Postgres, a seeded baseline builds up over hourly runs and a spike then fires.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Detection } from '../../../src/detections/model.js';
import { runWindow } from '../../../src/runner/run-window.js';
import { postgresLookups } from '../../../src/store/lookups.js';
import { ATHENA_DEFAULT } from '../../../src/sources/bindings.js';
import { prepare, type PrepareSettings } from '../../../src/translate/prepare.js';
import { translateDetection, TranslateError } from '../../../src/translate/translate.js';
import { corpusDetection } from '../../support/corpus.js';
import { ct, iamUser } from '../../support/events.js';
import { macrosWith, makeLake, type TestLake } from '../../support/hunt.js';
import { shared } from '../../support/shared.js';
import { storePerFile } from '../../support/store.js';

const detection = corpusDetection('cloudtrail', 'detect_spike_in_s3_bucket_deletion.yml');
const settings: PrepareSettings = {
  macros: [],
  timezone: 'UTC',
  athenaStorage: ATHENA_DEFAULT,
  detectionsDir: shared('escu', 'cloudtrail'),
  lookupsDir: shared('escu-more', 'lookups'),
};

/**
 * The "Baseline of S3 Bucket deletion activity by ARN" support search ESCU asks to run once:
 * without it the detection's `numDataPoints+1` of a missing value stays missing, and a new ARN
 * never gets a baseline (Splunk parity). Written here as ESCU's baselines are.
 */
const SEED: Detection = {
  ...detection,
  id: 'seed-s3-deletion-baseline',
  name: 'Baseline of S3 Bucket deletion activity by ARN',
  search:
    '`cloudtrail` eventName=DeleteBucket | spath output=arn path=userIdentity.arn | stats count as latestCount by arn | eval numDataPoints=1, avgApiCalls=latestCount, stdevApiCalls=0 | table arn latestCount numDataPoints avgApiCalls stdevApiCalls | outputlookup s3_deletion_baseline',
};

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const hour = (h: number): DateTime => DateTime.fromISO('2026-11-01T00:00:00Z', { zone: 'utc' }).plus({ hours: h });
const deletes = (h: number, n: number, who = 'alice') =>
  Array.from({ length: n }, (_, i) =>
    ct({
      time: hour(h)
        .plus({ minutes: 5 + i })
        .toISO() as string,
      who: iamUser(who),
      name: 'DeleteBucket',
      source: 's3.amazonaws.com',
      request: { bucketName: `b-${h}-${i}` },
    }),
  );
// hour 0 seeds the baseline; hours 1..15 one deletion each; hour 16 five; bob deletes in hour 16 only
const events = [
  ...deletes(0, 1),
  ...Array.from({ length: 15 }, (_, i) => deletes(i + 1, 1)).flat(),
  ...deletes(16, 5),
  ...deletes(16, 1, 'bob'),
];

const store = storePerFile();
let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: events });
});
afterAll(() => lake?.close());

const windowOf = (h: number) => ({ earliest: hour(h), latest: hour(h + 1) });

describe('Detect Spike in S3 Bucket Deletion', () => {
  test('a baseline seeded once builds up over hourly runs, and five deletions after sixteen hours of one spike', async () => {
    const lookups = postgresLookups(store.db.pool);
    const macros = macrosWith();
    const seed = prepare(SEED, macros, settings, 'duckdb');
    const run = prepare(detection, macros, settings, 'duckdb');
    expect(run.steps?.map((s) => [s.lookup, s.append])).toEqual([['s3_deletion_baseline', false]]);
    expect(run.batched).toBeUndefined();

    const seeded = await runWindow(lake.engine, seed, windowOf(0), 'adhoc', undefined, 0, lookups);
    expect(seeded.status, seeded.error).toBe('succeeded');
    // the step's rows pass through outputlookup to the results, as the text the lookup holds
    expect(seeded.results).toEqual([
      { arn: ALICE, latestCount: '1', numDataPoints: '1', avgApiCalls: '1', stdevApiCalls: '0' },
    ]);
    expect(await lookups.read()).toEqual([
      {
        name: 's3_deletion_baseline',
        fields: ['arn', 'latestCount', 'numDataPoints', 'avgApiCalls', 'stdevApiCalls'],
        rows: [[ALICE, '1', '1', '1', '0']],
      },
    ]);

    const found: Record<string, unknown>[][] = [];
    for (let h = 1; h <= 16; h++) {
      const r = await runWindow(lake.engine, run, windowOf(h), 'adhoc', undefined, 0, lookups);
      expect(r.status, r.error).toBe('succeeded');
      found.push(r.results);
    }
    // no spike while one deletion an hour is the norm
    expect(found.slice(0, 15).every((rows) => rows.length === 0)).toBe(true);
    // hour 16: 17 data points (> 15) and 5 deletions against an average of 1: alice spikes;
    // bob is new, has no baseline (numDataPoints stays missing), and never spikes
    expect(found[15]).toEqual([
      {
        user: ALICE,
        bucketName: ['b-16-0', 'b-16-1', 'b-16-2', 'b-16-3', 'b-16-4'],
        numberOfApiCalls: 5,
        uniqueApisCalled: 1,
      },
    ]);
    const [baseline] = await lookups.read();
    const rows = new Map(baseline?.rows.map((r) => [r[0], r]));
    expect(rows.get(ALICE)?.slice(1, 3)).toEqual([['5'], ['17']]);
    // bob joined the baseline, with no data points
    expect(rows.get('arn:aws:iam::111122223333:user/bob')?.slice(1, 3)).toEqual([['1'], null]);
  });

  test('for Athena, every step and the final query parse as Trino SQL', () => {
    const trino = new TrinoSQL();
    const p = prepare(detection, macrosWith(), settings, 'athena');
    for (const t of [...(p.steps ?? []).map((s) => s.translation), p.translation]) {
      expect(trino.validate(t.sql), t.sql).toEqual([]);
    }
  });

  test('without lookups configured it is refused, naming the lookup and where it is', () => {
    let error: unknown;
    try {
      translateDetection(detection, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TranslateError);
    const message = (error as TranslateError).message;
    expect(message).toMatch(
      /^unknown lookup `s3_deletion_baseline`: no lookups are configured .* \(at line 1, column \d+ of the search\)$/,
    );
    const column = Number(/column (\d+)/.exec(message)?.[1]);
    expect(detection.search.slice(column - 1).startsWith('s3_deletion_baseline')).toBe(true);
  });
});
