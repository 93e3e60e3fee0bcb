/**
 * ESCU "AWS CreateLoginProfile" on CloudTrail events of our own: a CreateLoginProfile for a
 * user, joined (`join new_login_profile src_ip`) with that user's console logins from the same
 * IP. Expected rows worked out by hand from Splunk semantics.
 *
 * The subsearch groups by `aws_account_id`, which is not one of the add-on fields hunt maps
 * for aws:cloudtrail (../shared/SEMANTICS.md). stats drops every event whose BY field is
 * missing, so the subsearch has no rows, the inner join keeps nothing and the detection never
 * fires; the compiler warns. The join itself is tested on the same search without that BY
 * field.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Detection } from '../../../src/detections/model.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, ct, iamUser } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const upstream = corpusDetection('cloudtrail', 'aws_createloginprofile.yml');
const withoutAccountId: Detection = { ...upstream, search: upstream.search.replace(' aws_account_id ', ' ') };

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
  test('upstream never fires: the subsearch groups by aws_account_id, which no event has', async () => {
    expect(await run(attack, upstream)).toEqual([]);
    const w = translateDetection(upstream, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' }).warnings.map(
      (x) => x.message,
    );
    expect(w).toContain(
      'stats BY aws_account_id: no source field or earlier command defines aws_account_id, so every event is dropped and the search returns nothing',
    );
  });

  describe('the join, without that BY field', () => {
    let lake: TestLake;
    beforeAll(async () => {
      lake = await makeLake({ cloudtrail: [...attack, ...benign] });
    });
    afterAll(() => lake.close());

    test("fires when the user whose profile was created logs in from the creator's IP (at any time in the window)", async () => {
      const rows = await runDetection(lake, withoutAccountId);
      expect(rows).toEqual([
        {
          // the main row's table fields; the join fields are the main row's
          src_ip: X,
          eventName: 'CreateLoginProfile',
          new_login_profile: 'bob',
          'userIdentity.userName': 'mallory',
          // the login's fields from the subsearch
          eventSource: 'signin.amazonaws.com',
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
      expect(Object.keys(rows[0] ?? {}).slice(0, 5)).toEqual([
        'src_ip',
        'eventName',
        'new_login_profile',
        'userIdentity.userName',
        'eventSource',
      ]);
    });

    test('does not fire on a login from another IP or without a login', async () => {
      expect(await run(benign, withoutAccountId)).toEqual([]);
    });
  });
});
