/**
 * AWS Exfiltration via Batch Service (ESCU, CloudTrail): S3 Batch Operations `JobCreated`
 * events, `| fillnull | rename user_name as user | stats ... by ... user ...`.
 *
 * Upstream content bug: JobCreated is a service event (eventType AwsServiceEvent) whose
 * userIdentity holds only the account and `invokedBy: s3.amazonaws.com`: no user name, no ARN,
 * no session issuer. The add-on's user_name is therefore missing on every JobCreated event, and
 * `fillnull` fills only fields some result has, so it stays missing; `stats ... by user` drops
 * every event. The detection cannot fire on real JobCreated events, and parity means hunt
 * returns nothing either. (The who is in the CreateJob API call, which the search never reads.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, ct, iamUser } from '../../support/events.js';
import { batchJobEvent, CLI, risks } from '../../support/events-ct2.js';
import { makeLake, runSearch, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_exfiltration_via_batch_service.yml');
const JOB = 'd6e58ec4-897a-4b6d-975f-10d7f0fb63ce';

describe('AWS Exfiltration via Batch Service', () => {
  const events = [
    // the attacker's API call: a replication job to copy a bucket out (not JobCreated: not read)
    ct({
      time: '2026-11-18T14:00:00Z',
      who: iamUser('mallory'),
      name: 'CreateJob',
      source: 's3.amazonaws.com',
      region: 'us-west-2',
      ip: '203.0.113.66',
      agent: CLI('s3control.create-job'),
      request: {
        'x-amz-account-id': ACCOUNT,
        ConfirmationRequired: false,
        Operation: { S3ReplicateObject: {} },
        Priority: 10,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/batch-replication`,
        Report: { Enabled: false },
        ClientRequestToken: '5b1e3c2a-0000-4000-8000-00000000abcd',
      },
      response: { JobId: JOB },
    }),
    // what S3 then logs: the job created, then its status changes
    batchJobEvent('2026-11-18T14:00:05Z', 'JobCreated', JOB, 'New'),
    batchJobEvent('2026-11-18T14:00:30Z', 'JobStatusChanged', JOB, 'Active'),
    batchJobEvent('2026-11-18T14:12:00Z', 'JobStatusChanged', JOB, 'Complete'),
    // a second job, created in another region
    batchJobEvent('2026-11-18T15:00:00Z', 'JobCreated', '0f3a2b1c-1111-4222-8333-444455556666', 'New', 'us-east-1'),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('returns nothing: no JobCreated event has a user, and stats BY user drops them', async () => {
    const { rows, translation } = await runSearch(lake, d.search);
    expect(rows).toEqual([]);
    // the field is defined (the add-on's user_name); only the data lacks it, so no compile-time warning
    expect(translation.warnings).toEqual([]);
  });

  test('the intended logic would flag both jobs: the same search without user in BY', async () => {
    const { rows } = await runSearch(
      lake,
      d.search.replace(' by signature dest user user_agent ', ' by signature dest user_agent '),
    );
    const row = (region: string, time: string) => ({
      signature: 'JobCreated',
      dest: 's3.amazonaws.com',
      user_agent: 's3.amazonaws.com',
      src: 's3.amazonaws.com',
      // userIdentity.accountId
      vendor_account: ACCOUNT,
      vendor_region: region,
      vendor_product: 'AWS CloudTrail',
      count: 1,
      firstTime: time,
      lastTime: time,
    });
    expect(rows).toEqual([row('us-east-1', '2026-11-18T15:00:00'), row('us-west-2', '2026-11-18T14:00:05')]);
    // the message's fields are there, but the risk object (user) is not: no risk event either
    expect(rows.every((r) => r.vendor_account !== undefined && r.src !== undefined)).toBe(true);
    expect(risks(d, rows)).toEqual([]);
  });

  test('fillnull does not invent the user: user_name is in no result, so it stays missing', async () => {
    const { rows } = await runSearch(
      lake,
      '`cloudtrail` eventName = JobCreated | fillnull | stats count(user_name) as named count by signature',
    );
    expect(rows).toEqual([{ signature: 'JobCreated', named: 0, count: 2 }]);
  });
});
