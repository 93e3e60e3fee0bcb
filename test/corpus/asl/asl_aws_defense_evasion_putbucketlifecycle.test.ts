/**
 * ASL AWS Defense Evasion PutBucketLifecycle (Hunting, no risk objects):
 *   api.operation=PutBucketLifecycle
 *   | spath input=api.request.data path=LifecycleConfiguration.Rule.NoncurrentVersionExpiration.NoncurrentDays output=NoncurrentDays
 *   | where NoncurrentDays < 3 | spath input=api.request.data | fillnull
 *   | stats count min(_time) max(_time) by actor.user.uid api.operation api.service.name
 *     http_request.user_agent src_endpoint.ip actor.user.account.uid cloud.provider cloud.region
 *     NoncurrentDays bucketName
 *   | rename ... | ctime
 * S3 logs the lifecycle XML as an object: one <Rule> is an object, several are an array.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, type Obj, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_defense_evasion_putbucketlifecycle.yml');
const mallory = iamUser('mallory');
const at = { who: mallory, ip: '203.0.113.50' };
const rule = (id: string, noncurrentDays?: number): Obj => ({
  ID: id,
  Status: 'Enabled',
  Filter: { Prefix: '' },
  Expiration: { Days: 1 },
  ...(noncurrentDays !== undefined ? { NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays } } : {}),
});

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // noncurrent versions expire after 1 and 2 days: under the threshold
        asl({ ...at, time: '2026-11-20T10:00:00Z', call: calls.putBucketLifecycle('customer-data', rule('wipe', 1)) }),
        asl({ ...at, time: '2026-11-20T10:01:00Z', call: calls.putBucketLifecycle('backups', rule('wipe', 2)) }),
        // at the threshold: 3 < 3 is false
        asl({ ...at, time: '2026-11-20T10:02:00Z', call: calls.putBucketLifecycle('logs', rule('tidy', 3)) }),
        // "10" reads as a number and 10 < 3 is false (as text "10" < "3" would be true)
        asl({ ...at, time: '2026-11-20T10:03:00Z', call: calls.putBucketLifecycle('archive', rule('tidy', 10)) }),
        // no NoncurrentVersionExpiration: NoncurrentDays is null, where drops the event
        asl({ ...at, time: '2026-11-20T10:04:00Z', call: calls.putBucketLifecycle('tmp', rule('expire-only')) }),
        // two rules make Rule an array; the path has no {} so spath does not walk into it
        asl({
          ...at,
          time: '2026-11-20T10:05:00Z',
          call: calls.putBucketLifecycle('media', [rule('a', 1), rule('b', 1)]),
        }),
        // near miss: another S3 call
        asl({ ...at, time: '2026-11-20T10:06:00Z', call: calls.putBucketVersioning('customer-data', 'Suspended') }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('lifecycle rules that expire old versions in under 3 days', async () => {
    const row = (bucketName: string, NoncurrentDays: string, time: string) => ({
      ...standardRow({
        user: mallory.arn as string,
        action: 'PutBucketLifecycle',
        dest: 's3.amazonaws.com',
        src: '203.0.113.50',
        count: 1,
        first: time,
      }),
      NoncurrentDays,
      bucketName,
    });
    // NoncurrentDays comes before bucketName in the BY list: "1" < "2"
    expect(await runDetection(lake, detection)).toEqual([
      row('customer-data', '1', '2026-11-20T10:00:00'),
      row('backups', '2', '2026-11-20T10:01:00'),
    ]);
  });

  test('nothing at or over the threshold, nor for a rule list (an array spath does not walk without {})', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ ...at, time: '2026-11-20T10:02:00Z', call: calls.putBucketLifecycle('logs', rule('tidy', 3)) }),
        asl({ ...at, time: '2026-11-20T10:03:00Z', call: calls.putBucketLifecycle('archive', rule('tidy', 10)) }),
        asl({
          ...at,
          time: '2026-11-20T10:05:00Z',
          call: calls.putBucketLifecycle('media', [rule('a', 1), rule('b', 1)]),
        }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
