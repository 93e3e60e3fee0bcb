/**
 * ESCU "AWS Network Access Control List Created with All Open Ports" on CloudTrail events of our
 * own. Expected rows worked out by hand from Splunk semantics: ingress `allow` entries for all
 * protocols (aclProtocol -1), with `append` adding entries of other protocols whose port range
 * spans more than 1024 ports; `fillnull` then fills, with 0, the fields some row has (the port
 * range of the appended rows) in the rows that lack them, and stats groups by them.
 *
 * A parity consequence: an all-protocol entry has no portRange, so when no appended row brings
 * one, `fillnull` creates no portRange fields, stats BY portRange drops the row, and the
 * all-protocol entry alone does not fire.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, ct, iamUser } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_network_access_control_list_created_with_all_open_ports.yml');
const CLI = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64';
const EVIL = '203.0.113.50';

interface Entry {
  time: string;
  name?: 'CreateNetworkAclEntry' | 'ReplaceNetworkAclEntry';
  protocol: string;
  ports?: [number, number];
  action?: 'allow' | 'deny';
  egress?: boolean;
  cidr?: string;
}

const entry = (e: Entry) =>
  ct({
    time: e.time,
    name: e.name ?? 'CreateNetworkAclEntry',
    source: 'ec2.amazonaws.com',
    who: iamUser('mallory'),
    ip: EVIL,
    agent: CLI,
    request: {
      networkAclId: 'acl-0a1b2c3d4e5f67890',
      ruleNumber: 100,
      egress: e.egress ?? false,
      ruleAction: e.action ?? 'allow',
      icmpTypeCode: {},
      ...(e.ports ? { portRange: { from: e.ports[0], to: e.ports[1] } } : {}),
      aclProtocol: e.protocol,
      cidrBlock: e.cidr ?? '0.0.0.0/0',
    },
    response: { _return: true },
  });

const allProtocols = entry({ time: '2026-11-18T10:00:00Z', protocol: '-1' });
const wideTcp = entry({
  time: '2026-11-18T10:10:00Z',
  name: 'ReplaceNetworkAclEntry',
  protocol: '6',
  ports: [0, 65535],
});
const benign = [
  // a narrow range: 1024 ports is not more than 1024
  entry({ time: '2026-11-18T11:00:00Z', protocol: '6', ports: [1024, 2048] }),
  // deny, egress, and another call
  entry({ time: '2026-11-18T11:05:00Z', protocol: '-1', action: 'deny' }),
  entry({ time: '2026-11-18T11:10:00Z', protocol: '6', ports: [0, 65535], egress: true }),
  ct({
    time: '2026-11-18T11:15:00Z',
    name: 'DeleteNetworkAclEntry',
    source: 'ec2.amazonaws.com',
    who: iamUser('mallory'),
    ip: EVIL,
    agent: CLI,
    request: { networkAclId: 'acl-0a1b2c3d4e5f67890', ruleNumber: 100, egress: false },
  }),
];

const common = {
  dest: 'ec2.amazonaws.com',
  user: 'mallory',
  user_agent: CLI,
  src: EVIL,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
  'requestParameters.ruleAction': 'allow',
  'requestParameters.egress': 'false',
};

async function run(events: object[]): Promise<Record<string, unknown>[]> {
  const lake: TestLake = await makeLake({ cloudtrail: events });
  try {
    return await runDetection(lake, detection);
  } finally {
    await lake.close();
  }
}

describe('AWS Network Access Control List Created with All Open Ports', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: [allProtocols, wideTcp, ...benign] });
  });
  afterAll(() => lake.close());

  test('fires on the all-protocol entry and on the appended wide TCP range', async () => {
    expect(await runDetection(lake, detection)).toEqual([
      // groups sorted by their BY values: signature first, then ... aclProtocol "-1" < "6"
      {
        signature: 'CreateNetworkAclEntry',
        ...common,
        'requestParameters.aclProtocol': '-1',
        // filled by fillnull: the appended row has a port range
        'requestParameters.portRange.to': '0',
        'requestParameters.portRange.from': '0',
        'requestParameters.cidrBlock': '0.0.0.0/0',
        count: 1,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:00:00',
      },
      {
        signature: 'ReplaceNetworkAclEntry',
        ...common,
        'requestParameters.aclProtocol': '6',
        'requestParameters.portRange.to': '65535',
        'requestParameters.portRange.from': '0',
        'requestParameters.cidrBlock': '0.0.0.0/0',
        count: 1,
        firstTime: '2026-11-18T10:10:00',
        lastTime: '2026-11-18T10:10:00',
      },
    ]);
  });

  test('the wide range alone fires; the all-protocol entry alone does not (no row has a port range to fill)', async () => {
    expect((await run([wideTcp, ...benign])).map((r) => r.signature)).toEqual(['ReplaceNetworkAclEntry']);
    expect(await run([allProtocols])).toEqual([]);
  });

  test('does not fire on narrow ranges, deny or egress entries, or other calls', async () => {
    expect(await run(benign)).toEqual([]);
  });
});
