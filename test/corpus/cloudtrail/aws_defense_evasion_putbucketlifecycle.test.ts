/**
 * ESCU "AWS Defense Evasion PutBucketLifecycle" on CloudTrail events of our own.
 *
 * Upstream content bug, reproduced for parity: the search extracts
 * `spath path=requestParameters{}.LifecycleConfiguration{}.Rule{}.Expiration{}.Days` and
 * `spath path=requestParameters{}.bucketName`, but CloudTrail's requestParameters is an object,
 * not an array, and spath walks into arrays only at `{}` (../shared/SEMANTICS.md). Both outputs
 * are therefore missing on every event, and `stats ... by ... bucket_name expiration_days` drops
 * every event: the detection never fires. hunt must return nothing too, and say why at compile
 * time. The events below are ones the intended logic would flag (an IAM user's successful
 * lifecycle rule that expires objects after a day), which a corrected copy of the search does
 * flag.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { AGENT, accessDenied, putBucketLifecycle } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_defense_evasion_putbucketlifecycle.yml');

const EVIL = '203.0.113.50';
const mallory = iamUser('mallory');

const events = [
  // what the detection is after: an IAM user makes objects expire after one day
  putBucketLifecycle({
    time: '2026-11-18T10:00:00Z',
    who: mallory,
    ip: EVIL,
    bucket: 'finance-records',
    rules: [{ id: 'wipe', days: 1 }],
  }),
  putBucketLifecycle({
    time: '2026-11-18T10:05:00Z',
    who: mallory,
    ip: EVIL,
    bucket: 'finance-records',
    rules: [{ id: 'wipe', days: 1 }],
  }),
  putBucketLifecycle({
    time: '2026-11-18T10:10:00Z',
    who: mallory,
    ip: EVIL,
    bucket: 'hr-exports',
    rules: [{ id: 'wipe', days: 3 }],
  }),
  // near misses even for the intended logic: a role (user_type AssumedRole); a denied call
  putBucketLifecycle({
    time: '2026-11-18T10:20:00Z',
    who: assumedRole('ops-admin', 'grace'),
    bucket: 'tmp-uploads',
    rules: [{ id: 'tmp', days: 7 }],
  }),
  putBucketLifecycle({
    time: '2026-11-18T10:21:00Z',
    who: iamUser('bob'),
    ip: EVIL,
    bucket: 'finance-records',
    rules: [{ id: 'wipe', days: 1 }],
    error: accessDenied(iamUser('bob'), 's3:PutLifecycleConfiguration', 'arn:aws:s3:::finance-records', 'AccessDenied'),
  }),
];

describe('AWS Defense Evasion PutBucketLifecycle (upstream never fires)', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('returns nothing, as Splunk does, on events the intended logic flags', async () => {
    expect(await runDetection(lake, detection)).toEqual([]);
  });

  test('the translation warns, naming the spath paths and the BY fields no event has', async () => {
    const { translation } = await runSearch(lake, detection.search);
    expect(translation.warnings.map((w) => w.message)).toEqual([
      'spath path=requestParameters{}.LifecycleConfiguration{}.Rule{}.Expiration{}.Days: the aws:cloudtrail events have no such path',
      'spath path=requestParameters{}.bucketName: the aws:cloudtrail events have no such path',
      'stats BY bucket_name: no source field or earlier command defines bucket_name, so every event is dropped and the search returns nothing',
      'stats BY expiration_days: no source field or earlier command defines expiration_days, so every event is dropped and the search returns nothing',
    ]);
  });

  test('the events are real positives: with object paths the search flags the IAM user', async () => {
    // a corrected copy of the search (the paths without `{}`), to show the test's events are the
    // ones the detection means to catch
    const fixed = detection.search
      .replace(
        'requestParameters{}.LifecycleConfiguration{}.Rule{}.Expiration{}.Days',
        'requestParameters.LifecycleConfiguration.Rule.Expiration.Days',
      )
      .replace('requestParameters{}.bucketName', 'requestParameters.bucketName');
    expect(fixed).not.toEqual(detection.search);
    const { rows, translation } = await runSearch(lake, fixed);
    expect(translation.warnings).toEqual([]);
    const common = {
      signature: 'PutBucketLifecycle',
      dest: 's3.amazonaws.com',
      user: 'mallory',
      user_agent: AGENT.s3console,
      src: EVIL,
      vendor_account: ACCOUNT,
      vendor_region: 'us-east-1',
      vendor_product: 'AWS CloudTrail',
    };
    expect(rows).toEqual([
      {
        ...common,
        bucket_name: 'finance-records',
        expiration_days: '1',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:05:00',
      },
      {
        ...common,
        bucket_name: 'hr-exports',
        expiration_days: '3',
        count: 1,
        firstTime: '2026-11-18T10:10:00',
        lastTime: '2026-11-18T10:10:00',
      },
    ]);
  });
});
