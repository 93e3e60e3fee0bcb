/**
 * The shipped CloudTrail ECR detections (and their seed versions) on events of our own.
 * Expected rows are worked out by hand from Splunk semantics (../shared/SEMANTICS.md).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCatalog } from '../../src/detections/catalog.js';
import {
  ACCOUNT,
  assumedRole,
  ct,
  iamUser,
  putImageRequest,
  rootUser,
  scanFindingsResponse,
  scanRequest,
} from '../support/events.js';
import { makeLake, pick, runDetection, type TestLake } from '../support/hunt.js';

const shipped = loadCatalog('detections').detections;
const seeds = loadCatalog('test/fixtures/seeds').detections;

const AGENT = 'docker/24.0.7 go/go1.20.10';
const IP = '198.51.100.7';
const common = {
  user_agent: AGENT,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
};

describe('AWS ECR Container Upload Outside Business Hours', () => {
  // 2026-11-18 is a Wednesday, 2026-11-21 a Saturday
  const events = [
    ct({ time: '2026-11-18T10:15:00Z', who: iamUser('alice') }), // business hours: no
    ct({ time: '2026-11-18T21:30:00Z', who: iamUser('mallory'), ip: '203.0.113.50' }), // night
    ct({ time: '2026-11-18T21:45:00Z', who: iamUser('mallory'), ip: '203.0.113.50' }), // same group
    ct({ time: '2026-11-18T07:59:59Z', who: iamUser('bob'), request: putImageRequest('api', 'v2') }), // hour 7 < 8
    ct({ time: '2026-11-18T08:00:00Z', who: iamUser('bob') }), // hour 8: no
    ct({ time: '2026-11-21T12:00:00Z', who: iamUser('carol') }), // Saturday daytime
    ct({ time: '2026-11-21T22:00:00Z', who: iamUser('dave') }), // Saturday night
    ct({ time: '2026-11-18T22:00:00Z', who: iamUser('mallory'), name: 'DescribeImages' }), // not PutImage
    ct({ time: '2026-11-18T23:00:00Z', who: assumedRole('ci-role', 'session-1') }), // user from the session issuer
    ct({ time: '2026-11-18T20:00:00Z', who: iamUser('erin'), extra: { sourceIPAddress: undefined } }), // no src: dropped by stats
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('current version (shipped, as upstream)', async () => {
    const rows = await runDetection(lake, pick(shipped, 'AWS ECR Container Upload Outside Business Hours'));
    const row = (user: string, repository: string, first: string, last = first, count = 1, src = IP) => ({
      signature: 'PutImage',
      user,
      ...common,
      src,
      repository,
      count,
      firstTime: first,
      lastTime: last,
    });
    // user_agent etc. are in BY order: signature user user_agent src vendor_account vendor_region vendor_product repository
    expect(rows).toEqual([
      row('bob', 'api', '2026-11-18T07:59:59'),
      row('carol', 'web', '2026-11-21T12:00:00'),
      row('ci-role', 'web', '2026-11-18T23:00:00'),
      row('dave', 'web', '2026-11-21T22:00:00'),
      row('mallory', 'web', '2026-11-18T21:30:00', '2026-11-18T21:45:00', 2, '203.0.113.50'),
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'signature',
      'user',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'repository',
      'count',
      'firstTime',
      'lastTime',
    ]);
  });

  test('seed version 1: NOT (weekend) excludes every weekend upload, even at night', async () => {
    const rows = await runDetection(lake, pick(seeds, 'AWS ECR Container Upload Outside Business Hours', 1));
    expect(
      rows.map((r) => [
        r.user,
        r.userName,
        r.repositoryName,
        r.imageTag,
        r.registryId,
        r.awsRegion,
        r.eventName,
        r.eventSource,
        r.src_ip,
      ]),
    ).toEqual([
      ['bob', 'bob', 'api', 'v2', ACCOUNT, 'us-east-1', 'PutImage', 'ecr.amazonaws.com', IP],
      ['ci-role', 'ci-role', 'web', 'v1', ACCOUNT, 'us-east-1', 'PutImage', 'ecr.amazonaws.com', IP],
      // erin has no sourceIPAddress, and src_ip is a BY field of this version too
      ['mallory', 'mallory', 'web', 'v1', ACCOUNT, 'us-east-1', 'PutImage', 'ecr.amazonaws.com', '203.0.113.50'],
    ]);
    expect(rows.find((r) => r.user === 'mallory')).toMatchObject({
      firstTime: '2026-11-18T21:30:00',
      lastTime: '2026-11-18T21:45:00',
    });
  });
});

describe('AWS ECR Container Upload Unknown User', () => {
  const events = [
    ct({ time: '2026-11-18T10:00:00Z', who: iamUser('user') }), // the allow-listed user
    ct({ time: '2026-11-18T10:05:00Z', who: iamUser('USER') }), // search values match case-insensitively
    ct({ time: '2026-11-18T10:10:00Z', who: iamUser('mallory'), request: putImageRequest('payments', 'latest') }),
    ct({ time: '2026-11-18T10:20:00Z', who: rootUser() }), // userName from the ARN tail: root
    ct({ time: '2026-11-18T10:30:00Z', who: iamUser('mallory'), name: 'CreateRepository' }),
    ct({ time: '2026-11-18T10:40:00Z', who: iamUser('ci-builder') }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('current version with the shipped allow-list (`userName IN (user)`)', async () => {
    const rows = await runDetection(lake, pick(shipped, 'AWS ECR Container Upload Unknown User'));
    expect(rows.map((r) => [r.user, r.image, r.count, r.firstTime])).toEqual([
      ['ci-builder', 'web', 1, '2026-11-18T10:40:00'],
      ['mallory', 'payments', 1, '2026-11-18T10:10:00'],
      ['root', 'web', 1, '2026-11-18T10:20:00'],
    ]);
    expect(rows[1]).toEqual({
      signature: 'PutImage',
      user: 'mallory',
      ...common,
      src: IP,
      image: 'payments',
      count: 1,
      firstTime: '2026-11-18T10:10:00',
      lastTime: '2026-11-18T10:10:00',
    });
  });

  test('an allow-list from configuration, with a wildcard', async () => {
    const rows = await runDetection(lake, pick(shipped, 'AWS ECR Container Upload Unknown User'), {
      macros: { aws_ecr_users: 'userName IN (mallory, ci-*)' },
    });
    // stats orders groups by their text, byte-wise (upper case first)
    expect(rows.map((r) => r.user)).toEqual(['USER', 'root', 'user']);
  });

  test('seed version 2: eval constants and requestParameters renamed to top level', async () => {
    const rows = await runDetection(lake, pick(seeds, 'AWS ECR Container Upload Unknown User', 2));
    expect(rows.find((r) => r.user === 'mallory')).toEqual({
      awsRegion: 'us-east-1',
      eventName: 'PutImage',
      eventSource: 'ecr.amazonaws.com',
      user: 'mallory',
      userName: 'mallory',
      src_ip: IP,
      imageTag: 'latest',
      registryId: ACCOUNT,
      image: 'payments',
      phase: 'release',
      severity: 'high',
      firstTime: '2026-11-18T10:10:00',
      lastTime: '2026-11-18T10:10:00',
    });
    // root has no userIdentity.userName: `user` (the add-on's) is missing, so stats drops it
    expect(rows.map((r) => r.user)).toEqual(['ci-builder', 'mallory']);
  });
});

describe('AWS ECR Container Scanning Findings Medium', () => {
  const scan = (time: string, who: ReturnType<typeof iamUser>, findings: Parameters<typeof scanFindingsResponse>[1]) =>
    ct({
      time,
      who,
      name: 'DescribeImageScanFindings',
      request: scanRequest('web'),
      response: scanFindingsResponse('web', findings),
    });
  const events = [
    scan('2026-11-18T10:00:00Z', iamUser('alice'), [
      { name: 'CVE-2026-0001', severity: 'MEDIUM', description: 'heap overflow' },
      { name: 'CVE-2026-0002', severity: 'HIGH', description: 'rce' },
      { name: 'CVE-2026-0003', severity: 'medium', description: 'lowercase severity' },
      { name: 'CVE-2026-0004', severity: 'MEDIUM' }, // no description: stats drops it
    ]),
    scan('2026-11-18T11:00:00Z', iamUser('alice'), []), // no findings: mvexpand drops the event
    scan('2026-11-18T12:00:00Z', iamUser('alice'), [
      { name: 'CVE-2026-0001', severity: 'MEDIUM', description: 'heap overflow' },
    ]),
    ct({
      time: '2026-11-18T12:30:00Z',
      who: iamUser('alice'),
      name: 'DescribeImageScanFindings',
      request: scanRequest('web'),
      response: null,
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('current version', async () => {
    const rows = await runDetection(lake, pick(shipped, 'AWS ECR Container Scanning Findings Medium'));
    const base = {
      signature: 'DescribeImageScanFindings',
      dest: 'ecr.amazonaws.com',
      user: 'alice',
      ...common,
      src: IP,
    };
    const order = [
      'signature',
      'dest',
      'user',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_region',
      'vendor_product',
    ];
    expect(rows).toEqual([
      {
        ...base,
        finding_name: 'CVE-2026-0001',
        finding_description: 'heap overflow',
        imageDigest: 'sha256:0f1e2d3c4b5a',
        repository: 'web',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T12:00:00',
      },
      {
        ...base,
        finding_name: 'CVE-2026-0003',
        finding_description: 'lowercase severity',
        imageDigest: 'sha256:0f1e2d3c4b5a',
        repository: 'web',
        count: 1,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:00:00',
      },
    ]);
    expect(Object.keys(rows[0] ?? {}).slice(0, order.length)).toEqual(order);
  });

  test('seed version 2: finding = name.", ".description (null when either is missing)', async () => {
    const rows = await runDetection(lake, pick(seeds, 'AWS ECR Container Scanning Findings Medium', 2));
    expect(rows).toEqual([
      {
        awsRegion: 'us-east-1',
        eventName: 'DescribeImageScanFindings',
        eventSource: 'ecr.amazonaws.com',
        imageDigest: 'sha256:0f1e2d3c4b5a',
        repository: 'web',
        user: 'AIDAALICEXXXXXXX',
        src_ip: IP,
        finding: 'CVE-2026-0001, heap overflow',
        phase: 'release',
        severity: 'medium',
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T12:00:00',
      },
      {
        awsRegion: 'us-east-1',
        eventName: 'DescribeImageScanFindings',
        eventSource: 'ecr.amazonaws.com',
        imageDigest: 'sha256:0f1e2d3c4b5a',
        repository: 'web',
        user: 'AIDAALICEXXXXXXX',
        src_ip: IP,
        finding: 'CVE-2026-0003, lowercase severity',
        phase: 'release',
        severity: 'medium',
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:00:00',
      },
    ]);
  });
});
