/**
 * AWS IAM Successful Group Deletion (ESCU, CloudTrail): IAM DeleteGroup with `errorCode=success`
 * (the add-on's errorCode: the raw errorCode, or `success` when the call did not fail), not made
 * by an AWS service (`userAgent!=*.amazonaws.com`). No rba section: no risk events.
 * Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { CLI, deleteGroup, failure, iamCall, iamDenied, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_iam_successful_group_deletion.yml');
const TERRAFORM =
  'APN/1.0 HashiCorp/1.0 Terraform/1.6.4 (+https://www.terraform.io) terraform-provider-aws/5.26.0 aws-sdk-go-v2/1.23.0 os/linux lang/go#1.21.4 api/iam#1.27.2';

describe('AWS IAM Successful Group Deletion', () => {
  const bob = iamUser('bob');
  const events = [
    // bob deletes two groups from his CLI: one row, count 2
    deleteGroup('interns', { time: '2026-11-18T10:00:00Z', who: bob, ip: '198.51.100.5' }),
    deleteGroup('contractors-2025', { time: '2026-11-18T10:02:30Z', who: bob, ip: '198.51.100.5' }),
    // Terraform under a role: user_name is the role (the session issuer)
    deleteGroup('legacy-readers', {
      time: '2026-11-18T11:00:00Z',
      who: assumedRole('terraform-apply', 'tf-run-123'),
      ip: '10.0.5.20',
      agent: TERRAFORM,
    }),
    // failures are not errorCode=success: no
    deleteGroup('admins', {
      time: '2026-11-18T10:05:00Z',
      who: iamUser('mallory'),
      error: iamDenied(
        `arn:aws:iam::${ACCOUNT}:user/mallory`,
        'iam:DeleteGroup',
        `arn:aws:iam::${ACCOUNT}:group/admins`,
      ),
    }),
    deleteGroup('devs', {
      time: '2026-11-18T10:06:00Z',
      who: bob,
      ip: '198.51.100.5',
      error: failure('DeleteConflictException', 'Cannot delete entity, must remove users from group first.'),
    }),
    // CloudFormation deleting a stack's group: userAgent cloudformation.amazonaws.com: no
    deleteGroup('stack-group-1A2B3C', {
      time: '2026-11-18T10:10:00Z',
      who: { ...bob, invokedBy: 'cloudformation.amazonaws.com' },
      ip: 'cloudformation.amazonaws.com',
      agent: 'cloudformation.amazonaws.com',
    }),
    // another event name: no
    iamCall('RemoveUserFromGroup', { groupName: 'devs', userName: 'carol' }, null, {
      time: '2026-11-18T10:04:00Z',
      who: bob,
      ip: '198.51.100.5',
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const common = {
    signature: 'DeleteGroup',
    dest: 'iam.amazonaws.com',
    vendor_account: ACCOUNT,
    vendor_region: 'us-east-1',
    vendor_product: 'AWS CloudTrail',
  };

  test('fires for successful deletions by people and tools, not for failures or AWS services', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      {
        signature: 'DeleteGroup',
        dest: 'iam.amazonaws.com',
        user: 'bob',
        user_agent: CLI('iam.delete-group'),
        src: '198.51.100.5',
        vendor_account: ACCOUNT,
        vendor_region: 'us-east-1',
        vendor_product: 'AWS CloudTrail',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:02:30',
      },
      {
        ...common,
        user: 'terraform-apply',
        user_agent: TERRAFORM,
        src: '10.0.5.20',
        count: 1,
        firstTime: '2026-11-18T11:00:00',
        lastTime: '2026-11-18T11:00:00',
      },
    ]);
    // BY order first, then the aggregates
    expect(Object.keys(rows[1] ?? {})).toEqual([
      'signature',
      'dest',
      'user',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'count',
      'firstTime',
      'lastTime',
    ]);
  });

  test('no rba: no risk events', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toHaveLength(2);
    expect(risks(d, rows)).toEqual([]);
  });
});
