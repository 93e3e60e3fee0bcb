/**
 * Detect New Open S3 Buckets over AWS CLI (ESCU, CloudTrail): S3 calls from the AWS CLI that are
 * PutBucketAcl, or carry a read-acp/write/write-acp/full-control grant ending in AllUsers or
 * AuthenticatedUsers (OR binds tighter than AND: eventSource AND agent AND (PutBucketAcl OR ...)).
 * Then `fillnull | stats ... by` the caller, the bucket and all five
 * requestParameters.accessControlList.x-amz-grant-* headers.
 *
 * Upstream content bug: CloudTrail logs only the grant headers a request sent, and `fillnull`
 * fills a field only when some result has it. The five grant headers are BY fields, so the
 * detection fires only in a window whose results, together, use all five; a typical
 * `put-bucket-acl --grant-read uri=.../AllUsers` (or a canned `--acl public-read`) alone is
 * dropped by stats and returns nothing, in Splunk and so in hunt. When it does fire, fields an
 * event lacks read "0", and a caller without userIdentity.userName (a role) is user "0".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, ct, iamUser, type Identity } from '../../support/events.js';
import { risks, S3_CLI } from '../../support/events-ct2.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'detect_new_open_s3_buckets_over_aws_cli.yml');

const ALL_USERS = 'uri=http://acs.amazonaws.com/groups/global/AllUsers';
const AUTH_USERS = 'uri=http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const OWNER = 'id=79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const PARTNER = 'id=e5d2a1f8b3c47d9e0a6b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f';
const ACL_AGENT = S3_CLI('s3api.put-bucket-acl');
const CP_AGENT = S3_CLI('s3.cp');

type Grants = Partial<Record<'read' | 'read-acp' | 'write' | 'write-acp' | 'full-control', string>>;

interface S3Call {
  time: string;
  who: Identity;
  name: string;
  bucket: string;
  agent: string;
  /** grant headers sent, logged under requestParameters.accessControlList */
  grants?: Grants;
  request?: Record<string, unknown>;
  ip?: string;
}

