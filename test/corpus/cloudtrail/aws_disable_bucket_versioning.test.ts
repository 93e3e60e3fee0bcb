/**
 * ESCU "AWS Disable Bucket Versioning" on CloudTrail events of our own. Expected rows are worked
 * out by hand from Splunk semantics (../shared/SEMANTICS.md): PutBucketVersioning calls whose
 * requestParameters.VersioningConfiguration.Status is Suspended (case-insensitive; any outcome:
 * no errorCode term), the bucket renamed to bucket_name, grouped by signature dest user
 * user_agent src vendor_account vendor_region vendor_product bucket_name.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, iamUser, rootUser } from '../../support/events.js';
import { AGENT, accessDenied, putBucketVersioning } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_disable_bucket_versioning.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';
const mallory = iamUser('mallory');

const events = [
  // mallory suspends versioning on two buckets with the CLI, one of them twice
  putBucketVersioning({
    time: '2026-11-18T10:00:00Z',
    who: mallory,
    ip: EVIL,
    agent: AGENT.cli,
    bucket: 'finance-records',
    status: 'Suspended',
  }),
  putBucketVersioning({
    time: '2026-11-18T10:01:00Z',
    who: mallory,
    ip: EVIL,
    agent: AGENT.cli,
    bucket: 'hr-exports',
    status: 'Suspended',
  }),
  putBucketVersioning({
    time: '2026-11-18T10:40:00Z',
    who: mallory,
    ip: EVIL,
    agent: AGENT.cli,
    bucket: 'finance-records',
    status: 'Suspended',
  }),
  // root, in the S3 console
  putBucketVersioning({
    time: '2026-11-18T11:00:00Z',
    who: rootUser(),
    ip: HOME,
    bucket: 'logs-archive',
    status: 'Suspended',
  }),
  // bob's attempt was denied: still a request to suspend
  putBucketVersioning({
    time: '2026-11-18T10:05:00Z',
    who: iamUser('bob'),
    ip: EVIL,
    agent: AGENT.cli,
    bucket: 'finance-records',
    status: 'Suspended',
    error: accessDenied(iamUser('bob'), 's3:PutBucketVersioning', 'arn:aws:s3:::finance-records', 'AccessDenied'),
  }),
  // near misses: versioning enabled, and enabled with MFA delete turned off
  putBucketVersioning({
    time: '2026-11-18T10:50:00Z',
    who: iamUser('alice'),
    ip: HOME,
    bucket: 'finance-records',
    status: 'Enabled',
  }),
  putBucketVersioning({
    time: '2026-11-18T10:51:00Z',
    who: rootUser(),
    ip: HOME,
    bucket: 'hr-exports',
    status: 'Enabled',
    mfaDelete: 'Disabled',
  }),
];

const common = { signature: 'PutBucketVersioning', dest: 's3.amazonaws.com' };
const tail = { vendor_account: ACCOUNT, vendor_region: 'us-east-1', vendor_product: 'AWS CloudTrail' };

describe('AWS Disable Bucket Versioning', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('versioning suspended, per caller and bucket', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        ...common,
        user: 'bob',
        user_agent: AGENT.cli,
        src: EVIL,
        ...tail,
        bucket_name: 'finance-records',
        count: 1,
        firstTime: '2026-11-18T10:05:00',
        lastTime: '2026-11-18T10:05:00',
      },
      {
        ...common,
        user: 'mallory',
        user_agent: AGENT.cli,
        src: EVIL,
        ...tail,
        bucket_name: 'finance-records',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:40:00',
      },
      {
        ...common,
        user: 'mallory',
        user_agent: AGENT.cli,
        src: EVIL,
        ...tail,
        bucket_name: 'hr-exports',
        count: 1,
        firstTime: '2026-11-18T10:01:00',
        lastTime: '2026-11-18T10:01:00',
      },
      {
        ...common,
        user: 'root',
        user_agent: AGENT.s3console,
        src: HOME,
        ...tail,
        bucket_name: 'logs-archive',
        count: 1,
        firstTime: '2026-11-18T11:00:00',
        lastTime: '2026-11-18T11:00:00',
      },
    ]);
  });

  test('nothing when versioning is enabled', async () => {
    const only = await makeLake({ cloudtrail: events.slice(5) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, with bucket_name and src in the message', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T12:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message, r.threat_objects])).toEqual([
      [
        'bob',
        64,
        `Bucket Versioning is suspended for S3 buckets- finance-records by user bob from IP address ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'mallory',
        64,
        `Bucket Versioning is suspended for S3 buckets- finance-records by user mallory from IP address ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'mallory',
        64,
        `Bucket Versioning is suspended for S3 buckets- hr-exports by user mallory from IP address ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'root',
        64,
        `Bucket Versioning is suspended for S3 buckets- logs-archive by user root from IP address ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
