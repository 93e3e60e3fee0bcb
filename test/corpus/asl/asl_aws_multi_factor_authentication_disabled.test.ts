/**
 * ASL AWS Multi-Factor Authentication Disabled (TTP, risk: user 64, threat: src):
 *   (api.operation=DeleteVirtualMFADevice OR api.operation=DeactivateMFADevice) | fillnull
 *   | stats count min(_time) max(_time) by actor.user.uid api.operation api.service.name
 *   http_request.user_agent src_endpoint.ip actor.user.account.uid cloud.provider cloud.region
 *   | rename ... | ctime
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_multi_factor_authentication_disabled.yml');
const mallory = iamUser('mallory');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // taking bob's MFA away takes two calls: deactivate, then delete the virtual device.
        // api.operation is a BY field: two rows ("Deactivate..." < "Delete...")
        asl({
          time: '2026-11-24T16:00:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.deleteVirtualMFADevice('bob'),
        }),
        asl({ time: '2026-11-24T15:59:00Z', who: mallory, ip: '203.0.113.50', call: calls.deactivateMFADevice('bob') }),
        // near misses: enabling and creating MFA devices
        asl({
          time: '2026-11-24T16:10:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.createVirtualMFADevice('mallory'),
        }),
        asl({ time: '2026-11-24T16:11:00Z', who: mallory, ip: '203.0.113.50', call: calls.enableMFADevice('mallory') }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('both ways of disabling MFA, one row each', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      standardRow({
        user: mallory.arn as string,
        action: 'DeactivateMFADevice',
        dest: 'iam.amazonaws.com',
        src: '203.0.113.50',
        count: 1,
        first: '2026-11-24T15:59:00',
      }),
      standardRow({
        user: mallory.arn as string,
        action: 'DeleteVirtualMFADevice',
        dest: 'iam.amazonaws.com',
        src: '203.0.113.50',
        count: 1,
        first: '2026-11-24T16:00:00',
      }),
    ]);
    const risk = {
      object: mallory.arn,
      type: 'user',
      score: 64,
      message: `User ${mallory.arn as string} has disabled Multi-Factor authentication`,
      threats: ['ip_address:203.0.113.50'],
    };
    expect(riskOf(detection, rows)).toEqual([risk, risk]);
  });

  test('nothing for enabling MFA', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ time: '2026-11-24T16:10:00Z', who: mallory, call: calls.createVirtualMFADevice('mallory') }),
        asl({ time: '2026-11-24T16:11:00Z', who: mallory, call: calls.enableMFADevice('mallory') }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
