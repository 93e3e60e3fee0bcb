/**
 * ASL AWS Network Access Control List Created with All Open Ports (TTP, risk: user 48, threat: src):
 *   api.operation=CreateNetworkAclEntry OR api.operation=ReplaceNetworkAclEntry status=Success
 *   | spath input=api.request.data path=ruleAction output=ruleAction | ... egress | ... aclProtocol
 *   | ... cidrBlock | ... networkAclId
 *   | search ruleAction=allow AND egress=false AND aclProtocol=-1 AND cidrBlock=0.0.0.0/0
 *   | fillnull | stats count min(_time) max(_time) by actor.user.uid api.operation api.service.name
 *     http_request.user_agent src_endpoint.ip actor.user.account.uid cloud.provider cloud.region
 *     networkAclId cidrBlock
 *   | rename ... | ctime
 * OR binds tighter than AND: (Create OR Replace) AND status=Success. egress is a JSON boolean,
 * which Splunk reads as the text "false".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { type AclEntry, asl, calls, ec2Error, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_network_access_control_list_created_with_all_open_ports.yml');
const mallory = iamUser('mallory');
const at = { who: mallory, ip: '203.0.113.50' };
const open = (networkAclId: string, ruleNumber = 100): AclEntry => ({
  networkAclId,
  ruleNumber,
  egress: false,
  ruleAction: 'allow',
  aclProtocol: '-1',
  cidrBlock: '0.0.0.0/0',
});

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        asl({ ...at, time: '2026-11-24T02:00:00Z', call: calls.createNetworkAclEntry(open('acl-0a1b2c3d4e5f6a7b8')) }),
        asl({ ...at, time: '2026-11-24T02:01:00Z', call: calls.replaceNetworkAclEntry(open('acl-0c1d2e3f4a5b6c7d8')) }),
        // a failed create: status Failure (were AND tighter than OR, this one would match)
        asl({
          ...at,
          time: '2026-11-24T02:02:00Z',
          call: calls.createNetworkAclEntry(open('acl-0e1f2a3b4c5d6e7f8')),
          error: ec2Error('NetworkAclEntryAlreadyExists', 'The network acl entry identified by 100 already exists.'),
        }),
        // near misses, one condition off each
        asl({
          ...at,
          time: '2026-11-24T02:03:00Z',
          call: calls.createNetworkAclEntry({ ...open('acl-0a1b2c3d4e5f6a7b8', 110), egress: true }),
        }),
        asl({
          ...at,
          time: '2026-11-24T02:04:00Z',
          call: calls.createNetworkAclEntry({ ...open('acl-0a1b2c3d4e5f6a7b8', 120), ruleAction: 'deny' }),
        }),
        asl({
          ...at,
          time: '2026-11-24T02:05:00Z',
          call: calls.createNetworkAclEntry({
            ...open('acl-0a1b2c3d4e5f6a7b8', 130),
            aclProtocol: '6',
            portRange: { from: 22, to: 22 },
          }),
        }),
        asl({
          ...at,
          time: '2026-11-24T02:06:00Z',
          call: calls.createNetworkAclEntry({ ...open('acl-0a1b2c3d4e5f6a7b8', 140), cidrBlock: '10.0.0.0/16' }),
        }),
        // IPv6 everywhere: the entry has ipv6CidrBlock and no cidrBlock
        asl({
          ...at,
          time: '2026-11-24T02:07:00Z',
          call: calls.createNetworkAclEntry({
            networkAclId: 'acl-0a1b2c3d4e5f6a7b8',
            ruleNumber: 150,
            egress: false,
            ruleAction: 'allow',
            aclProtocol: '-1',
            ipv6CidrBlock: '::/0',
          }),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('allow-all ingress entries that were created or replaced', async () => {
    const rows = await runDetection(lake, detection);
    const row = (action: string, networkAclId: string, time: string) => ({
      ...standardRow({
        user: mallory.arn as string,
        action,
        dest: 'ec2.amazonaws.com',
        src: '203.0.113.50',
        count: 1,
        first: time,
      }),
      networkAclId,
      cidrBlock: '0.0.0.0/0',
    });
    expect(rows).toEqual([
      row('CreateNetworkAclEntry', 'acl-0a1b2c3d4e5f6a7b8', '2026-11-24T02:00:00'),
      row('ReplaceNetworkAclEntry', 'acl-0c1d2e3f4a5b6c7d8', '2026-11-24T02:01:00'),
    ]);
    const risk = {
      object: mallory.arn,
      type: 'user',
      score: 48,
      message: `User ${mallory.arn as string} has created network ACLs with all the ports opens to 0.0.0.0/0`,
      threats: ['ip_address:203.0.113.50'],
    };
    expect(riskOf(detection, rows)).toEqual([risk, risk]);
  });

  test('nothing when one condition is off or the call failed', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({
          ...at,
          time: '2026-11-24T02:02:00Z',
          call: calls.createNetworkAclEntry(open('acl-0e1f2a3b4c5d6e7f8')),
          error: ec2Error('NetworkAclEntryAlreadyExists', 'The network acl entry identified by 100 already exists.'),
        }),
        asl({
          ...at,
          time: '2026-11-24T02:03:00Z',
          call: calls.createNetworkAclEntry({ ...open('acl-0a1b2c3d4e5f6a7b8', 110), egress: true }),
        }),
        asl({
          ...at,
          time: '2026-11-24T02:06:00Z',
          call: calls.replaceNetworkAclEntry({ ...open('acl-0a1b2c3d4e5f6a7b8', 140), cidrBlock: '10.0.0.0/16' }),
        }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
