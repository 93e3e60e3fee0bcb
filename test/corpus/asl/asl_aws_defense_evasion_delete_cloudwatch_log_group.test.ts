/**
 * ASL AWS Defense Evasion Delete CloudWatch Log Group (TTP, risk: user 90, threat: src):
 *   api.operation=DeleteLogGroup | fillnull | stats count min(_time) max(_time) by actor.user.uid
 *   api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 *   cloud.provider cloud.region | rename ... | ctime
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { assumedRole } from '../../support/events.js';
import { asl, calls, CONSOLE_AGENT, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_defense_evasion_delete_cloudwatch_log_group.yml');
const admin = assumedRole('Admin', 'mallory@example.com');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // two groups deleted from the console by the same session: one row, count 2
        asl({
          time: '2026-11-22T14:00:00Z',
          who: admin,
          ip: '203.0.113.8',
          agent: CONSOLE_AGENT,
          call: calls.deleteLogGroup('/aws/lambda/payments'),
        }),
        asl({
          time: '2026-11-22T14:02:00Z',
          who: admin,
          ip: '203.0.113.8',
          agent: CONSOLE_AGENT,
          call: calls.deleteLogGroup('/aws/cloudtrail/org'),
        }),
        // near misses: deleting one stream (the Impair Security Services hunt), creating a group
        asl({
          time: '2026-11-22T14:03:00Z',
          who: admin,
          ip: '203.0.113.8',
          agent: CONSOLE_AGENT,
          call: calls.deleteLogStream('/aws/eks/prod', 'kube-apiserver-audit'),
        }),
        asl({
          time: '2026-11-22T14:04:00Z',
          who: admin,
          ip: '203.0.113.8',
          agent: CONSOLE_AGENT,
          call: calls.createLogGroup('/tmp/decoy'),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('the deletions, grouped', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      standardRow({
        user: admin.arn as string,
        action: 'DeleteLogGroup',
        dest: 'logs.amazonaws.com',
        agent: CONSOLE_AGENT,
        src: '203.0.113.8',
        count: 2,
        first: '2026-11-22T14:00:00',
        last: '2026-11-22T14:02:00',
      }),
    ]);
    expect(riskOf(detection, rows)).toEqual([
      {
        object: admin.arn,
        type: 'user',
        score: 90,
        message: `User ${admin.arn as string} has deleted a CloudWatch logging group`,
        threats: ['ip_address:203.0.113.8'],
      },
    ]);
  });

  test('nothing for DeleteLogStream or CreateLogGroup', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({
          time: '2026-11-22T14:03:00Z',
          who: admin,
          call: calls.deleteLogStream('/aws/eks/prod', 'kube-apiserver-audit'),
        }),
        asl({ time: '2026-11-22T14:04:00Z', who: admin, call: calls.createLogGroup('/tmp/decoy') }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
