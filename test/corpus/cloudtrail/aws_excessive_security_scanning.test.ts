/**
 * AWS Excessive Security Scanning (ESCU, CloudTrail): more than 50 distinct Describe*, List* or
 * Get* API names by one user (`dc(signature) > 50`), over the whole search window.
 * Expected rows worked out by hand from Splunk semantics (../shared/SEMANTICS.md).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, ct, iamUser, type Identity } from '../../support/events.js';
import { iamDenied, plus, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_excessive_security_scanning.yml');

// 53 read-only calls a cloud security scanner (CloudSploit, Prowler) makes, with their services
const READS: [string, string][] = [
  ['DescribeAddresses', 'ec2'],
  ['DescribeFlowLogs', 'ec2'],
  ['DescribeImages', 'ec2'],
  ['DescribeInstances', 'ec2'],
  ['DescribeKeyPairs', 'ec2'],
  ['DescribeNetworkAcls', 'ec2'],
  ['DescribeRegions', 'ec2'],
  ['DescribeRouteTables', 'ec2'],
  ['DescribeSecurityGroups', 'ec2'],
  ['DescribeSnapshots', 'ec2'],
  ['DescribeSubnets', 'ec2'],
  ['DescribeVolumes', 'ec2'],
  ['DescribeVpcs', 'ec2'],
  ['DescribeVpcEndpoints', 'ec2'],
  ['DescribeVpnConnections', 'ec2'],
  ['GetAccountPasswordPolicy', 'iam'],
  ['GetAccountSummary', 'iam'],
  ['GetCredentialReport', 'iam'],
  ['GetAccountAuthorizationDetails', 'iam'],
  ['ListAttachedUserPolicies', 'iam'],
  ['ListGroups', 'iam'],
  ['ListMFADevices', 'iam'],
  ['ListPolicies', 'iam'],
  ['ListRoles', 'iam'],
  ['ListServerCertificates', 'iam'],
  ['ListUsers', 'iam'],
  ['ListVirtualMFADevices', 'iam'],
  ['ListAccessKeys', 'iam'],
  ['ListBuckets', 's3'],
  ['GetBucketAcl', 's3'],
  ['GetBucketPolicy', 's3'],
  ['GetBucketLogging', 's3'],
  ['GetBucketVersioning', 's3'],
  ['GetBucketEncryption', 's3'],
  ['GetBucketPublicAccessBlock', 's3'],
  ['DescribeTrails', 'cloudtrail'],
  ['GetTrailStatus', 'cloudtrail'],
  ['GetEventSelectors', 'cloudtrail'],
  ['ListKeys', 'kms'],
  ['ListAliases', 'kms'],
  ['DescribeKey', 'kms'],
  ['GetKeyRotationStatus', 'kms'],
  ['ListFunctions20150331', 'lambda'],
  ['DescribeDBInstances', 'rds'],
  ['DescribeDBSnapshots', 'rds'],
  ['DescribeDBClusters', 'rds'],
  ['DescribeLogGroups', 'logs'],
  ['DescribeMetricFilters', 'logs'],
  ['DescribeAlarms', 'monitoring'],
  ['DescribeConfigurationRecorders', 'config'],
  ['ListDetectors', 'guardduty'],
  ['ListTopics', 'sns'],
  ['GetCallerIdentity', 'sts'],
];

const SDK = 'aws-sdk-nodejs/2.1499.0 linux/v18.18.2 promise';
const BOTO = 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.2.0 lang/python#3.11.5 Botocore/1.34.0';

/** One call per API name, two seconds apart; S3 logs the agent in brackets, EC2 is scanned in two regions. */
function scan(
  who: Identity,
  ip: string,
  agent: string,
  start: string,
  calls: [string, string][],
): Record<string, unknown>[] {
  return calls.map(([name, service], i) =>
    ct({
      time: plus(start, 2 * i),
      who,
      ip,
      name,
      source: `${service}.amazonaws.com`,
      region: service === 'ec2' && i % 2 === 1 ? 'eu-west-1' : 'us-east-1',
      agent: service === 's3' ? `[${agent}]` : agent,
      request: null,
      extra: {
        readOnly: true,
        // a scanner is denied some calls; the detection counts them all the same
        ...(name === 'GetAccountAuthorizationDetails'
          ? iamDenied(String(who.arn), 'iam:GetAccountAuthorizationDetails', '*')
          : {}),
      },
    }),
  );
}

