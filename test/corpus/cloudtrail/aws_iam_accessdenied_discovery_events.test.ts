/**
 * AWS IAM AccessDenied Discovery Events (ESCU, CloudTrail): calls by IAM users that failed with
 * errorCode AccessDenied (exactly: not AccessDeniedException, not EC2's
 * Client.UnauthorizedOperation), not made by an AWS service on their behalf
 * (`userAgent!=*.amazonaws.com`), `failures >= 5` per source IP and user.
 *
 * `bucket _time span=1h` only floors _time: the groups are not per hour, so failures hours apart
 * add up, and firstTime/lastTime are the floored hours. Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, ct, iamUser, type Identity } from '../../support/events.js';
import { CLI, failure, iamDenied, risks, S3_CLI } from '../../support/events-ct2.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_iam_accessdenied_discovery_events.yml');

/** An IAM read denied to the caller (IAM is global: us-east-1). */
const iamRead = (time: string, who: Identity, ip: string, name: string, agent: string): Record<string, unknown> =>
  ct({
    time,
    who,
    ip,
    agent,
    name,
    source: 'iam.amazonaws.com',
    request: null,
    extra: { ...iamDenied(String(who.arn), `iam:${name}`, `arn:aws:iam::${ACCOUNT}:user/`), readOnly: true },
  });

describe('AWS IAM AccessDenied Discovery Events', () => {
  const mallory = iamUser('mallory');
  const bob = iamUser('bob');
  const M_IP = '203.0.113.66';
  const events = [
    // mallory, stolen keys, one IP: 5 AccessDenied over two services and two hours: fires
    iamRead('2026-11-18T10:05:00Z', mallory, M_IP, 'ListUsers', CLI('iam.list-users')),
    iamRead('2026-11-18T10:06:00Z', mallory, M_IP, 'ListRoles', CLI('iam.list-roles')),
    iamRead('2026-11-18T10:07:00Z', mallory, M_IP, 'ListPolicies', CLI('iam.list-policies')),
    ct({
      time: '2026-11-18T10:08:00Z',
      who: mallory,
      ip: M_IP,
      agent: S3_CLI('s3.ls'),
      name: 'ListBuckets',
      source: 's3.amazonaws.com',
      request: { Host: 's3.amazonaws.com' },
      extra: { ...failure('AccessDenied', 'Access Denied'), readOnly: true },
    }),
    iamRead(
      '2026-11-18T14:30:00Z',
      mallory,
      M_IP,
      'GetAccountAuthorizationDetails',
      CLI('iam.get-account-authorization-details'),
    ),
    // ... other services name their denial otherwise: not AccessDenied, not counted
    ct({
      time: '2026-11-18T10:09:00Z',
      who: mallory,
      ip: M_IP,
      agent: CLI('ec2.describe-instances'),
      name: 'DescribeInstances',
      source: 'ec2.amazonaws.com',
      request: { instancesSet: {}, filterSet: {} },
      extra: {
        ...failure('Client.UnauthorizedOperation', 'You are not authorized to perform this operation.'),
        readOnly: true,
      },
    }),
    ct({
      time: '2026-11-18T10:10:00Z',
      who: mallory,
      ip: M_IP,
      agent: CLI('kms.list-keys'),
      name: 'ListKeys',
      source: 'kms.amazonaws.com',
      request: null,
      extra: {
        ...failure(
          'AccessDeniedException',
          `User: ${String(mallory.arn)} is not authorized to perform: kms:ListKeys on resource: * because no identity-based policy allows the kms:ListKeys action`,
        ),
        readOnly: true,
      },
    }),
    // mallory from a second IP: 4 denials, a group of its own, just under: no
    ...['ListGroups', 'ListUsers', 'ListRoles', 'ListAccessKeys'].map((n, i) =>
      iamRead(`2026-11-18T11:0${i}:00Z`, mallory, '198.51.100.20', n, CLI('iam')),
    ),
    // bob browsing the IAM console without rights: exactly 5 in an hour: fires (>= 5)
    ...['GetAccountSummary', 'ListUsers', 'ListUsers', 'ListRoles', 'ListPolicies'].map((n, i) =>
      iamRead(`2026-11-18T09:1${i}:00Z`, bob, '198.51.100.5', n, 'AWS Internal'),
    ),
    // carol's calls made for her by CloudFormation (userAgent cloudformation.amazonaws.com): no
    ...['ListRoles', 'ListPolicies', 'ListUsers', 'ListGroups', 'ListRoles'].map((n, i) =>
      iamRead(
        `2026-11-18T12:0${i}:00Z`,
        { ...iamUser('carol'), invokedBy: 'cloudformation.amazonaws.com' },
        'cloudformation.amazonaws.com',
        n,
        'cloudformation.amazonaws.com',
      ),
    ),
    // a role (user_type AssumedRole) denied six times: not an IAM user: no
    ...['ListUsers', 'ListRoles', 'ListPolicies', 'ListGroups', 'ListUsers', 'ListRoles'].map((n, i) =>
      iamRead(`2026-11-18T13:0${i}:00Z`, assumedRole('ci-deployer', 'build-77'), '10.0.3.15', n, CLI('iam')),
    ),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const common = { vendor_account: ACCOUNT, vendor_region: 'us-east-1', vendor_product: 'AWS CloudTrail' };

  test('fires at 5 denials per IP and user, counted across hours; times are the floored hours', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      {
        src: '198.51.100.5',
        user: 'bob',
        ...common,
        failures: 5,
        firstTime: '2026-11-18T09:00:00',
        lastTime: '2026-11-18T09:00:00',
        methods: 4,
        sources: 1,
        signature: ['GetAccountSummary', 'ListPolicies', 'ListRoles', 'ListUsers'],
        dest: ['iam.amazonaws.com'],
      },
      {
        src: M_IP,
        user: 'mallory',
        ...common,
        failures: 5,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T14:00:00',
        methods: 5,
        sources: 2,
        signature: ['GetAccountAuthorizationDetails', 'ListBuckets', 'ListPolicies', 'ListRoles', 'ListUsers'],
        dest: ['iam.amazonaws.com', 's3.amazonaws.com'],
      },
    ]);
  });

  test('just under: mallory has 4 from her second IP', async () => {
    const { rows } = await runSearch(
      lake,
      d.search.replace('| where failures >= 5 and methods >= 1 and sources >= 1', '| search src=198.51.100.20'),
    );
    expect(rows.map((r) => [r.src, r.user, r.failures])).toEqual([['198.51.100.20', 'mallory', 4]]);
  });

  test('risk: the user, with the failure count; the IP as threat object', async () => {
    const rows = await runDetection(lake, d);
    const msg = (u: string) =>
      `User ${u} is seen to perform excessive number of discovery related api calls- 5, within an hour where the access was denied.`;
    expect(risks(d, rows)).toEqual([
      ['bob', 'user', 10, msg('bob'), ['ip_address:198.51.100.5']],
      ['mallory', 'user', 10, msg('mallory'), [`ip_address:${M_IP}`]],
    ]);
  });
});
