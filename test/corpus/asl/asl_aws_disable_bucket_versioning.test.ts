/**
 * ASL AWS Disable Bucket Versioning (Anomaly, risk: user 64, threat: src):
 *   api.operation=PutBucketVersioning
 *   | spath input=api.request.data path=VersioningConfiguration.Status output=Status
 *   | spath input=api.request.data path=bucketName output=bucketName | search Status=Suspended
 *   | fillnull | stats count min(_time) max(_time) by actor.user.uid api.operation api.service.name
 *     http_request.user_agent src_endpoint.ip actor.user.account.uid cloud.provider cloud.region
 *     api.request.data bucketName
 *   | rename ... | ctime
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { assumedRole } from '../../support/events.js';
import { asl, calls, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_disable_bucket_versioning.yml');
const role = assumedRole('DataEngineer', 'mallory');
const at = { who: role, ip: '203.0.113.50' };

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // suspending versioning (the step before deleting objects for good), twice on one bucket
        asl({ ...at, time: '2026-11-21T22:00:00Z', call: calls.putBucketVersioning('customer-data', 'Suspended') }),
        asl({ ...at, time: '2026-11-21T22:30:00Z', call: calls.putBucketVersioning('customer-data', 'Suspended') }),
        // near misses: turning versioning on, a lifecycle change
        asl({ ...at, time: '2026-11-21T22:10:00Z', call: calls.putBucketVersioning('logs', 'Enabled') }),
        asl({
          ...at,
          time: '2026-11-21T22:20:00Z',
          call: calls.putBucketLifecycle('customer-data', { ID: 'x', Status: 'Enabled', Expiration: { Days: 1 } }),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('suspensions, grouped by bucket and request text', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        ...standardRow({
          user: role.arn as string,
          action: 'PutBucketVersioning',
          dest: 's3.amazonaws.com',
          src: '203.0.113.50',
          count: 2,
          first: '2026-11-21T22:00:00',
          last: '2026-11-21T22:30:00',
        }),
        'api.request.data':
          '{"bucketName":"customer-data","Host":"customer-data.s3.us-east-1.amazonaws.com","versioning":"","VersioningConfiguration":{"Status":"Suspended","xmlns":"http://s3.amazonaws.com/doc/2006-03-01/"}}',
        bucketName: 'customer-data',
      },
    ]);
    expect(riskOf(detection, rows)).toEqual([
      {
        object: role.arn,
        type: 'user',
        score: 64,
        message: `Bucket Versioning is suspended for S3 buckets- customer-data by user ${role.arn as string} from IP address 203.0.113.50`,
        threats: ['ip_address:203.0.113.50'],
      },
    ]);
  });

  test('nothing when versioning is enabled', async () => {
    const quiet = await makeLake({
      ocsf: [asl({ ...at, time: '2026-11-21T22:10:00Z', call: calls.putBucketVersioning('logs', 'Enabled') })],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
