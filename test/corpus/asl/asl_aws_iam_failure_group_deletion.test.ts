/**
 * ASL AWS IAM Failure Group Deletion (Anomaly, risk: user 5, threat: src):
 *   api.operation=DeleteGroup status=Failure http_request.user_agent!=*.amazonaws.com | fillnull
 *   | stats count min(_time) max(_time) by actor.user.uid api.operation api.service.name
 *     http_request.user_agent src_endpoint.ip actor.user.account.uid cloud.provider cloud.region
 *   | rename ... | ctime
 * Security Lake sets status Failure when CloudTrail has an errorCode.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, denied, riskOf, standardRow, viaService } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_iam_failure_group_deletion.yml');
const mallory = iamUser('mallory');
const eve = iamUser('eve');
const conflict = {
  code: 'DeleteConflictException',
  message: 'Cannot delete entity, must remove users from group first.',
};
const noSuch = { code: 'NoSuchEntityException', message: 'The group with name Admins cannot be found.' };
const cfn = viaService('cloudformation.amazonaws.com', 'cfn-exec');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // two failures of mallory's: one row, count 2
        asl({
          time: '2026-11-23T13:00:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.deleteGroup('Admins'),
          error: conflict,
        }),
        asl({
          time: '2026-11-23T13:02:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.deleteGroup('Admins'),
          error: noSuch,
        }),
        // eve, from the IAM console, whose calls carry the agent "AWS Internal": not *.amazonaws.com
        asl({
          time: '2026-11-23T13:05:00Z',
          who: eve,
          ip: '192.0.2.10',
          agent: 'AWS Internal',
          call: calls.deleteGroup('Developers'),
          error: denied('iam:DeleteGroup', eve.arn as string),
        }),
        // near misses: a deletion that worked, a failure of CloudFormation's (agent *.amazonaws.com),
        // a failure of another IAM call
        asl({ time: '2026-11-23T13:10:00Z', who: mallory, ip: '203.0.113.50', call: calls.deleteGroup('Interns') }),
        asl({ time: '2026-11-23T13:11:00Z', ...cfn, call: calls.deleteGroup('StackGroup'), error: conflict }),
        asl({
          time: '2026-11-23T13:12:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.deletePolicy('admin'),
          error: conflict,
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('failed deletions by people, one row per caller', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      standardRow({
        user: eve.arn as string,
        action: 'DeleteGroup',
        dest: 'iam.amazonaws.com',
        agent: 'AWS Internal',
        src: '192.0.2.10',
        count: 1,
        first: '2026-11-23T13:05:00',
      }),
      standardRow({
        user: mallory.arn as string,
        action: 'DeleteGroup',
        dest: 'iam.amazonaws.com',
        src: '203.0.113.50',
        count: 2,
        first: '2026-11-23T13:00:00',
        last: '2026-11-23T13:02:00',
      }),
    ]);
    expect(riskOf(detection, rows)).toEqual([
      {
        object: eve.arn,
        type: 'user',
        score: 5,
        message: `User ${eve.arn as string} has had mulitple failures while attempting to delete groups from 192.0.2.10`,
        threats: ['ip_address:192.0.2.10'],
      },
      {
        object: mallory.arn,
        type: 'user',
        score: 5,
        message: `User ${mallory.arn as string} has had mulitple failures while attempting to delete groups from 203.0.113.50`,
        threats: ['ip_address:203.0.113.50'],
      },
    ]);
  });

  test('nothing for a successful deletion or a service-made failure', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ time: '2026-11-23T13:10:00Z', who: mallory, ip: '203.0.113.50', call: calls.deleteGroup('Interns') }),
        asl({ time: '2026-11-23T13:11:00Z', ...cfn, call: calls.deleteGroup('StackGroup'), error: conflict }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
