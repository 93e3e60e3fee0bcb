/**
 * ASL AWS New MFA Method Registered For User (TTP, risk: user 64, threat: src):
 *   api.operation=CreateVirtualMFADevice | fillnull | stats count min(_time) max(_time) by
 *   actor.user.uid api.operation api.service.name http_request.user_agent src_endpoint.ip
 *   actor.user.account.uid cloud.provider cloud.region | rename ... | ctime
 * `user` is the caller (actor.user.uid), not the user the device is for.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, CONSOLE_AGENT, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_new_mfa_method_registered_for_user.yml');
const alice = iamUser('alice');
const mallory = iamUser('mallory');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // mallory registers a device of hers on bob's account, and one for herself
        asl({
          time: '2026-11-25T11:00:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.createVirtualMFADevice('bob'),
        }),
        asl({
          time: '2026-11-25T11:30:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.createVirtualMFADevice('mallory'),
        }),
        // alice sets up her own from the console
        asl({
          time: '2026-11-25T09:00:00Z',
          who: alice,
          agent: CONSOLE_AGENT,
          call: calls.createVirtualMFADevice('alice'),
        }),
        // near misses: enabling the device (the second step of registration), deleting one
        asl({ time: '2026-11-25T09:01:00Z', who: alice, agent: CONSOLE_AGENT, call: calls.enableMFADevice('alice') }),
        asl({
          time: '2026-11-25T11:40:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.deleteVirtualMFADevice('carol'),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('every virtual MFA device created, per caller', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      standardRow({
        user: alice.arn as string,
        action: 'CreateVirtualMFADevice',
        dest: 'iam.amazonaws.com',
        agent: CONSOLE_AGENT,
        src: '198.51.100.7',
        count: 1,
        first: '2026-11-25T09:00:00',
      }),
      standardRow({
        user: mallory.arn as string,
        action: 'CreateVirtualMFADevice',
        dest: 'iam.amazonaws.com',
        src: '203.0.113.50',
        count: 2,
        first: '2026-11-25T11:00:00',
        last: '2026-11-25T11:30:00',
      }),
    ]);
    expect(riskOf(detection, rows)).toEqual([
      {
        object: alice.arn,
        type: 'user',
        score: 64,
        message: `A new virtual device is added to user ${alice.arn as string}`,
        threats: ['ip_address:198.51.100.7'],
      },
      {
        object: mallory.arn,
        type: 'user',
        score: 64,
        message: `A new virtual device is added to user ${mallory.arn as string}`,
        threats: ['ip_address:203.0.113.50'],
      },
    ]);
  });

  test('nothing for EnableMFADevice or DeleteVirtualMFADevice', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ time: '2026-11-25T09:01:00Z', who: alice, call: calls.enableMFADevice('alice') }),
        asl({ time: '2026-11-25T11:40:00Z', who: mallory, call: calls.deleteVirtualMFADevice('carol') }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
