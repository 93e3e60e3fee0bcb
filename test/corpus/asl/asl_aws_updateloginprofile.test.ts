/**
 * ASL AWS UpdateLoginProfile (TTP, risk: user 30, threat: src):
 *   api.operation=UpdateLoginProfile | fillnull | stats count min(_time) max(_time) by
 *   actor.user.uid api.operation api.service.name http_request.user_agent src_endpoint.ip
 *   actor.user.account.uid cloud.provider cloud.region | rename ... | ctime
 * The message says "of another user", but the search does not compare the caller with the
 * request's userName: a user resetting their own login profile is flagged too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, CONSOLE_AGENT, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_updateloginprofile.yml');
const bob = iamUser('bob');
const mallory = iamUser('mallory');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // mallory resets alice's console password (privilege escalation)
        asl({
          time: '2026-11-27T20:00:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.updateLoginProfile('alice'),
        }),
        // bob updates his own login profile: flagged as well
        asl({ time: '2026-11-27T08:00:00Z', who: bob, agent: CONSOLE_AGENT, call: calls.updateLoginProfile('bob') }),
        // near misses: creating a login profile, changing one's own password
        asl({
          time: '2026-11-27T20:01:00Z',
          who: mallory,
          ip: '203.0.113.50',
          call: calls.createLoginProfile('carol'),
        }),
        asl({ time: '2026-11-27T08:05:00Z', who: bob, agent: CONSOLE_AGENT, call: calls.changePassword() }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('every UpdateLoginProfile, whoever it is for', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      standardRow({
        user: bob.arn as string,
        action: 'UpdateLoginProfile',
        dest: 'iam.amazonaws.com',
        agent: CONSOLE_AGENT,
        src: '198.51.100.7',
        count: 1,
        first: '2026-11-27T08:00:00',
      }),
      standardRow({
        user: mallory.arn as string,
        action: 'UpdateLoginProfile',
        dest: 'iam.amazonaws.com',
        src: '203.0.113.50',
        count: 1,
        first: '2026-11-27T20:00:00',
      }),
    ]);
    expect(riskOf(detection, rows)).toEqual([
      {
        object: bob.arn,
        type: 'user',
        score: 30,
        message: `User ${bob.arn as string} from IP address 198.51.100.7 updated the login profile of another user`,
        threats: ['ip_address:198.51.100.7'],
      },
      {
        object: mallory.arn,
        type: 'user',
        score: 30,
        message: `User ${mallory.arn as string} from IP address 203.0.113.50 updated the login profile of another user`,
        threats: ['ip_address:203.0.113.50'],
      },
    ]);
  });

  test('nothing for CreateLoginProfile or ChangePassword', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ time: '2026-11-27T20:01:00Z', who: mallory, call: calls.createLoginProfile('carol') }),
        asl({ time: '2026-11-27T08:05:00Z', who: bob, call: calls.changePassword() }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
