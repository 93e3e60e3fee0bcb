/**
 * ESCU "AWS UpdateLoginProfile" on CloudTrail events of our own. Expected rows worked out by
 * hand from Splunk semantics. Like AWS CreateAccessKey, the search means to keep updates of
 * *another* user's login profile, but `match(userIdentity.userName,requestParameters.userName)`
 * is written without quotes: in eval each dotted name is the `.` concatenation of two fields
 * that do not exist, so `match` is 0 for every event and every successful non-console
 * UpdateLoginProfile fires, one's own included. Parity keeps that; the compiler warns.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, assumedRole, ct, iamUser } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';
import { translateDetection } from '../../../src/translate/translate.js';

const detection = corpusDetection('cloudtrail', 'aws_updateloginprofile.yml');
const CLI = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64';
const EVIL = '203.0.113.50';

const update = (
  time: string,
  forUser: string,
  o: { who?: Record<string, unknown>; agent?: string; error?: string } = {},
) =>
  ct({
    time,
    name: 'UpdateLoginProfile',
    source: 'iam.amazonaws.com',
    who: o.who ?? iamUser('mallory'),
    ip: EVIL,
    agent: o.agent ?? CLI,
    request: { userName: forUser, passwordResetRequired: false },
    response: null,
    extra: o.error ? { errorCode: o.error, errorMessage: 'Login Profile for User bob cannot be found.' } : {},
  });

const fires = [
  update('2026-11-18T10:00:00Z', 'bob'),
  // mallory's own profile fires as well (the unquoted match() above)
  update('2026-11-18T10:30:00Z', 'mallory'),
  // an assumed role: user is the session issuer's (the role's) name
  update('2026-11-18T11:00:00Z', 'carol', { who: assumedRole('ops-admin', 'sess-9') }),
];
const quiet = [
  update('2026-11-18T12:00:00Z', 'bob', { agent: 'console.amazonaws.com' }),
  update('2026-11-18T12:05:00Z', 'bob', { error: 'NoSuchEntity' }),
  ct({
    time: '2026-11-18T12:10:00Z',
    name: 'GetLoginProfile',
    source: 'iam.amazonaws.com',
    who: iamUser('mallory'),
    ip: EVIL,
    agent: CLI,
    request: { userName: 'bob' },
  }),
];

const row = (user: string, count: number, first: string, last: string) => ({
  signature: 'UpdateLoginProfile',
  dest: 'iam.amazonaws.com',
  user,
  user_agent: CLI,
  src: EVIL,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
  count,
  firstTime: first,
  lastTime: last,
});

describe('AWS UpdateLoginProfile', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: [...fires, ...quiet] });
  });
  afterAll(() => lake.close());

  test("fires for every successful non-console update, one's own included", async () => {
    expect(await runDetection(lake, detection)).toEqual([
      row('mallory', 2, '2026-11-18T10:00:00', '2026-11-18T10:30:00'),
      row('ops-admin', 1, '2026-11-18T11:00:00', '2026-11-18T11:00:00'),
    ]);
  });

  test('does not fire from the console, on failures or on other calls', async () => {
    const only = await makeLake({ cloudtrail: quiet });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('the compiler names the content bug', () => {
    const w = translateDetection(detection, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' }).warnings.map(
      (x) => x.message,
    );
    expect(w.some((m) => m.startsWith('match(userIdentity.userName,requestParameters.userName) is never true'))).toBe(
      true,
    );
    expect(w.some((m) => m.startsWith('unquoted requestParameters.userName in eval is the . concatenation'))).toBe(
      true,
    );
  });
});