/** An S3 call as CloudTrail logs it: bucket and Host in the request, the bucket as a resource. */
const s3 = (c: S3Call): Record<string, unknown> => {
  const acl = Object.fromEntries(Object.entries(c.grants ?? {}).map(([k, v]) => [`x-amz-grant-${k}`, v]));
  return ct({
    time: c.time,
    who: c.who,
    name: c.name,
    source: 's3.amazonaws.com',
    ip: c.ip ?? '203.0.113.66',
    agent: c.agent,
    request: {
      bucketName: c.bucket,
      Host: `${c.bucket}.s3.us-east-1.amazonaws.com`,
      ...c.request,
      ...(c.grants ? { accessControlList: acl } : {}),
    },
    response: null,
    extra: {
      additionalEventData: {
        SignatureVersion: 'SigV4',
        CipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
        bytesTransferredIn: 0,
        AuthenticationMethod: 'AuthHeader',
        bytesTransferredOut: 0,
      },
      resources: [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${c.bucket}` }],
    },
  });
};

describe('Detect New Open S3 Buckets over AWS CLI: one public grant (never fires)', () => {
  const mallory = iamUser('mallory');
  const events = [
    // the typical attack: one header, AllUsers may list the bucket
    s3({
      time: '2026-11-18T10:00:00Z',
      who: mallory,
      name: 'PutBucketAcl',
      bucket: 'customer-exports',
      agent: ACL_AGENT,
      request: { acl: '' },
      grants: { read: ALL_USERS },
    }),
    // a canned ACL: no grant headers at all
    s3({
      time: '2026-11-18T10:01:00Z',
      who: mallory,
      name: 'PutBucketAcl',
      bucket: 'customer-exports',
      agent: ACL_AGENT,
      request: { acl: '', 'x-amz-acl': ['public-read'] },
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('returns nothing: four of the five grant BY fields are in no result', async () => {
    const { rows, translation } = await runSearch(lake, d.search);
    expect(rows).toEqual([]);
    // the fields are defined (paths into requestParameters); only the data lacks them: no warning
    expect(translation.warnings).toEqual([]);
  });

  test('the intended logic would flag both: the same search grouped by the one header present', async () => {
    const by =
      ' by userIdentity.userName userIdentity.principalId userAgent bucketName requestParameters.accessControlList.x-amz-grant-read requestParameters.accessControlList.x-amz-grant-read-acp requestParameters.accessControlList.x-amz-grant-write requestParameters.accessControlList.x-amz-grant-write-acp requestParameters.accessControlList.x-amz-grant-full-control ';
    expect(d.search).toContain(by);
    const { rows } = await runSearch(
      lake,
      d.search.replace(
        by,
        ' by userIdentity.userName userIdentity.principalId userAgent bucketName requestParameters.accessControlList.x-amz-grant-read ',
      ),
    );
    expect(rows).toEqual([
      {
        user: 'mallory',
        'userIdentity.principalId': 'AIDAMALLORYXXXXX',
        userAgent: ACL_AGENT,
        bucketName: 'customer-exports',
        // the canned-ACL call has no header, and fillnull fills it because the other call has it
        'requestParameters.accessControlList.x-amz-grant-read': '0',
        count: 1,
        firstTime: '2026-11-18T10:01:00',
        lastTime: '2026-11-18T10:01:00',
      },
      {
        user: 'mallory',
        'userIdentity.principalId': 'AIDAMALLORYXXXXX',
        userAgent: ACL_AGENT,
        bucketName: 'customer-exports',
        'requestParameters.accessControlList.x-amz-grant-read': ALL_USERS,
        count: 1,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:00:00',
      },
    ]);
  });
});

describe('Detect New Open S3 Buckets over AWS CLI: a window using all five grants', () => {
  const mallory = iamUser('mallory');
  const ci = assumedRole('ci-publisher', 'build-301');
  const events = [
    // E1: full control to the owner, log delivery and any AWS user; AllUsers may read and read the ACL
    s3({
      time: '2026-11-18T10:00:00Z',
      who: mallory,
      name: 'PutBucketAcl',
      bucket: 'customer-exports',
      agent: ACL_AGENT,
      request: { acl: '' },
      grants: {
        'full-control': `${OWNER},uri=http://acs.amazonaws.com/groups/s3/LogDelivery,${AUTH_USERS}`,
        read: ALL_USERS,
        'read-acp': ALL_USERS,
      },
    }),
    // E2: anyone may write, any AWS user may rewrite the ACL
    s3({
      time: '2026-11-18T10:05:00Z',
      who: mallory,
      name: 'PutBucketAcl',
      bucket: 'customer-exports',
      agent: ACL_AGENT,
      request: { acl: '' },
      grants: { write: ALL_USERS, 'write-acp': AUTH_USERS },
    }),
    // E3: a role shares a bucket with a partner account: private, but PutBucketAcl is enough
    s3({
      time: '2026-11-18T10:10:00Z',
      who: ci,
      name: 'PutBucketAcl',
      bucket: 'build-artifacts',
      agent: ACL_AGENT,
      ip: '10.0.7.7',
      request: { acl: '' },
      grants: { read: PARTNER },
    }),
    // E4: not PutBucketAcl, but an object uploaded with full control for AllUsers (aws s3 cp --grants)
    s3({
      time: '2026-11-18T10:15:00Z',
      who: mallory,
      name: 'PutObject',
      bucket: 'customer-exports',
      agent: CP_AGENT,
      request: { key: 'dump-2026-11-18.csv' },
      grants: { 'full-control': ALL_USERS },
    }),
    // the console is not the CLI: no
    s3({
      time: '2026-11-18T10:20:00Z',
      who: iamUser('bob'),
      name: 'PutBucketAcl',
      bucket: 'team-share',
      agent: '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]',
      request: { acl: '' },
      grants: { read: ALL_USERS },
    }),
    // a bucket policy is not an ACL: no
    s3({
      time: '2026-11-18T10:25:00Z',
      who: mallory,
      name: 'PutBucketPolicy',
      bucket: 'customer-exports',
      agent: S3_CLI('s3api.put-bucket-policy'),
      request: {
        policy: '',
        bucketPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::customer-exports/*' },
          ],
        },
      },
    }),
    // S3 log delivery writing with a full-control grant: an AWS service, not the CLI: no
    s3({
      time: '2026-11-18T10:30:00Z',
      who: { type: 'AWSService', invokedBy: 's3.amazonaws.com' },
      name: 'PutObject',
      bucket: 'customer-exports-logs',
      agent: 's3.amazonaws.com',
      ip: 's3.amazonaws.com',
      request: { key: 'logs/2026-11-18-10-30-00-ABCDEF' },
      grants: { 'full-control': OWNER },
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const G = 'requestParameters.accessControlList.x-amz-grant-';
  const row = (user: string, principal: string, agent: string, bucket: string, g: Required<Grants>, time: string) => ({
    user,
    'userIdentity.principalId': principal,
    userAgent: agent,
    bucketName: bucket,
    [`${G}read`]: g.read,
    [`${G}read-acp`]: g['read-acp'],
    [`${G}write`]: g.write,
    [`${G}write-acp`]: g['write-acp'],
    [`${G}full-control`]: g['full-control'],
    count: 1,
    firstTime: time,
    lastTime: time,
  });

  test('every CLI call that matched fires; missing grants and the role\'s user name read "0"', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      // E3: "0" sorts before "mallory"
      row(
        '0',
        'AROAEXAMPLE:build-301',
        ACL_AGENT,
        'build-artifacts',
        { read: PARTNER, 'read-acp': '0', write: '0', 'write-acp': '0', 'full-control': '0' },
        '2026-11-18T10:10:00',
      ),
      // E4: "command/s3.cp" sorts before "command/s3api..."
      row(
        'mallory',
        'AIDAMALLORYXXXXX',
        CP_AGENT,
        'customer-exports',
        { read: '0', 'read-acp': '0', write: '0', 'write-acp': '0', 'full-control': ALL_USERS },
        '2026-11-18T10:15:00',
      ),
      // E2 before E1: its grant-read is "0"
      row(
        'mallory',
        'AIDAMALLORYXXXXX',
        ACL_AGENT,
        'customer-exports',
        { read: '0', 'read-acp': '0', write: ALL_USERS, 'write-acp': AUTH_USERS, 'full-control': '0' },
        '2026-11-18T10:05:00',
      ),
      row(
        'mallory',
        'AIDAMALLORYXXXXX',
        ACL_AGENT,
        'customer-exports',
        {
          read: ALL_USERS,
          'read-acp': ALL_USERS,
          write: '0',
          'write-acp': '0',
          'full-control': `${OWNER},uri=http://acs.amazonaws.com/groups/s3/LogDelivery,${AUTH_USERS}`,
        },
        '2026-11-18T10:00:00',
      ),
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'user',
      'userIdentity.principalId',
      'userAgent',
      'bucketName',
      `${G}read`,
      `${G}read-acp`,
      `${G}write`,
      `${G}write-acp`,
      `${G}full-control`,
      'count',
      'firstTime',
      'lastTime',
    ]);
  });

  test('risk: the user (even "0") and the bucket and grants the message names', async () => {
    const rows = await runDetection(lake, d);
    const r = risks(d, rows);
    expect(r.map(([o, t, s, , th]) => [o, t, s, th])).toEqual([
      ['0', 'user', 48, []],
      ['mallory', 'user', 48, []],
      ['mallory', 'user', 48, []],
      ['mallory', 'user', 48, []],
    ]);
    expect(r[2]?.[3]).toBe(
      `User mallory has created an open/public bucket customer-exports using AWS CLI with the following permissions - 0 0 ${ALL_USERS} ${AUTH_USERS} 0`,
    );
  });
});
