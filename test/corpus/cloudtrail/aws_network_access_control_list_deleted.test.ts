/**
 * AWS Network Access Control List Deleted (ESCU, CloudTrail): EC2 DeleteNetworkAclEntry of an
 * inbound rule (`requestParameters.egress=false`: a JSON boolean, which Splunk reads as the
 * text "false"). There is no errorCode filter: a denied deletion counts too, though the risk
 * message says "sucessfully". Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, ct, iamUser, type Identity } from '../../support/events.js';
import { CLI, failure, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_network_access_control_list_deleted.yml');
const AGENT = CLI('ec2.delete-network-acl-entry');
const CONSOLE = 'AWS Internal';

interface AclEntry {
  time: string;
  who: Identity;
  egress: boolean;
  rule: number;
  name?: 'DeleteNetworkAclEntry' | 'CreateNetworkAclEntry';
  region?: string;
  ip?: string;
  agent?: string;
  error?: Record<string, unknown>;
}

/** A network ACL entry call as CloudTrail logs it (EC2 returns a request id and _return). */
const aclEntry = (e: AclEntry): Record<string, unknown> => {
  const create = e.name === 'CreateNetworkAclEntry';
  return ct({
    time: e.time,
    who: e.who,
    name: e.name ?? 'DeleteNetworkAclEntry',
    source: 'ec2.amazonaws.com',
    region: e.region ?? 'us-east-1',
    ip: e.ip ?? '203.0.113.66',
    agent: e.agent ?? AGENT,
    request: {
      networkAclId: 'acl-0e1f2a3b4c5d6e7f8',
      ruleNumber: e.rule,
      egress: e.egress,
      ...(create ? { ruleAction: 'allow', protocol: '-1', cidrBlock: '0.0.0.0/0' } : {}),
    },
    response: e.error ? null : { requestId: '7b1f6a1e-3c1d-4a2b-9f00-0123456789ab', _return: true },
    extra: e.error,
  });
};

describe('AWS Network Access Control List Deleted', () => {
  const mallory = iamUser('mallory');
  const events = [
    // mallory removes two inbound deny rules: one group, count 2
    aclEntry({ time: '2026-11-18T20:00:00Z', who: mallory, egress: false, rule: 100 }),
    aclEntry({ time: '2026-11-18T20:01:00Z', who: mallory, egress: false, rule: 110 }),
    // an outbound rule: egress=true: no
    aclEntry({ time: '2026-11-18T20:02:00Z', who: mallory, egress: true, rule: 100 }),
    // creating an entry is another event: no
    aclEntry({ time: '2026-11-18T20:03:00Z', who: mallory, egress: false, rule: 90, name: 'CreateNetworkAclEntry' }),
    // bob is denied: still DeleteNetworkAclEntry with egress=false: fires
    aclEntry({
      time: '2026-11-18T21:00:00Z',
      who: iamUser('bob'),
      egress: false,
      rule: 100,
      ip: '198.51.100.5',
      agent: CONSOLE,
      error: failure(
        'Client.UnauthorizedOperation',
        'You are not authorized to perform this operation. User: arn:aws:iam::111122223333:user/bob is not authorized to perform: ec2:DeleteNetworkAclEntry on resource: arn:aws:ec2:us-east-1:111122223333:network-acl/acl-0e1f2a3b4c5d6e7f8 because no identity-based policy allows the ec2:DeleteNetworkAclEntry action.',
      ),
    }),
    // a network admin role in another region: user is the role
    aclEntry({
      time: '2026-11-18T06:00:00Z',
      who: assumedRole('NetworkAdmin', 'jane'),
      egress: false,
      rule: 200,
      region: 'eu-central-1',
      ip: '10.1.0.8',
      agent: CONSOLE,
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const row = (
    user: string,
    agent: string,
    src: string,
    region: string,
    count: number,
    first: string,
    last: string,
  ) => ({
    signature: 'DeleteNetworkAclEntry',
    dest: 'ec2.amazonaws.com',
    user,
    user_agent: agent,
    src,
    vendor_account: ACCOUNT,
    vendor_region: region,
    vendor_product: 'AWS CloudTrail',
    count,
    firstTime: first,
    lastTime: last,
  });

  test('fires for inbound entry deletions, denied or not', async () => {
    expect(await runDetection(lake, d)).toEqual([
      row('NetworkAdmin', CONSOLE, '10.1.0.8', 'eu-central-1', 1, '2026-11-18T06:00:00', '2026-11-18T06:00:00'),
      row('bob', CONSOLE, '198.51.100.5', 'us-east-1', 1, '2026-11-18T21:00:00', '2026-11-18T21:00:00'),
      row('mallory', AGENT, '203.0.113.66', 'us-east-1', 2, '2026-11-18T20:00:00', '2026-11-18T20:01:00'),
    ]);
  });

  test('risk: the user and the source the message names', async () => {
    const rows = await runDetection(lake, d);
    const msg = (u: string, ip: string) =>
      `User ${u} from ${ip} has sucessfully deleted network ACLs entry, such that the instance is accessible from anywhere`;
    expect(risks(d, rows)).toEqual([
      ['NetworkAdmin', 'user', 5, msg('NetworkAdmin', '10.1.0.8'), ['ip_address:10.1.0.8']],
      ['bob', 'user', 5, msg('bob', '198.51.100.5'), ['ip_address:198.51.100.5']],
      ['mallory', 'user', 5, msg('mallory', '203.0.113.66'), ['ip_address:203.0.113.66']],
    ]);
  });
});
