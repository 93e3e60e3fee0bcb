/**
 * ESCU "AWS Concurrent Sessions From Different Ips" on CloudTrail events of our own. Expected
 * rows are worked out by hand from Splunk semantics (../shared/SEMANTICS.md):
 * - DescribeEventAggregates is the AWS Health call the console makes in the background of every
 *   console session, so it stands for "a console session is open here";
 * - `src_ip!="AWS Internal"` drops the calls AWS makes on the user's behalf;
 * - `bin span=5m _time` floors _time to 5 minutes *before* stats, so firstTime/lastTime are the
 *   bin start, and two calls 2 minutes apart across a bin boundary are in different groups;
 * - `dc(src) > 1` keeps the bins with two or more addresses.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser, type Identity } from '../../support/events.js';
import { AGENT, call } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_concurrent_sessions_from_different_ips.yml');

const OFFICE = '198.51.100.7';
const HOTEL = '192.0.2.44';
const EVIL = '203.0.113.50';
const MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const sso = assumedRole('AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b', 'erin@example.com');

/** the console's Health poll, as CloudTrail logs it */
const poll = (
  time: string,
  who: Identity,
  ip: string,
  agent: string = AGENT.browser,
  name = 'DescribeEventAggregates',
) =>
  call('health.amazonaws.com', {
    time,
    name,
    who,
    ip,
    agent,
    request: {
      aggregateField: 'eventTypeCategory',
      filter: { eventStatusCodes: ['open', 'upcoming'], startTimes: [{ from: 'Nov 11, 2026, 10:00:00 AM' }] },
    },
    readOnly: true,
    extra: { sessionCredentialFromConsole: 'true' },
  });

const alice = iamUser('alice');
const events = [
  // alice, bin 10:00: office and, two minutes later, elsewhere with another browser
  poll('2026-11-18T10:01:00Z', alice, OFFICE),
  poll('2026-11-18T10:03:00Z', alice, EVIL, MAC),
  // alice, bin 10:30: office and hotel
  poll('2026-11-18T10:34:59Z', alice, HOTEL),
  poll('2026-11-18T10:30:00Z', alice, OFFICE),
  // bob: two addresses two minutes apart, but across the 10:05 boundary: one address per bin
  poll('2026-11-18T10:04:00Z', iamUser('bob'), OFFICE),
  poll('2026-11-18T10:06:00Z', iamUser('bob'), HOTEL),
  // carol: the second "address" is AWS Internal, which the search drops
  poll('2026-11-18T10:11:00Z', iamUser('carol'), OFFICE),
  poll('2026-11-18T10:12:00Z', iamUser('carol'), 'AWS Internal', 'AWS Internal'),
  // dave: three polls, one address
  poll('2026-11-18T10:10:00Z', iamUser('dave'), OFFICE),
  poll('2026-11-18T10:11:00Z', iamUser('dave'), OFFICE),
  poll('2026-11-18T10:14:00Z', iamUser('dave'), OFFICE),
  // an SSO session from three addresses: user is the permission set's role
  poll('2026-11-18T10:20:00Z', sso, OFFICE),
  poll('2026-11-18T10:21:00Z', sso, HOTEL),
  poll('2026-11-18T10:22:00Z', sso, EVIL),
  // frank: two addresses, but another Health call
  poll('2026-11-18T10:41:00Z', iamUser('frank'), OFFICE, AGENT.browser, 'DescribeEvents'),
  poll('2026-11-18T10:42:00Z', iamUser('frank'), EVIL, AGENT.browser, 'DescribeEvents'),
];

const bin = (iso: string) => Date.parse(iso) / 1000;
const common = { vendor_account: ACCOUNT, vendor_region: 'us-east-1', vendor_product: 'AWS CloudTrail' };
const tail = { signature: ['DescribeEventAggregates'] };

describe('AWS Concurrent Sessions From Different Ips', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('one row per (5-minute bin, user) with more than one address', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        _time: bin('2026-11-18T10:00:00Z'),
        user: 'alice',
        ...common,
        // min/max of the *binned* _time
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:00:00',
        user_agent: [MAC, AGENT.browser],
        ...tail,
        src: [OFFICE, EVIL],
        dest: ['health.amazonaws.com'],
        distinct_ip_count: 2,
      },
      {
        _time: bin('2026-11-18T10:20:00Z'),
        user: 'AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b',
        ...common,
        firstTime: '2026-11-18T10:20:00',
        lastTime: '2026-11-18T10:20:00',
        user_agent: [AGENT.browser],
        ...tail,
        src: [HOTEL, OFFICE, EVIL],
        dest: ['health.amazonaws.com'],
        distinct_ip_count: 3,
      },
      {
        _time: bin('2026-11-18T10:30:00Z'),
        user: 'alice',
        ...common,
        firstTime: '2026-11-18T10:30:00',
        lastTime: '2026-11-18T10:30:00',
        user_agent: [AGENT.browser],
        ...tail,
        src: [HOTEL, OFFICE],
        dest: ['health.amazonaws.com'],
        distinct_ip_count: 2,
      },
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      '_time',
      'user',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'firstTime',
      'lastTime',
      'user_agent',
      'signature',
      'src',
      'dest',
      'distinct_ip_count',
    ]);
  });

  test('one address per bin does not fire', async () => {
    // bob, carol, dave and frank alone
    const only = await makeLake({
      cloudtrail: events.slice(4).filter((e) => (e.userIdentity as Identity).type === 'IAMUser'),
    });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user; every address is a threat object', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T11:00:00Z');
    expect(
      risk.map((r) => [r.risk_object, r.risk_score, r.risk_message, r.threat_objects.map((t) => t.value)]),
    ).toEqual([
      [
        'alice',
        42,
        `User alice has concurrent sessions from more than one unique IP address ${OFFICE}, ${EVIL} in the span of 5 minutes.`,
        [OFFICE, EVIL],
      ],
      [
        'AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b',
        42,
        `User AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b has concurrent sessions from more than one unique IP address ${HOTEL}, ${OFFICE}, ${EVIL} in the span of 5 minutes.`,
        [HOTEL, OFFICE, EVIL],
      ],
      [
        'alice',
        42,
        `User alice has concurrent sessions from more than one unique IP address ${HOTEL}, ${OFFICE} in the span of 5 minutes.`,
        [HOTEL, OFFICE],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
