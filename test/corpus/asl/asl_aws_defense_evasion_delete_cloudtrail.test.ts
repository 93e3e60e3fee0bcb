/**
 * ASL AWS Defense Evasion Delete Cloudtrail (TTP, risk: user 90, threat: src):
 *   api.operation=DeleteTrail | fillnull | stats count min(_time) max(_time) by actor.user.uid
 *   api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 *   cloud.provider cloud.region | rename ... | ctime
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser, rootUser } from '../../support/events.js';
import { asl, calls, riskOf, standardRow, viaService } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_defense_evasion_delete_cloudtrail.yml');
const mallory = iamUser('mallory');
const root = rootUser();
const cfn = viaService('cloudformation.amazonaws.com', 'cfn-exec');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        asl({
          time: '2026-11-19T03:14:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.deleteTrail('management-events'),
        }),
        asl({ time: '2026-11-19T03:16:30Z', who: mallory, ip: '203.0.113.50', call: calls.deleteTrail('org-trail') }),
        // the root user, in another region
        asl({
          time: '2026-11-19T05:00:00Z',
          who: root,
          ip: '198.51.100.20',
          region: 'eu-west-1',
          call: calls.deleteTrail('eu-trail'),
        }),
        // CloudFormation deleting a stack's trail: no source IP (src_endpoint.domain instead);
        // other results have src_endpoint.ip, so fillnull gives it "0" and stats keeps it
        asl({ time: '2026-11-19T06:00:00Z', ...cfn, call: calls.deleteTrail('stack-trail') }),
        // near misses: stopping (not deleting) a trail, reading trails
        asl({
          time: '2026-11-19T03:10:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.stopLogging('management-events'),
        }),
        asl({ time: '2026-11-19T03:09:00Z', who: mallory, ip: '203.0.113.50', call: calls.describeTrails() }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('one row per caller; a call without source IP gets src "0" from fillnull', async () => {
    const got = await runDetection(lake, detection);
    expect(got).toEqual([
      standardRow({
        user: root.arn as string,
        action: 'DeleteTrail',
        dest: 'cloudtrail.amazonaws.com',
        src: '198.51.100.20',
        region: 'eu-west-1',
        count: 1,
        first: '2026-11-19T05:00:00',
      }),
      // ":root" sorts before ":user/mallory"
      standardRow({
        user: mallory.arn as string,
        action: 'DeleteTrail',
        dest: 'cloudtrail.amazonaws.com',
        src: '203.0.113.50',
        count: 2,
        first: '2026-11-19T03:14:00',
        last: '2026-11-19T03:16:30',
      }),
      // arn:aws:sts sorts after arn:aws:iam
      standardRow({
        user: cfn.who?.arn as string,
        action: 'DeleteTrail',
        dest: 'cloudtrail.amazonaws.com',
        agent: 'cloudformation.amazonaws.com',
        src: '0',
        count: 1,
        first: '2026-11-19T06:00:00',
      }),
    ]);
    expect(riskOf(detection, got)).toEqual([
      {
        object: root.arn,
        type: 'user',
        score: 90,
        message: `User ${root.arn as string} has deleted CloudTrail logging`,
        threats: ['ip_address:198.51.100.20'],
      },
      {
        object: mallory.arn,
        type: 'user',
        score: 90,
        message: `User ${mallory.arn as string} has deleted CloudTrail logging`,
        threats: ['ip_address:203.0.113.50'],
      },
      {
        object: cfn.who?.arn,
        type: 'user',
        score: 90,
        message: `User ${cfn.who?.arn as string} has deleted CloudTrail logging`,
        threats: ['ip_address:0'],
      },
    ]);
  });

  test('fillnull fills only fields some result has: service calls alone are dropped by stats BY src_endpoint.ip', async () => {
    const only = await makeLake({
      ocsf: [asl({ time: '2026-11-19T06:00:00Z', ...cfn, call: calls.deleteTrail('stack-trail') })],
    });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });
});
