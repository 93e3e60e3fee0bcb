/**
 * ESCU "AWS CreateAccessKey" on CloudTrail events of our own. Expected rows worked out by hand
 * from Splunk semantics. The search means to keep keys created for *another* user, but
 * `match(userIdentity.userName,requestParameters.userName)` is written without quotes: in eval
 * each dotted name is the `.` concatenation of two fields, `userIdentity` and
 * `requestParameters` are no fields, so match() is null, `match` is 0 for every event and every
 * successful non-console CreateAccessKey fires, a key for oneself included. Parity keeps that;
 * the compiler warns.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, ct, iamUser } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';
import { translateDetection } from '../../../src/translate/translate.js';

const detection = corpusDetection('cloudtrail', 'aws_createaccesskey.yml');
const CLI = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64';
const A = '203.0.113.50';
const B = '198.51.100.20';

const createKey = (time: string, forUser: string, o: { ip?: string; agent?: string; error?: string } = {}) =>
  ct({
    time,
    name: 'CreateAccessKey',
    source: 'iam.amazonaws.com',
    who: iamUser('alice'),
    ip: o.ip ?? A,
    agent: o.agent ?? CLI,
    request: { userName: forUser },
    response: o.error
      ? null
      : {
          accessKey: {
            userName: forUser,
            accessKeyId: 'AKIAEXAMPLE',
            status: 'Active',
            createDate: 'Nov 18, 2026 10:00:00 AM',
          },
        },
    extra: o.error
      ? { errorCode: o.error, errorMessage: 'User is not authorized to perform: iam:CreateAccessKey' }
      : {},
  });

const fires = [
  // a key for another user: what the search is for
  createKey('2026-11-18T10:00:00Z', 'bob'),
  createKey('2026-11-18T10:05:00Z', 'carol'),
  // a key for herself fires too (the unquoted match() above), from another source: its own row
  createKey('2026-11-18T11:00:00Z', 'alice', { ip: B }),
];
const quiet = [
  // from the console
  createKey('2026-11-18T12:00:00Z', 'bob', { agent: 'console.amazonaws.com' }),
  // failed
  createKey('2026-11-18T12:05:00Z', 'bob', { error: 'AccessDenied' }),
  // another IAM call
  ct({
    time: '2026-11-18T12:10:00Z',
    name: 'ListAccessKeys',
    source: 'iam.amazonaws.com',
    who: iamUser('alice'),
    ip: A,
    agent: CLI,
    request: { userName: 'bob' },
  }),
];

const row = (src: string, count: number, first: string, last: string) => ({
  signature: 'CreateAccessKey',
  dest: 'iam.amazonaws.com',
  user: 'alice',
  user_agent: CLI,
  src,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
  count,
  firstTime: first,
  lastTime: last,
});

describe('AWS CreateAccessKey', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: [...fires, ...quiet] });
  });
  afterAll(() => lake.close());

  test('fires for every successful non-console CreateAccessKey, a key for oneself included', async () => {
    // groups sorted by their BY values as text: src 198.51.100.20 before 203.0.113.50
    expect(await runDetection(lake, detection)).toEqual([
      row(B, 1, '2026-11-18T11:00:00', '2026-11-18T11:00:00'),
      row(A, 2, '2026-11-18T10:00:00', '2026-11-18T10:05:00'),
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
    expect(w).toContain(
      "unquoted userIdentity.userName in eval is the . concatenation of the fields userIdentity and userName, and userIdentity is not a field, so it is always empty; 'userIdentity.userName' (single quotes) would read the field (a content bug: hunt keeps Splunk's result)",
    );
    expect(w).toContain(
      'match(userIdentity.userName,requestParameters.userName) is never true: its text and its regex are always empty, so it is null for every event (if() takes its else branch, where drops the event)',
    );
  });
});
