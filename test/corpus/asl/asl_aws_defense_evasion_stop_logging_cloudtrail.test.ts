/**
 * ASL AWS Defense Evasion Stop Logging Cloudtrail (TTP, risk: user 90, threat: src):
 *   api.operation=StopLogging | fillnull | stats count min(_time) max(_time) by actor.user.uid
 *   api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 *   cloud.provider cloud.region | rename ... | ctime
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { assumedRole, iamUser } from '../../support/events.js';
import { asl, calls, denied, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_defense_evasion_stop_logging_cloudtrail.yml');
const OTHER = '444455556666';
// stolen instance-role credentials used from outside
const stolen = assumedRole('ops-automation', 'i-0a1b2c3d4e5f67890');
const ops = iamUser('ops', OTHER);

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        asl({
          time: '2026-11-20T01:00:00Z',
          who: stolen,
          ip: '203.0.113.77',
          call: calls.stopLogging('management-events'),
        }),
        // another account's user: vendor_account is actor.user.account.uid
        asl({ time: '2026-11-20T02:00:00Z', who: ops, ip: '198.51.100.30', call: calls.stopLogging('audit') }),
        // a denied attempt: the search does not look at status, so it counts the same
        asl({
          time: '2026-11-20T02:10:00Z',
          who: ops,
          ip: '198.51.100.30',
          call: calls.stopLogging('audit'),
          error: denied('cloudtrail:StopLogging', ops.arn as string),
        }),
        // near misses: starting logging again, deleting the trail
        asl({ time: '2026-11-20T03:00:00Z', who: ops, ip: '198.51.100.30', call: calls.startLogging('audit') }),
        asl({
          time: '2026-11-20T03:05:00Z',
          who: stolen,
          ip: '203.0.113.77',
          call: calls.deleteTrail('management-events'),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('each caller that stopped a trail, with the account and address the message names', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      standardRow({
        user: ops.arn as string,
        action: 'StopLogging',
        dest: 'cloudtrail.amazonaws.com',
        src: '198.51.100.30',
        account: OTHER,
        count: 2,
        first: '2026-11-20T02:00:00',
        last: '2026-11-20T02:10:00',
      }),
      standardRow({
        user: stolen.arn as string,
        action: 'StopLogging',
        dest: 'cloudtrail.amazonaws.com',
        src: '203.0.113.77',
        count: 1,
        first: '2026-11-20T01:00:00',
      }),
    ]);
    expect(riskOf(detection, rows)).toEqual([
      {
        object: ops.arn,
        type: 'user',
        score: 90,
        message: `User ${ops.arn as string} has stopped Cloudtrail logging for account id ${OTHER} from IP 198.51.100.30`,
        threats: ['ip_address:198.51.100.30'],
      },
      {
        object: stolen.arn,
        type: 'user',
        score: 90,
        message: `User ${stolen.arn as string} has stopped Cloudtrail logging for account id 111122223333 from IP 203.0.113.77`,
        threats: ['ip_address:203.0.113.77'],
      },
    ]);
  });

  test('nothing for StartLogging or DeleteTrail alone', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ time: '2026-11-20T03:00:00Z', who: ops, call: calls.startLogging('audit') }),
        asl({ time: '2026-11-20T03:05:00Z', who: stolen, call: calls.deleteTrail('management-events') }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