const without = (...names: string[]): [string, string][] => READS.filter(([n]) => !names.includes(n));

describe('AWS Excessive Security Scanning', () => {
  const events = [
    // mallory: 51 distinct names, just over the threshold: fires
    ...scan(
      iamUser('mallory'),
      '203.0.113.66',
      SDK,
      '2026-11-18T03:00:00Z',
      without('ListTopics', 'GetCallerIdentity'),
    ),
    // bob: exactly 50 distinct names, each twice (100 events): dc, not count, so no
    ...scan(
      iamUser('bob'),
      '198.51.100.20',
      SDK,
      '2026-11-18T09:00:00Z',
      without('ListDetectors', 'ListTopics', 'GetCallerIdentity'),
    ),
    ...scan(
      iamUser('bob'),
      '198.51.100.20',
      SDK,
      '2026-11-18T10:00:00Z',
      without('ListDetectors', 'ListTopics', 'GetCallerIdentity'),
    ),
    // ... and calls that are not Describe*/List*/Get* (BatchGetImage only contains Get) do not count
    ct({
      time: '2026-11-18T10:30:00Z',
      who: iamUser('bob'),
      ip: '198.51.100.20',
      name: 'BatchGetImage',
      request: { repositoryName: 'web', imageIds: [{ imageTag: 'v1' }] },
    }),
    ct({
      time: '2026-11-18T10:31:00Z',
      who: iamUser('bob'),
      ip: '198.51.100.20',
      name: 'CreateBucket',
      source: 's3.amazonaws.com',
      request: { bucketName: 'bob-tmp', Host: 'bob-tmp.s3.amazonaws.com' },
    }),
    ct({
      time: '2026-11-18T10:32:00Z',
      who: iamUser('bob'),
      ip: '198.51.100.20',
      name: 'AssumeRole',
      source: 'sts.amazonaws.com',
      request: { roleArn: `arn:aws:iam::${ACCOUNT}:role/deploy`, roleSessionName: 'bob' },
    }),
    // a Prowler run under an assumed role: all 53; user_name is the role (the session issuer)
    ...scan(assumedRole('SecurityAudit', 'prowler-run'), '192.0.2.44', BOTO, '2026-11-18T05:00:00Z', READS),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  // values() lists distinct values sorted as text, byte-wise
  const MALLORY_SIGNATURES = [
    'DescribeAddresses',
    'DescribeAlarms',
    'DescribeConfigurationRecorders',
    'DescribeDBClusters',
    'DescribeDBInstances',
    'DescribeDBSnapshots',
    'DescribeFlowLogs',
    'DescribeImages',
    'DescribeInstances',
    'DescribeKey',
    'DescribeKeyPairs',
    'DescribeLogGroups',
    'DescribeMetricFilters',
    'DescribeNetworkAcls',
    'DescribeRegions',
    'DescribeRouteTables',
    'DescribeSecurityGroups',
    'DescribeSnapshots',
    'DescribeSubnets',
    'DescribeTrails',
    'DescribeVolumes',
    'DescribeVpcEndpoints',
    'DescribeVpcs',
    'DescribeVpnConnections',
    'GetAccountAuthorizationDetails',
    'GetAccountPasswordPolicy',
    'GetAccountSummary',
    'GetBucketAcl',
    'GetBucketEncryption',
    'GetBucketLogging',
    'GetBucketPolicy',
    'GetBucketPublicAccessBlock',
    'GetBucketVersioning',
    'GetCredentialReport',
    'GetEventSelectors',
    'GetKeyRotationStatus',
    'GetTrailStatus',
    'ListAccessKeys',
    'ListAliases',
    'ListAttachedUserPolicies',
    'ListBuckets',
    'ListDetectors',
    'ListFunctions20150331',
    'ListGroups',
    'ListKeys',
    'ListMFADevices',
    'ListPolicies',
    'ListRoles',
    'ListServerCertificates',
    'ListUsers',
    'ListVirtualMFADevices',
  ];
  // the same and GetCallerIdentity, ListTopics
  const AUDIT_SIGNATURES = [
    ...MALLORY_SIGNATURES.slice(0, MALLORY_SIGNATURES.indexOf('GetCredentialReport')),
    'GetCallerIdentity',
    ...MALLORY_SIGNATURES.slice(
      MALLORY_SIGNATURES.indexOf('GetCredentialReport'),
      MALLORY_SIGNATURES.indexOf('ListUsers'),
    ),
    'ListTopics',
    'ListUsers',
    'ListVirtualMFADevices',
  ];
  const DESTS = [
    'cloudtrail.amazonaws.com',
    'config.amazonaws.com',
    'ec2.amazonaws.com',
    'guardduty.amazonaws.com',
    'iam.amazonaws.com',
    'kms.amazonaws.com',
    'lambda.amazonaws.com',
    'logs.amazonaws.com',
    'monitoring.amazonaws.com',
    'rds.amazonaws.com',
    's3.amazonaws.com',
  ];

  test('fires for 51 and 53 distinct names, not for 50; one row per user with every value', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      {
        user: 'SecurityAudit',
        dc_events: 53,
        // the 53 calls, two seconds apart, from 05:00:00
        firstTime: '2026-11-18T05:00:00',
        lastTime: '2026-11-18T05:01:44',
        signature: AUDIT_SIGNATURES,
        dest: [...DESTS, 'sns.amazonaws.com', 'sts.amazonaws.com'],
        // 'B' sorts before '['
        user_agent: [BOTO, `[${BOTO}]`],
        src: ['192.0.2.44'],
        vendor_account: [ACCOUNT],
        vendor_region: ['eu-west-1', 'us-east-1'],
      },
      {
        user: 'mallory',
        dc_events: 51,
        firstTime: '2026-11-18T03:00:00',
        lastTime: '2026-11-18T03:01:40',
        signature: MALLORY_SIGNATURES,
        dest: DESTS,
        // '[' sorts before 'a'
        user_agent: [`[${SDK}]`, SDK],
        src: ['203.0.113.66'],
        vendor_account: [ACCOUNT],
        vendor_region: ['eu-west-1', 'us-east-1'],
      },
    ]);
    expect(AUDIT_SIGNATURES).toHaveLength(53);
    expect(MALLORY_SIGNATURES).toHaveLength(51);
  });

  test('the threshold: bob has 50 distinct names in 103 events', async () => {
    const { rows } = await runSearch(lake, d.search.replace('| where dc_events > 50', '| where user="bob"'));
    expect(rows.map((r) => [r.user, r.dc_events])).toEqual([['bob', 50]]);
  });

  test('risk: the user, with the count, IP and actions the message names', async () => {
    const rows = await runDetection(lake, d);
    const r = risks(d, rows);
    expect(r.map(([o, t, s, , th]) => [o, t, s, th])).toEqual([
      ['SecurityAudit', 'user', 18, ['ip_address:192.0.2.44']],
      ['mallory', 'user', 18, ['ip_address:203.0.113.66']],
    ]);
    expect(r[1]?.[3]).toBe(
      `User mallory has excessive number of api calls 51 from these IP addresses 203.0.113.66, violating the threshold of 50, using the following actions ${MALLORY_SIGNATURES.join(', ')}.`,
    );
  });
});
