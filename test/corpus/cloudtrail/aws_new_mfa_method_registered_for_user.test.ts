/**
 * AWS New MFA Method Registered For User (ESCU, CloudTrail): IAM CreateVirtualMFADevice,
 * `rename userName as user`: the add-on's userName is the *caller*, so a device an attacker
 * creates for someone else is reported under the attacker's name (the device's owner is only in
 * the following EnableMFADevice). No errorCode filter: a failed creation counts. Expected rows
 * worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, iamUser, rootUser, type Identity } from '../../support/events.js';
import { failure, iamCall, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_new_mfa_method_registered_for_user.yml');
const CONSOLE = 'AWS Internal';
const mfaArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:mfa/${name}`;

const createDevice = (
  time: string,
  who: Identity,
  device: string,
  ip: string,
  agent?: string,
  error?: Record<string, unknown>,
): Record<string, unknown> =>
  iamCall(
    'CreateVirtualMFADevice',
    { virtualMFADeviceName: device, path: '/' },
    { virtualMFADevice: { serialNumber: mfaArn(device) } },
    {
      time,
      who,
      ip,
      ...(agent ? { agent } : {}),
      ...(error ? { error } : {}),
    },
  );
const enableDevice = (
  time: string,
  who: Identity,
  user: string,
  device: string,
  ip: string,
  agent?: string,
): Record<string, unknown> =>
  iamCall('EnableMFADevice', { userName: user, serialNumber: mfaArn(device) }, null, {
    time,
    who,
    ip,
    ...(agent ? { agent } : {}),
  });

describe('AWS New MFA Method Registered For User', () => {
  const alice = iamUser('alice');
  const mallory = iamUser('mallory');
  const events = [
    // alice enrols from the console; her first try failed (the name was taken): two events, one row
    createDevice(
      '2026-11-18T09:00:00Z',
      alice,
      'alice',
      '198.51.100.23',
      CONSOLE,
      failure('EntityAlreadyExistsException', 'MFADevice entity at the same path and name already exists.'),
    ),
    createDevice('2026-11-18T09:01:00Z', alice, 'alice-phone', '198.51.100.23', CONSOLE),
    enableDevice('2026-11-18T09:01:30Z', alice, 'alice', 'alice-phone', '198.51.100.23', CONSOLE),
    // mallory adds a device to bob's account with the CLI: the row names mallory, the caller
    createDevice('2026-11-18T22:00:00Z', mallory, 'bob-backup', '203.0.113.66'),
    enableDevice('2026-11-18T22:00:20Z', mallory, 'bob', 'bob-backup', '203.0.113.66'),
    // the root user: userName is the ARN's tail
    createDevice('2026-11-18T07:00:00Z', rootUser(), 'root-account-mfa-device', '192.0.2.10', CONSOLE),
    // removing a device is not registering one: no
    iamCall('DeactivateMFADevice', { userName: 'carol', serialNumber: mfaArn('carol') }, null, {
      time: '2026-11-18T23:00:00Z',
      who: mallory,
      ip: '203.0.113.66',
    }),
    iamCall('DeleteVirtualMFADevice', { serialNumber: mfaArn('carol') }, null, {
      time: '2026-11-18T23:00:10Z',
      who: mallory,
      ip: '203.0.113.66',
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const row = (user: string, agent: string, src: string, count: number, first: string, last: string) => ({
    signature: 'CreateVirtualMFADevice',
    dest: 'iam.amazonaws.com',
    user,
    user_agent: agent,
    src,
    vendor_account: ACCOUNT,
    vendor_region: 'us-east-1',
    vendor_product: 'AWS CloudTrail',
    count,
    firstTime: first,
    lastTime: last,
  });

  test('one row per caller, agent and source', async () => {
    expect(await runDetection(lake, d)).toEqual([
      row('alice', CONSOLE, '198.51.100.23', 2, '2026-11-18T09:00:00', '2026-11-18T09:01:00'),
      row(
        'mallory',
        'aws-cli/2.13.25 Python/3.11.5 Linux/6.2.0-1014-aws exe/x86_64.ubuntu.22 prompt/off command/iam.create-virtual-mfa-device',
        '203.0.113.66',
        1,
        '2026-11-18T22:00:00',
        '2026-11-18T22:00:00',
      ),
      row('root', CONSOLE, '192.0.2.10', 1, '2026-11-18T07:00:00', '2026-11-18T07:00:00'),
    ]);
  });

  test('risk: the caller as the user the message names', async () => {
    const rows = await runDetection(lake, d);
    expect(risks(d, rows)).toEqual([
      ['alice', 'user', 64, 'A new virtual device is added to user alice', ['ip_address:198.51.100.23']],
      ['mallory', 'user', 64, 'A new virtual device is added to user mallory', ['ip_address:203.0.113.66']],
      ['root', 'user', 64, 'A new virtual device is added to user root', ['ip_address:192.0.2.10']],
    ]);
  });
});
