/**
 * AWS SetDefaultPolicyVersion (ESCU, CloudTrail): IAM SetDefaultPolicyVersion calls (a known
 * privilege escalation: make an older, broader version of a policy the default). Only that
 * event: `CreatePolicyVersion --set-as-default`, which does the same in one call, is not read;
 * AWS IoT's own SetDefaultPolicyVersion is excluded by eventSource. No errorCode filter.
 * Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, ct, iamUser } from '../../support/events.js';
import { CLI, iamCall, iamDenied, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_setdefaultpolicyversion.yml');
const policy = (name: string): string => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const ADMIN_DOC = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});
const TERRAFORM =
  'APN/1.0 HashiCorp/1.0 Terraform/1.6.4 (+https://www.terraform.io) terraform-provider-aws/5.26.0 aws-sdk-go-v2/1.23.0 os/linux lang/go#1.21.4 api/iam#1.27.2';

describe('AWS SetDefaultPolicyVersion', () => {
  const mallory = iamUser('mallory');
  const events = [
    // mallory switches her policy back to its v1 (which allowed everything): fires
    iamCall('SetDefaultPolicyVersion', { policyArn: policy('mallory-dev'), versionId: 'v1' }, null, {
      time: '2026-11-18T19:00:00Z',
      who: mallory,
    }),
    // ... and tries another policy, denied: still SetDefaultPolicyVersion: same row, count 2
    iamCall('SetDefaultPolicyVersion', { policyArn: policy('platform-admins'), versionId: 'v3' }, null, {
      time: '2026-11-18T19:05:00Z',
      who: mallory,
      error: iamDenied(String(mallory.arn), 'iam:SetDefaultPolicyVersion', policy('platform-admins')),
    }),
    // CreatePolicyVersion with setAsDefault does the same in one call, but is another event: no
    iamCall(
      'CreatePolicyVersion',
      { policyArn: policy('mallory-dev'), policyDocument: ADMIN_DOC, setAsDefault: true },
      { policyVersion: { versionId: 'v4', isDefaultVersion: true, createDate: 'Nov 18, 2026 7:10:00 PM' } },
      { time: '2026-11-18T19:10:00Z', who: mallory },
    ),
    // Terraform rolling a policy version under a role: fires, user is the role
    iamCall('SetDefaultPolicyVersion', { policyArn: policy('app-readonly'), versionId: 'v5' }, null, {
      time: '2026-11-18T03:30:00Z',
      who: assumedRole('terraform-apply', 'tf-run-9'),
      ip: '10.0.5.20',
      agent: TERRAFORM,
    }),
    // AWS IoT has an API of the same name: eventSource iot.amazonaws.com: no
    ct({
      time: '2026-11-18T19:20:00Z',
      who: mallory,
      name: 'SetDefaultPolicyVersion',
      source: 'iot.amazonaws.com',
      agent: CLI('iot.set-default-policy-version'),
      request: { policyName: 'device-policy', policyVersionId: '2' },
      response: null,
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const row = (user: string, agent: string, src: string, count: number, first: string, last: string) => ({
    signature: 'SetDefaultPolicyVersion',
    dest: 'iam.amazonaws.com',
    user,
    user_agent: agent,
    src,
    vendor_account: ACCOUNT,
    vendor_region: 'us-east-1',
    vendor_product: 'AWS CloudTrail',
    count,
    firstTime: first,
    lastTime: last,
  });

  test('fires for IAM SetDefaultPolicyVersion only, denied or not', async () => {
    expect(await runDetection(lake, d)).toEqual([
      row(
        'mallory',
        CLI('iam.set-default-policy-version'),
        '203.0.113.66',
        2,
        '2026-11-18T19:00:00',
        '2026-11-18T19:05:00',
      ),
      row('terraform-apply', TERRAFORM, '10.0.5.20', 1, '2026-11-18T03:30:00', '2026-11-18T03:30:00'),
    ]);
  });

  test('risk: the user, source and action the message names', async () => {
    const rows = await runDetection(lake, d);
    const msg = (ip: string, u: string) =>
      `From IP address ${ip}, user ${u} has trigged an action SetDefaultPolicyVersion for updating the the default policy version`;
    expect(risks(d, rows)).toEqual([
      ['mallory', 'user', 30, msg('203.0.113.66', 'mallory'), ['ip_address:203.0.113.66']],
      ['terraform-apply', 'user', 30, msg('10.0.5.20', 'terraform-apply'), ['ip_address:10.0.5.20']],
    ]);
  });
});
