/**
 * ASL AWS Create Access Key (Hunting, no risk objects):
 *   api.operation=CreateAccessKey | fillnull | stats count min(_time) max(_time) by actor.user.uid
 *   api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 *   cloud.provider cloud.region | rename ... | ctime
 * Every CreateAccessKey call, failed ones too (the search does not look at status), one row per
 * caller / agent / address.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { asl, calls, CLI_AGENT, CONSOLE_AGENT, denied } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_create_access_key.yml');
const alice = iamUser('alice');
const mallory = iamUser('mallory');
const admin = assumedRole('Admin', 'dana');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // alice makes keys for bob twice from the CLI: one group, count 2
        asl({ time: '2026-11-18T10:00:00Z', who: alice, call: calls.createAccessKey('bob') }),
        asl({ time: '2026-11-18T10:20:00Z', who: alice, call: calls.createAccessKey('bob') }),
        // ... and once from the console: another user agent, another row
        asl({ time: '2026-11-18T10:30:00Z', who: alice, agent: CONSOLE_AGENT, call: calls.createAccessKey('erin') }),
        // a role session creating a key for carol
        asl({ time: '2026-11-18T11:00:00Z', who: admin, ip: '203.0.113.9', call: calls.createAccessKey('carol') }),
        // a denied attempt still is a CreateAccessKey event: the search does not filter on status
        asl({
          time: '2026-11-18T12:00:00Z',
          who: mallory,
          ip: '192.0.2.66',
          call: calls.createAccessKey('root-backup'),
          error: denied('iam:CreateAccessKey', mallory.arn as string),
        }),
        // near misses: other IAM credential calls
        asl({ time: '2026-11-18T12:05:00Z', who: mallory, ip: '192.0.2.66', call: calls.createLoginProfile('bob') }),
        asl({ time: '2026-11-18T12:06:00Z', who: mallory, ip: '192.0.2.66', call: calls.updateLoginProfile('bob') }),
      ],
    });
  });
  afterAll(() => lake.close());

  const row = (user: string, agent: string, src: string, count: number, firstTime: string, lastTime: string) => ({
    user,
    action: 'CreateAccessKey',
    dest: 'iam.amazonaws.com',
    user_agent: agent,
    src,
    vendor_account: ACCOUNT,
    vendor_product: 'AWS',
    vendor_region: 'us-east-1',
    count,
    firstTime,
    lastTime,
  });

  test('one row per caller, agent and address, sorted by the BY fields', async () => {
    expect(await runDetection(lake, detection)).toEqual([
      // same actor: sorted on the next BY field, the user agent ("Mozilla" < "aws-cli")
      row(alice.arn as string, CONSOLE_AGENT, '198.51.100.7', 1, '2026-11-18T10:30:00', '2026-11-18T10:30:00'),
      row(alice.arn as string, CLI_AGENT, '198.51.100.7', 2, '2026-11-18T10:00:00', '2026-11-18T10:20:00'),
      row(mallory.arn as string, CLI_AGENT, '192.0.2.66', 1, '2026-11-18T12:00:00', '2026-11-18T12:00:00'),
      // arn:aws:sts sorts after arn:aws:iam
      row(admin.arn as string, CLI_AGENT, '203.0.113.9', 1, '2026-11-18T11:00:00', '2026-11-18T11:00:00'),
    ]);
  });

  test('nothing without CreateAccessKey', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({ time: '2026-11-18T12:05:00Z', who: mallory, call: calls.createLoginProfile('bob') }),
        asl({ time: '2026-11-18T12:06:00Z', who: mallory, call: calls.listUsers() }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
