/**
 * ASL AWS Network Access Control List Deleted (Anomaly, risk: user 5, threat: src):
 *   api.operation=DeleteNetworkAclEntry status=Success
 *   | spath input=api.request.data path=egress output=egress
 *   | spath input=api.request.data path=networkAclId output=networkAclId | search egress=false
 *   | fillnull | stats count min(_time) max(_time) by actor.user.uid api.operation api.service.name
 *     http_request.user_agent src_endpoint.ip actor.user.account.uid cloud.provider cloud.region
 *     networkAclId
 *   | rename ... | ctime
 * Ingress entries only (egress=false: the JSON boolean read as text).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, ec2Error, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_network_access_control_list_deleted.yml');
const mallory = iamUser('mallory');
const at = { who: mallory, ip: '203.0.113.50' };

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // two ingress rules of one ACL removed: networkAclId is a BY field, so one row, count 2
        asl({
          ...at,
          time: '2026-11-25T04:00:00Z',
          call: calls.deleteNetworkAclEntry('acl-0a1b2c3d4e5f6a7b8', 100, false),
        }),
        asl({
          ...at,
          time: '2026-11-25T04:01:00Z',
          call: calls.deleteNetworkAclEntry('acl-0a1b2c3d4e5f6a7b8', 110, false),
        }),
        asl({
          ...at,
          time: '2026-11-25T04:02:00Z',
          call: calls.deleteNetworkAclEntry('acl-0c1d2e3f4a5b6c7d8', 100, false),
        }),
        // near misses: an egress rule, a deletion that failed
        asl({
          ...at,
          time: '2026-11-25T04:03:00Z',
          call: calls.deleteNetworkAclEntry('acl-0a1b2c3d4e5f6a7b8', 100, true),
        }),
        asl({
          ...at,
          time: '2026-11-25T04:04:00Z',
          call: calls.deleteNetworkAclEntry('acl-0a1b2c3d4e5f6a7b8', 999, false),
          error: ec2Error('InvalidNetworkAclEntry.NotFound', 'The network acl entry identified by 999 does not exist.'),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('successful ingress entry deletions, per ACL', async () => {
    const rows = await runDetection(lake, detection);
    const row = (networkAclId: string, count: number, first: string, last = first) => ({
      ...standardRow({
        user: mallory.arn as string,
        action: 'DeleteNetworkAclEntry',
        dest: 'ec2.amazonaws.com',
        src: '203.0.113.50',
        count,
        first,
        last,
      }),
      networkAclId,
    });
    expect(rows).toEqual([
      row('acl-0a1b2c3d4e5f6a7b8', 2, '2026-11-25T04:00:00', '2026-11-25T04:01:00'),
      row('acl-0c1d2e3f4a5b6c7d8', 1, '2026-11-25T04:02:00'),
    ]);
    const risk = {
      object: mallory.arn,
      type: 'user',
      score: 5,
      message: `User ${mallory.arn as string} from 203.0.113.50 has sucessfully deleted network ACLs entry.`,
      threats: ['ip_address:203.0.113.50'],
    };
    expect(riskOf(detection, rows)).toEqual([risk, risk]);
  });

  test('nothing for egress entries or failed deletions', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({
          ...at,
          time: '2026-11-25T04:03:00Z',
          call: calls.deleteNetworkAclEntry('acl-0a1b2c3d4e5f6a7b8', 100, true),
        }),
        asl({
          ...at,
          time: '2026-11-25T04:04:00Z',
          call: calls.deleteNetworkAclEntry('acl-0a1b2c3d4e5f6a7b8', 999, false),
          error: ec2Error('InvalidNetworkAclEntry.NotFound', 'The network acl entry identified by 999 does not exist.'),
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
