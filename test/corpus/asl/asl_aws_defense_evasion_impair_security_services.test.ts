/**
 * ASL AWS Defense Evasion Impair Security Services (Hunting, no risk objects):
 *   api.operation IN ("DeleteLogStream","DeleteDetector","DeleteIPSet","DeleteWebACL","DeleteRule",
 *   "DeleteRuleGroup","DeleteLoggingConfiguration","DeleteAlarms") | fillnull | stats count
 *   min(_time) max(_time) by actor.user.uid api.operation api.service.name http_request.user_agent
 *   src_endpoint.ip actor.user.account.uid cloud.provider cloud.region | rename ... | ctime
 * The list names operations, not services: EventBridge's DeleteRule matches as WAF's would.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_defense_evasion_impair_security_services.yml');
const mallory = iamUser('mallory');
const at = { who: mallory, ip: '203.0.113.50' };

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        asl({ ...at, time: '2026-11-28T01:00:00Z', call: calls.deleteDetector('12abc34d567e8fa901bc2d34e56789f0') }),
        asl({ ...at, time: '2026-11-28T01:01:00Z', call: calls.deleteAlarms('root-login', 'cloudtrail-changes') }),
        asl({
          ...at,
          time: '2026-11-28T01:02:00Z',
          call: calls.deleteLogStream('/aws/eks/prod', 'kube-apiserver-audit'),
        }),
        asl({ ...at, time: '2026-11-28T01:03:00Z', call: calls.deleteLogStream('/aws/eks/prod', 'authenticator') }),
        asl({ ...at, time: '2026-11-28T01:04:00Z', call: calls.deleteWebACL('edge-protection') }),
        asl({ ...at, time: '2026-11-28T01:05:00Z', call: calls.deleteEventRule('guardduty-findings-to-sns') }),
        // near misses: disabling (not deleting) the detector, deleting a whole log group (another
        // detection), a delete that is not in the list
        asl({ ...at, time: '2026-11-28T01:06:00Z', call: calls.updateDetector('12abc34d567e8fa901bc2d34e56789f0') }),
        asl({ ...at, time: '2026-11-28T01:07:00Z', call: calls.deleteLogGroup('/aws/eks/prod') }),
        asl({ ...at, time: '2026-11-28T01:08:00Z', call: calls.deletePolicy('guardduty-admin') }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('one row per listed operation (a BY field), in operation order', async () => {
    const row = (action: string, dest: string, count: number, first: string, last = first) =>
      standardRow({ user: mallory.arn as string, action, dest, src: '203.0.113.50', count, first, last });
    expect(await runDetection(lake, detection)).toEqual([
      row('DeleteAlarms', 'monitoring.amazonaws.com', 1, '2026-11-28T01:01:00'),
      row('DeleteDetector', 'guardduty.amazonaws.com', 1, '2026-11-28T01:00:00'),
      row('DeleteLogStream', 'logs.amazonaws.com', 2, '2026-11-28T01:02:00', '2026-11-28T01:03:00'),
      row('DeleteRule', 'events.amazonaws.com', 1, '2026-11-28T01:05:00'),
      row('DeleteWebACL', 'wafv2.amazonaws.com', 1, '2026-11-28T01:04:00'),
    ]);
  });

  test('nothing for operations outside the list', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ ...at, time: '2026-11-28T01:06:00Z', call: calls.updateDetector('12abc34d567e8fa901bc2d34e56789f0') }),
        asl({ ...at, time: '2026-11-28T01:07:00Z', call: calls.deleteLogGroup('/aws/eks/prod') }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
