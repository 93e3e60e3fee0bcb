/**
 * ESCU "AWS CreateLoginProfile" on CloudTrail events of our own: a CreateLoginProfile for a
 * user, joined (`join new_login_profile src_ip`) with that user's console logins from the same
 * IP. Expected rows worked out by hand from Splunk semantics.
 *
 * The subsearch groups by `aws_account_id`, which the Splunk Add-on for AWS defines for
 * aws:cloudtrail (props.conf: recipientAccountId when an AWS account or service made the call,
 * else userIdentity.accountId), so console logins have it and the detection fires.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Detection } from '../../../src/detections/model.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, ct, iamUser } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { hunt, macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const upstream = corpusDetection('cloudtrail', 'aws_createloginprofile.yml');

const CLI = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const X = '203.0.113.50';
const Y = '198.51.100.20';

const createProfile = (time: string, forUser: string, ip: string) =>
  ct({
    time,
    name: 'CreateLoginProfile',
    source: 'iam.amazonaws.com',
    who: iamUser('mallory'),
    ip,
    agent: CLI,
    request: { userName: forUser, passwordResetRequired: false },
    response: {
      loginProfile: { userName: forUser, createDate: 'Nov 18, 2026 10:00:00 AM', passwordResetRequired: false },
    },
  });

const login = (time: string, user: string, ip: string) =>
  ct({
    time,
    name: 'ConsoleLogin',
    source: 'signin.amazonaws.com',
    who: { ...iamUser(user), accessKeyId: '' },
    ip,
    agent: BROWSER,
    request: null,
    response: { ConsoleLogin: 'Success' },
    extra: {
      eventType: 'AwsConsoleSignIn',
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'No' },
    },
  });

const bobLogin = login('2026-11-18T10:05:00Z', 'bob', X);
const attack = [createProfile('2026-11-18T10:00:00Z', 'bob', X), bobLogin];
const benign = [
  // erin's profile created from X, but erin logs in from Y
  createProfile('2026-11-18T12:00:00Z', 'erin', X),
  login('2026-11-18T12:10:00Z', 'erin', Y),
  // carol's profile, and no login by carol
  createProfile('2026-11-18T12:20:00Z', 'carol', Y),
  // a login by someone whose profile nobody created here
  login('2026-11-18T12:30:00Z', 'dave', Y),
];

async function run(events: object[], d: Detection): Promise<Record<string, unknown>[]> {
  const lake: TestLake = await makeLake({ cloudtrail: events });
  try {
    return await runDetection(lake, d);
  } finally {
    await lake.close();
  }
}

describe('AWS CreateLoginProfile', () => {
  test('compiles without warnings: aws_account_id is an add-on field', () => {
    const w = translateDetection(upstream, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' }).warnings;
    expect(w.map((x) => x.message)).toEqual([]);
  });

  describe('on a created profile and logins', () => {
    let lake: TestLake;
    beforeAll(async () => {
      lake = await makeLake({ cloudtrail: [...attack, ...benign] });
    });
    afterAll(() => lake.close());

    test("fires when the user whose profile was created logs in from the creator's IP (at any time in the window)", async () => {
      const rows = await runDetection(lake, upstream);
      expect(rows).toEqual([
        {
          // the main row's table fields; the join fields are the main row's
          src_ip: X,
          eventName: 'CreateLoginProfile',
          new_login_profile: 'bob',
          'userIdentity.userName': 'mallory',
          // the login's fields from the subsearch
          eventSource: 'signin.amazonaws.com',
          // an IAM user's login: the user's own account
          aws_account_id: ACCOUNT,
          errorCode: 'success',
          user_agent: BROWSER,
          eventID: bobLogin.eventID,
          awsRegion: 'us-east-1',
          'userIdentity.principalId': iamUser('bob').principalId,
          // user_arn, renamed
          user: `arn:aws:iam::${ACCOUNT}:user/bob`,
          dest: 'signin.amazonaws.com',
          vendor_account: ACCOUNT,
          vendor_region: 'us-east-1',
          vendor_product: 'AWS CloudTrail',
          count: 1,
          'values(eventName)': ['ConsoleLogin'],
          firstTime: '2026-11-18T10:05:00',
          lastTime: '2026-11-18T10:05:00',
        },
      ]);
      expect(Object.keys(rows[0] ?? {}).slice(0, 6)).toEqual([
        'src_ip',
        'eventName',
        'new_login_profile',
        'userIdentity.userName',
        'eventSource',
        'aws_account_id',
      ]);
    });

    test('does not fire on a login from another IP or without a login', async () => {
      expect(await run(benign, upstream)).toEqual([]);
    });
  });

  test("aws_account_id is the add-on's: recipientAccountId for a call by an AWS account or service, else the caller's account", async () => {
    const OTHER = '444455556666';
    const by = (time: string, who: Record<string, unknown>) =>
      ct({ time, name: 'AssumeRole', source: 'sts.amazonaws.com', who, extra: { recipientAccountId: OTHER } });
    const rows = await hunt(
      {
        cloudtrail: [
          by('2026-11-18T10:00:00Z', { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }),
          by('2026-11-18T10:01:00Z', { type: 'AWSAccount', accountId: ACCOUNT, principalId: 'AIDAEXAMPLE' }),
          by('2026-11-18T10:02:00Z', iamUser('alice')),
          // no type: not an AWS account or service, so the caller's account (none here)
          by('2026-11-18T10:03:00Z', {}),
        ],
      },
      '`cloudtrail` | table userIdentity.type aws_account_id',
    );
    expect(rows).toEqual([
      {},
      { 'userIdentity.type': 'IAMUser', aws_account_id: ACCOUNT },
      { 'userIdentity.type': 'AWSAccount', aws_account_id: OTHER },
      { 'userIdentity.type': 'AWSService', aws_account_id: OTHER },
    ]);
  });
});
