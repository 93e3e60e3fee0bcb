/**
 * ASL AWS Defense Evasion Update Cloudtrail (TTP, risk: user 90, threat: src):
 *   api.operation=UpdateTrail | fillnull | stats count min(_time) max(_time) by actor.user.uid
 *   api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 *   cloud.provider cloud.region | rename ... | ctime
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_defense_evasion_update_cloudtrail.yml');
const mallory = iamUser('mallory');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // mallory points the trail at a bucket of hers, in two regions: cloud.region is a BY
        // field, so two rows, sorted on it
        asl({
          time: '2026-11-21T09:00:00Z',
          who: mallory,
          ip: '203.0.113.50',
          region: 'us-west-2',
          call: calls.updateTrail('main', 'exfil-logs'),
        }),
        asl({
          time: '2026-11-21T09:01:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.updateTrail('main', 'exfil-logs'),
        }),
        asl({
          time: '2026-11-21T09:05:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.updateTrail('main', 'exfil-logs-2'),
        }),
        // near misses: creating a trail, reading trails
        asl({
          time: '2026-11-21T08:00:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.createTrail('shadow', 'exfil-logs'),
        }),
        asl({ time: '2026-11-21T08:01:00Z', who: mallory, ip: '203.0.113.50', call: calls.describeTrails() }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('one row per region of the updates', async () => {
    const rows = await runDetection(lake, detection);
    const row = (region: string, count: number, first: string, last: string) =>
      standardRow({
        user: mallory.arn as string,
        action: 'UpdateTrail',
        dest: 'cloudtrail.amazonaws.com',
        src: '203.0.113.50',
        region,
        count,
        first,
        last,
      });
    expect(rows).toEqual([
      row('us-east-1', 2, '2026-11-21T09:01:00', '2026-11-21T09:05:00'),
      row('us-west-2', 1, '2026-11-21T09:00:00', '2026-11-21T09:00:00'),
    ]);
    const message = `User ${mallory.arn as string} has updated a cloudtrail logging for account id 111122223333 from IP 203.0.113.50`;
    expect(riskOf(detection, rows)).toEqual([
      { object: mallory.arn, type: 'user', score: 90, message, threats: ['ip_address:203.0.113.50'] },
      { object: mallory.arn, type: 'user', score: 90, message, threats: ['ip_address:203.0.113.50'] },
    ]);
  });

  test('nothing for CreateTrail or DescribeTrails', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ time: '2026-11-21T08:00:00Z', who: mallory, call: calls.createTrail('shadow', 'exfil-logs') }),
        asl({ time: '2026-11-21T08:01:00Z', who: mallory, call: calls.describeTrails() }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
