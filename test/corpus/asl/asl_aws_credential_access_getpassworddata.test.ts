/**
 * ASL AWS Credential Access GetPasswordData (Anomaly, risk: user 49, threat: src):
 *   api.operation=GetPasswordData | spath input=api.request.data | fillnull | stats count
 *   min(_time) max(_time) by actor.user.uid api.operation api.service.name http_request.user_agent
 *   src_endpoint.ip actor.user.account.uid cloud.provider cloud.region instanceId | rename ... | ctime
 * instanceId comes from the request JSON (spath without a path extracts every key).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_credential_access_getpassworddata.yml');
const mallory = iamUser('mallory');
const eve = iamUser('eve');
const ec2Denied = {
  code: 'Client.UnauthorizedOperation',
  message: 'You are not authorized to perform this operation. Encoded authorization failure message: Xk9...',
};

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // the same instance twice: one row, count 2
        asl({
          time: '2026-11-18T10:00:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.getPasswordData('i-0aaa1111bbbb2222c'),
        }),
        asl({
          time: '2026-11-18T10:01:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.getPasswordData('i-0aaa1111bbbb2222c'),
        }),
        // another instance: instanceId is a BY field
        asl({
          time: '2026-11-18T10:02:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.getPasswordData('i-0bbb3333cccc4444d'),
        }),
        // a refused call is a GetPasswordData event too (the search ignores status)
        asl({
          time: '2026-11-18T10:03:00Z',
          who: eve,
          ip: '192.0.2.10',
          call: calls.getPasswordData('i-0aaa1111bbbb2222c'),
          error: ec2Denied,
        }),
        // near miss: listing instances
        asl({ time: '2026-11-18T09:59:00Z', who: mallory, ip: '203.0.113.50', call: calls.describeInstances() }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('one row per caller and instance', async () => {
    const row = (user: string, src: string, instanceId: string, count: number, first: string, last = first) => ({
      ...standardRow({ user, action: 'GetPasswordData', dest: 'ec2.amazonaws.com', src, count, first, last }),
      instanceId,
    });
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      row(eve.arn as string, '192.0.2.10', 'i-0aaa1111bbbb2222c', 1, '2026-11-18T10:03:00'),
      row(
        mallory.arn as string,
        '203.0.113.50',
        'i-0aaa1111bbbb2222c',
        2,
        '2026-11-18T10:00:00',
        '2026-11-18T10:01:00',
      ),
      row(mallory.arn as string, '203.0.113.50', 'i-0bbb3333cccc4444d', 1, '2026-11-18T10:02:00'),
    ]);
    const risk = (arn: string, ip: string) => ({
      object: arn,
      type: 'user',
      score: 49,
      message: `User ${arn} is seen to make \`GetPasswordData\` API calls`,
      threats: [`ip_address:${ip}`],
    });
    expect(riskOf(detection, rows)).toEqual([
      risk(eve.arn as string, '192.0.2.10'),
      risk(mallory.arn as string, '203.0.113.50'),
      risk(mallory.arn as string, '203.0.113.50'),
    ]);
  });

  test('nothing for DescribeInstances', async () => {
    const quiet = await makeLake({
      ocsf: [asl({ time: '2026-11-18T09:59:00Z', who: mallory, call: calls.describeInstances() })],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
