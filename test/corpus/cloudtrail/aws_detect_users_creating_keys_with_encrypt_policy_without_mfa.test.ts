/**
 * ESCU "AWS Detect Users creating keys with encrypt policy without MFA" on CloudTrail events of
 * our own. Expected rows are worked out by hand from Splunk semantics (../shared/SEMANTICS.md):
 * - `spath input=requestParameters.policy path=Statement{}` reads the key policy (CloudTrail logs
 *   it as the JSON text sent) and gives each statement as compact JSON; mvexpand a row each;
 * - `path=Action` is the Action as written: a string, or (an array) its compact JSON text;
 *   `path=Action{}` the array's elements; mvappend joins both, so for an array Action
 *   key_policy_action holds the JSON text *and* each action;
 * - `path=Principal.AWS` is the AWS principal: a string, or an array's compact JSON text; a
 *   statement with `"Principal": "*"` (a string) or only a Service principal has none;
 * - `key_policy_action="kms:Encrypt"` matches when any value equals it, case-insensitively;
 *   `key_policy_principal="*"` is a wildcard: any AWS principal at all, not the literal "*";
 * - stats BY a multivalue field makes a group of each value, so one statement whose Action is
 *   ["kms:Encrypt","kms:GenerateDataKey"] gives three rows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, iamUser } from '../../support/events.js';
import {
  AGENT,
  call,
  createKey,
  keyId,
  keyPolicy,
  putKeyPolicy,
  rootAdminStatement,
} from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_detect_users_creating_keys_with_encrypt_policy_without_mfa.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';
const OUTSIDE = 'arn:aws:iam::999988887777:root';
const PARTNER = 'arn:aws:iam::444455556666:root';
const mallory = iamUser('mallory');
const bob = iamUser('bob');

const events = [
  // mallory: a key anyone may encrypt with (Principal {"AWS": "*"}, an array Action)
  createKey({
    time: '2026-11-18T10:00:00Z',
    who: mallory,
    ip: EVIL,
    key: keyId(1),
    policy: keyPolicy([
      rootAdminStatement,
      {
        Sid: 'Encrypt for all',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: '*',
      },
    ]),
  }),
  // mallory hands an existing key to an outside account (the ransomware pattern), a string Action
  putKeyPolicy({
    time: '2026-11-18T10:10:00Z',
    who: mallory,
    ip: EVIL,
    key: keyId(2),
    policy: keyPolicy([
      rootAdminStatement,
      { Sid: 'Outside', Effect: 'Allow', Principal: { AWS: OUTSIDE }, Action: 'kms:Encrypt', Resource: '*' },
    ]),
  }),
  // bob: lower-case action (matches: search values are case-insensitive), two principals
  putKeyPolicy({
    time: '2026-11-18T11:00:00Z',
    who: bob,
    ip: HOME,
    agent: AGENT.boto3,
    key: keyId(3),
    policy: keyPolicy([
      { Effect: 'Allow', Principal: { AWS: [OUTSIDE, PARTNER] }, Action: 'kms:encrypt', Resource: '*' },
    ]),
  }),
  // near misses:
  // - `"Principal": "*"` is a string: there is no Principal.AWS to match
  createKey({
    time: '2026-11-18T10:20:00Z',
    who: mallory,
    ip: EVIL,
    key: keyId(4),
    policy: keyPolicy([{ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' }]),
  }),
  // - a service principal only
  createKey({
    time: '2026-11-18T10:21:00Z',
    who: mallory,
    ip: EVIL,
    key: keyId(5),
    policy: keyPolicy([
      {
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: '*',
      },
    ]),
  }),
  // - kms:* is not the value kms:Encrypt
  createKey({
    time: '2026-11-18T10:22:00Z',
    who: mallory,
    ip: EVIL,
    key: keyId(6),
    policy: keyPolicy([{ ...rootAdminStatement, Principal: { AWS: OUTSIDE } }]),
  }),
  // - no policy: KMS applies the default one, and CloudTrail logs none
  createKey({ time: '2026-11-18T10:23:00Z', who: mallory, ip: EVIL, key: keyId(7) }),
  // - another KMS call
  call('kms.amazonaws.com', {
    time: '2026-11-18T10:24:00Z',
    name: 'ScheduleKeyDeletion',
    who: mallory,
    ip: EVIL,
    request: { keyId: keyId(1), pendingWindowInDays: 7 },
  }),
];

const place = (ip: string, agent: string = AGENT.cli) => ({
  user_agent: agent,
  src: ip,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
});
const row = (
  signature: string,
  user: string,
  ip: string,
  action: string,
  principal: string,
  time: string,
  agent?: string,
) => ({
  signature,
  dest: 'kms.amazonaws.com',
  user,
  ...place(ip, agent),
  key_policy_action: action,
  key_policy_principal: principal,
  count: 1,
  firstTime: time,
  lastTime: time,
});

describe('AWS Detect Users creating keys with encrypt policy without MFA', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('statements granting kms:Encrypt to an AWS principal, one row per action value', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      // CreateKey: the array Action's JSON text and each of its actions; groups sort as text ("[" < "k")
      row('CreateKey', 'mallory', EVIL, '["kms:Encrypt","kms:GenerateDataKey"]', '*', '2026-11-18T10:00:00'),
      row('CreateKey', 'mallory', EVIL, 'kms:Encrypt', '*', '2026-11-18T10:00:00'),
      row('CreateKey', 'mallory', EVIL, 'kms:GenerateDataKey', '*', '2026-11-18T10:00:00'),
      // the principal array is one value: its compact JSON text
      row(
        'PutKeyPolicy',
        'bob',
        HOME,
        'kms:encrypt',
        JSON.stringify([OUTSIDE, PARTNER]),
        '2026-11-18T11:00:00',
        AGENT.boto3,
      ),
      row('PutKeyPolicy', 'mallory', EVIL, 'kms:Encrypt', OUTSIDE, '2026-11-18T10:10:00'),
    ]);
  });

  test('nothing for string or service principals, kms:*, or the default policy', async () => {
    const only = await makeLake({ cloudtrail: events.slice(3) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user named in the message', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T12:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message, r.threat_objects])).toEqual([
      ...Array.from({ length: 3 }, () => [
        'mallory',
        25,
        'AWS account is potentially compromised and user mallory is trying to compromise other accounts.',
        [],
      ]),
      ['bob', 25, 'AWS account is potentially compromised and user bob is trying to compromise other accounts.', []],
      [
        'mallory',
        25,
        'AWS account is potentially compromised and user mallory is trying to compromise other accounts.',
        [],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
