/**
 * ESCU "AWS Detect Users with KMS keys performing encryption S3" on CloudTrail events of our own
 * (S3 data events). Expected rows are worked out by hand from Splunk semantics
 * (../shared/SEMANTICS.md): CopyObject calls whose requestParameters.x-amz-server-side-encryption
 * is "aws:kms" (any outcome: no errorCode term), the bucket, copy source and key renamed to
 * bucketName, src_file and dest_file, grouped by signature dest user user_agent src
 * vendor_account vendor_region vendor_product bucketName src_file dest_file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { AGENT, accessDenied, copyObject, s3 } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_detect_users_with_kms_keys_performing_encryption_s3.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';
const OUTSIDE_KEY = 'arn:aws:kms:us-east-1:999988887777:key/0aa1bb2c-3dd4-4ee5-8ff6-a7b8c9d0e1f2';
const mallory = iamUser('mallory');
const backup = assumedRole('backup-job', 'nightly');

const events = [
  // mallory re-encrypts objects in place with a key from another account (the ransomware move)
  copyObject({
    time: '2026-11-18T10:00:00Z',
    who: mallory,
    ip: EVIL,
    bucket: 'finance-records',
    key: 'q3.xlsx',
    source: 'finance-records/q3.xlsx',
    sse: 'aws:kms',
    kmsKey: OUTSIDE_KEY,
  }),
  copyObject({
    time: '2026-11-18T10:00:05Z',
    who: mallory,
    ip: EVIL,
    bucket: 'finance-records',
    key: 'q4.xlsx',
    source: 'finance-records/q4.xlsx',
    sse: 'aws:kms',
    kmsKey: OUTSIDE_KEY,
  }),
  copyObject({
    time: '2026-11-18T10:30:00Z',
    who: mallory,
    ip: EVIL,
    bucket: 'finance-records',
    key: 'q3.xlsx',
    source: 'finance-records/q3.xlsx',
    sse: 'aws:kms',
    kmsKey: OUTSIDE_KEY,
  }),
  // denied by the bucket policy: still a CopyObject asking for aws:kms
  copyObject({
    time: '2026-11-18T10:01:00Z',
    who: mallory,
    ip: EVIL,
    bucket: 'hr-exports',
    key: 'payroll.csv',
    source: 'hr-exports/payroll.csv',
    sse: 'aws:kms',
    kmsKey: OUTSIDE_KEY,
    error: accessDenied(mallory, 's3:PutObject', 'arn:aws:s3:::hr-exports/payroll.csv', 'AccessDenied'),
  }),
  // a backup role copying to another bucket with the account's own key
  copyObject({
    time: '2026-11-18T02:00:00Z',
    who: backup,
    ip: '10.0.12.7',
    bucket: 'finance-backup',
    key: '2026/11/18/q3.xlsx',
    source: 'finance-records/q3.xlsx',
    sse: 'aws:kms',
  }),
  // near misses: SSE-S3, no encryption header, and a PutObject with aws:kms
  copyObject({
    time: '2026-11-18T10:02:00Z',
    who: iamUser('bob'),
    ip: HOME,
    bucket: 'finance-records',
    key: 'q3.xlsx',
    source: 'finance-records/q3.xlsx',
    sse: 'AES256',
  }),
  copyObject({
    time: '2026-11-18T10:03:00Z',
    who: iamUser('bob'),
    ip: HOME,
    bucket: 'finance-records',
    key: 'q3-copy.xlsx',
    source: 'finance-records/q3.xlsx',
  }),
  s3({
    time: '2026-11-18T10:04:00Z',
    name: 'PutObject',
    who: mallory,
    ip: EVIL,
    agent: AGENT.boto3,
    request: {
      bucketName: 'finance-records',
      Host: 'finance-records.s3.us-east-1.amazonaws.com',
      key: 'README.txt',
      'x-amz-server-side-encryption': 'aws:kms',
    },
    extra: { eventCategory: 'Data', managementEvent: false },
  }),
];

const who = (user: string, ip: string) => ({
  signature: 'CopyObject',
  dest: 's3.amazonaws.com',
  user,
  user_agent: AGENT.boto3,
  src: ip,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
});

describe('AWS Detect Users with KMS keys performing encryption S3', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('SSE-KMS copies, one row per (caller, bucket, source, key)', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        ...who('backup-job', '10.0.12.7'),
        bucketName: 'finance-backup',
        src_file: 'finance-records/q3.xlsx',
        dest_file: '2026/11/18/q3.xlsx',
        count: 1,
        firstTime: '2026-11-18T02:00:00',
        lastTime: '2026-11-18T02:00:00',
      },
      {
        ...who('mallory', EVIL),
        bucketName: 'finance-records',
        src_file: 'finance-records/q3.xlsx',
        dest_file: 'q3.xlsx',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:30:00',
      },
      {
        ...who('mallory', EVIL),
        bucketName: 'finance-records',
        src_file: 'finance-records/q4.xlsx',
        dest_file: 'q4.xlsx',
        count: 1,
        firstTime: '2026-11-18T10:00:05',
        lastTime: '2026-11-18T10:00:05',
      },
      {
        ...who('mallory', EVIL),
        bucketName: 'hr-exports',
        src_file: 'hr-exports/payroll.csv',
        dest_file: 'payroll.csv',
        count: 1,
        firstTime: '2026-11-18T10:01:00',
        lastTime: '2026-11-18T10:01:00',
      },
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'signature',
      'dest',
      'user',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'bucketName',
      'src_file',
      'dest_file',
      'count',
      'firstTime',
      'lastTime',
    ]);
  });

  test('nothing for SSE-S3, unencrypted copies or other writes', async () => {
    const only = await makeLake({ cloudtrail: events.slice(5) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, with dest_file in the message', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T11:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message])).toEqual([
      [
        'backup-job',
        15,
        'User backup-job with KMS keys is performing encryption, against S3 buckets on these files 2026/11/18/q3.xlsx',
      ],
      ['mallory', 15, 'User mallory with KMS keys is performing encryption, against S3 buckets on these files q3.xlsx'],
      ['mallory', 15, 'User mallory with KMS keys is performing encryption, against S3 buckets on these files q4.xlsx'],
      [
        'mallory',
        15,
        'User mallory with KMS keys is performing encryption, against S3 buckets on these files payroll.csv',
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
