/**
 * ESCU "AWS Console Login Failed During MFA Challenge" on CloudTrail events of our own. Expected
 * rows are worked out by hand from Splunk semantics (../shared/SEMANTICS.md): a ConsoleLogin whose
 * errorMessage is "Failed authentication" and whose additionalEventData.MFAUsed is "Yes" is a
 * right password and a wrong (or no) MFA code; grouped by signature dest user user_agent src
 * vendor_account vendor_region vendor_product additionalEventData.MFAUsed errorMessage.
 * A failed sign-in records no ARN: user_name is userIdentity.userName, and for root the ARN tail.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT } from '../../support/events.js';
import { AGENT, consoleLogin } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_console_login_failed_during_mfa_challenge.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';
const rootFailed = {
  type: 'Root',
  principalId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  accountId: ACCOUNT,
  accessKeyId: '',
};

const events = [
  // alice: right password, wrong MFA code, twice
  consoleLogin({ time: '2026-11-18T09:00:00Z', user: 'alice', ip: EVIL, mfaUsed: 'Yes', result: 'Failure' }),
  consoleLogin({ time: '2026-11-18T09:01:30Z', user: 'alice', ip: EVIL, mfaUsed: 'Yes', result: 'Failure' }),
  // root, same failure at the MFA step: user from the ARN tail
  consoleLogin({
    time: '2026-11-18T09:10:00Z',
    user: 'root',
    who: rootFailed,
    ip: EVIL,
    mfaUsed: 'Yes',
    result: 'Failure',
  }),
  // near misses: a wrong password (MFA not reached), a success with MFA, an unknown user name
  consoleLogin({ time: '2026-11-18T08:59:00Z', user: 'alice', ip: EVIL, mfaUsed: 'No', result: 'Failure' }),
  consoleLogin({ time: '2026-11-18T09:30:00Z', user: 'alice', ip: HOME, mfaUsed: 'Yes', result: 'Success' }),
  consoleLogin({
    time: '2026-11-18T09:20:00Z',
    user: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    ip: EVIL,
    mfaUsed: 'No',
    result: 'Failure',
    errorMessage: 'No username found in supplied account',
  }),
];

const common = { signature: 'ConsoleLogin', dest: 'signin.amazonaws.com' };
const rest = {
  user_agent: AGENT.browser,
  src: EVIL,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
  'additionalEventData.MFAUsed': 'Yes',
  errorMessage: 'Failed authentication',
};

describe('AWS Console Login Failed During MFA Challenge', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('failures at the MFA step, per user', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        ...common,
        user: 'alice',
        ...rest,
        count: 2,
        firstTime: '2026-11-18T09:00:00',
        lastTime: '2026-11-18T09:01:30',
      },
      { ...common, user: 'root', ...rest, count: 1, firstTime: '2026-11-18T09:10:00', lastTime: '2026-11-18T09:10:00' },
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'signature',
      'dest',
      'user',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'additionalEventData.MFAUsed',
      'errorMessage',
      'count',
      'firstTime',
      'lastTime',
    ]);
  });

  test('nothing on a wrong password, a success, or an unknown user', async () => {
    const only = await makeLake({ cloudtrail: events.slice(3) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, with the message fields and the src threat object present', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T10:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message, r.threat_objects])).toEqual([
      [
        'alice',
        64,
        `User alice failed to pass MFA challenge while logging into console from ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'root',
        64,
        `User root failed to pass MFA challenge while logging into console from ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
