/**
 * ASL AWS IAM Delete Policy (Hunting, no risk objects):
 *   api.operation=DeletePolicy | fillnull | stats count min(_time) max(_time) by actor.user.uid
 *   api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 *   cloud.provider cloud.region | rename ... | ctime
 * Managed policies only: deleting an inline policy is DeleteUserPolicy / DeleteRolePolicy.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_iam_delete_policy.yml');
const alice = iamUser('alice');
const bob = iamUser('bob');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        asl({ time: '2026-11-23T10:00:00Z', who: bob, ip: '198.51.100.40', call: calls.deletePolicy('ci-deploy') }),
        // a DeletePolicy IAM refused (the policy is still attached) is still a DeletePolicy event
        asl({
          time: '2026-11-23T10:05:00Z',
          who: alice,
          call: calls.deletePolicy('SecurityAudit-custom'),
          error: { code: 'DeleteConflictException', message: 'Cannot delete a policy attached to entities.' },
        }),
        // near misses: inline policy deletion, detaching a managed policy
        asl({ time: '2026-11-23T10:06:00Z', who: alice, call: calls.deleteUserPolicy('bob', 'inline-s3') }),
        asl({ time: '2026-11-23T10:07:00Z', who: alice, call: calls.detachUserPolicy('bob', 'SecurityAudit-custom') }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('every DeletePolicy call, refused ones too', async () => {
    expect(await runDetection(lake, detection)).toEqual([
      standardRow({
        user: alice.arn as string,
        action: 'DeletePolicy',
        dest: 'iam.amazonaws.com',
        src: '198.51.100.7',
        count: 1,
        first: '2026-11-23T10:05:00',
      }),
      standardRow({
        user: bob.arn as string,
        action: 'DeletePolicy',
        dest: 'iam.amazonaws.com',
        src: '198.51.100.40',
        count: 1,
        first: '2026-11-23T10:00:00',
      }),
    ]);
  });

  test('nothing for inline policy deletion or detaching', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ time: '2026-11-23T10:06:00Z', who: alice, call: calls.deleteUserPolicy('bob', 'inline-s3') }),
        asl({ time: '2026-11-23T10:07:00Z', who: alice, call: calls.detachUserPolicy('bob', 'SecurityAudit-custom') }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
