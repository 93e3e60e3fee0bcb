/**
 * The shipped Security Lake (OCSF) ECR detections, upstream and seed versions, on our own
 * events. Expected rows worked out by hand from Splunk semantics.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCatalog } from '../../src/detections/catalog.js';
import { ACCOUNT, ocsf } from '../support/events.js';
import { makeLake, pick, runDetection, type TestLake } from '../support/hunt.js';
import { shared } from '../support/shared.js';

const shipped = loadCatalog('detections').detections;
const upstream = loadCatalog(shared('escu', 'asl')).detections;
const seeds = loadCatalog('test/fixtures/seeds').detections;
const BH = 'ASL AWS ECR Container Upload Outside Business Hours';
const UNKNOWN = 'ASL AWS ECR Container Upload Unknown User';
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const AGENT = 'docker/24.0.7 go/go1.20.10';
const DATA = JSON.stringify({
  registryId: ACCOUNT,
  repositoryName: 'web',
  imageTag: 'v1',
  imageManifest: '{"schemaVersion":2}',
  imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
});

describe(BH, () => {
  const events = [
    ocsf({ time: '2026-11-18T10:00:00Z', userName: 'alice' }), // Wednesday, business hours
    ocsf({ time: '2026-11-18T21:00:00Z', userName: 'mallory' }), // "21" >= 20
    ocsf({ time: '2026-11-18T07:30:00Z', userName: 'bob' }), // "07" < 8: text that reads as a number compares as one
    ocsf({ time: '2026-11-21T12:00:00Z', userName: 'carol' }), // Saturday daytime
    ocsf({ time: '2026-11-18T22:00:00Z', userName: 'mallory', operation: 'DescribeImages' }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ ocsf: events });
  });
  afterAll(() => lake.close());

  const row = (name: string, time: string) => ({
    user: arn(name),
    action: 'PutImage',
    dest: 'ecr.amazonaws.com',
    user_agent: AGENT,
    src: '198.51.100.7',
    vendor_account: ACCOUNT,
    vendor_product: 'AWS',
    vendor_region: 'us-east-1',
    'api.request.data': DATA,
    count: 1,
    firstTime: time,
    lastTime: time,
  });

  test('shipped corrected copy: nights, early mornings and weekends', async () => {
    const rows = await runDetection(lake, pick(shipped, BH));
    expect(rows).toEqual([
      row('bob', '2026-11-18T07:30:00'),
      row('carol', '2026-11-21T12:00:00'),
      row('mallory', '2026-11-18T21:00:00'),
    ]);
  });

  test('upstream version 8 returns nothing: stats BY bucketName, a field no event has', async () => {
    expect(await runDetection(lake, pick(upstream, BH))).toEqual([]);
  });

  test('seed version 10 (same bugs as upstream) returns nothing', async () => {
    expect(await runDetection(lake, pick(seeds, BH, 10))).toEqual([]);
  });

  test('seed version 5: weekday=Saturday compares with a field named Saturday, so weekend days never match', async () => {
    const rows = await runDetection(lake, pick(seeds, BH, 5));
    expect(rows.map((r) => r.user)).toEqual([arn('bob'), arn('mallory')]);
    expect(rows[0]).toEqual({
      'api.operation': 'PutImage',
      user: arn('bob'),
      'actor.user.account.uid': ACCOUNT,
      user_agent: AGENT,
      region: 'us-east-1',
      count: 1,
      firstTime: '2026-11-18T07:30:00',
      lastTime: '2026-11-18T07:30:00',
    });
  });

  test('strftime renders in the configured zone: 21:00 UTC is 22:00 in Paris, 07:30 UTC is 08:30', async () => {
    const rows = await runDetection(lake, pick(shipped, BH), { zone: 'Europe/Paris' });
    // bob's 08:30 local is business hours; firstTime is rendered in the zone too
    expect(rows.map((r) => [r.user, r.firstTime])).toEqual([
      [arn('carol'), '2026-11-21T13:00:00'],
      [arn('mallory'), '2026-11-18T22:00:00'],
    ]);
  });
});

describe(UNKNOWN, () => {
  const role = `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/session-7`;
  const events = [
    ocsf({ time: '2026-11-18T10:00:00Z', userName: 'admin' }), // allow-listed
    ocsf({ time: '2026-11-18T10:10:00Z', userName: 'mallory', ip: '203.0.113.50' }),
    ocsf({ time: '2026-11-18T10:20:00Z', userName: null, userUid: role, userType: 'AssumedRole' }), // no name: NOT ... IN matches
    ocsf({ time: '2026-11-18T10:30:00Z', userName: 'mallory', ip: null }), // no source IP: fillnull gives "0"
    ocsf({ time: '2026-11-18T10:40:00Z', userName: 'mallory', operation: 'CreateRepository' }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ ocsf: events });
  });
  afterAll(() => lake.close());

  test('current version', async () => {
    const rows = await runDetection(lake, pick(shipped, UNKNOWN));
    const row = (user: string, src: string, time: string) => ({
      user,
      action: 'PutImage',
      dest: 'ecr.amazonaws.com',
      user_agent: AGENT,
      src,
      vendor_account: ACCOUNT,
      vendor_product: 'AWS',
      vendor_region: 'us-east-1',
      count: 1,
      firstTime: time,
      lastTime: time,
    });
    expect(rows).toEqual([
      row(arn('mallory'), '0', '2026-11-18T10:30:00'),
      row(arn('mallory'), '203.0.113.50', '2026-11-18T10:10:00'),
      row(role, '198.51.100.7', '2026-11-18T10:20:00'),
    ]);
  });

  test('fillnull fills only fields some result has: with no source IP anywhere, stats drops every event', async () => {
    const only = await makeLake({ ocsf: [ocsf({ time: '2026-11-18T10:30:00Z', userName: 'mallory', ip: null })] });
    try {
      expect(await runDetection(only, pick(shipped, UNKNOWN))).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('an allow-list from configuration', async () => {
    const rows = await runDetection(lake, pick(shipped, UNKNOWN), {
      macros: { aws_ecr_users_asl: 'actor.user.name IN (admin, mallory)' },
    });
    expect(rows.map((r) => r.user)).toEqual([role]);
  });
});
