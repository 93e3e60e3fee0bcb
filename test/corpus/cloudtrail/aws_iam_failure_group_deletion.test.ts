/**
 * AWS IAM Failure Group Deletion (ESCU, CloudTrail): IAM DeleteGroup calls that failed with
 * NoSuchEntityException, DeleteConflictException or AccessDenied, not made by an AWS service
 * (`userAgent!=*.amazonaws.com`), grouped by caller, agent and source. Expected rows by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, iamUser } from '../../support/events.js';
import { CLI, deleteGroup, failure, iamCall, iamDenied, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_iam_failure_group_deletion.yml');
const groupArn = (g: string): string => `arn:aws:iam::${ACCOUNT}:group/${g}`;

describe('AWS IAM Failure Group Deletion', () => {
  const mallory = iamUser('mallory');
  const denied = iamDenied(String(mallory.arn), 'iam:DeleteGroup', groupArn('admins'));
  const conflict = failure('DeleteConflictException', 'Cannot delete entity, must remove users from group first.');
  const events = [
    // mallory's CLI: denied, then a group that still has members: one group of two
    deleteGroup('admins', { time: '2026-11-18T10:00:00Z', who: mallory, error: denied }),
    deleteGroup('devs', { time: '2026-11-18T10:05:00Z', who: mallory, error: conflict }),
    // ... and a group that does not exist, from the console (another user_agent: another row)
    deleteGroup('ghost', {
      time: '2026-11-18T10:07:00Z',
      who: mallory,
      agent: 'AWS Internal',
      error: failure('NoSuchEntityException', 'The group with name ghost cannot be found.'),
    }),
    // a failure the list does not name: no
    deleteGroup('ops', {
      time: '2026-11-18T10:08:00Z',
      who: mallory,
      error: failure('ServiceFailureException', 'Request processing has failed due to an unknown error.'),
    }),
    // a successful deletion: errorCode is `success`: no
    deleteGroup('interns', { time: '2026-11-18T10:09:00Z', who: iamUser('bob') }),
    // CloudFormation deleting a stack's group, for its user: userAgent cloudformation.amazonaws.com: no
    deleteGroup('stack-group-1A2B3C', {
      time: '2026-11-18T10:10:00Z',
      who: { ...iamUser('bob'), invokedBy: 'cloudformation.amazonaws.com' },
      ip: 'cloudformation.amazonaws.com',
      agent: 'cloudformation.amazonaws.com',
      error: conflict,
    }),
    // another event name, denied: no
    iamCall('DeleteGroupPolicy', { groupName: 'admins', policyName: 'inline-admin' }, null, {
      time: '2026-11-18T10:11:00Z',
      who: mallory,
      error: iamDenied(String(mallory.arn), 'iam:DeleteGroupPolicy', groupArn('admins')),
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const row = (agent: string, count: number, first: string, last: string) => ({
    signature: 'DeleteGroup',
    dest: 'iam.amazonaws.com',
    user: 'mallory',
    user_agent: agent,
    src: '203.0.113.66',
    vendor_account: ACCOUNT,
    vendor_region: 'us-east-1',
    vendor_product: 'AWS CloudTrail',
    count,
    firstTime: first,
    lastTime: last,
  });

  test('fires for the three listed failures, not for others, successes or AWS services', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      // 'A' sorts before 'a'
      row('AWS Internal', 1, '2026-11-18T10:07:00', '2026-11-18T10:07:00'),
      row(CLI('iam.delete-group'), 2, '2026-11-18T10:00:00', '2026-11-18T10:05:00'),
    ]);
  });

  test('risk: the user and the source the message names', async () => {
    const rows = await runDetection(lake, d);
    const msg = 'User mallory has had mulitple failures while attempting to delete groups from 203.0.113.66';
    expect(risks(d, rows)).toEqual([
      ['mallory', 'user', 5, msg, ['ip_address:203.0.113.66']],
      ['mallory', 'user', 5, msg, ['ip_address:203.0.113.66']],
    ]);
  });
});
