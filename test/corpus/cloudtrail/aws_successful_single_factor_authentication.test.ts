/**
 * AWS Successful Single-Factor Authentication (ESCU, CloudTrail): successful ConsoleLogin
 * (`errorCode=success`: the add-on's errorCode, `success` when ConsoleLogin is not Failure) with
 * `additionalEventData.MFAUsed=No`. Federated sign-ins (IAM Identity Center, SAML) report
 * MFAUsed=No because MFA happens at the identity provider: they fire too, under the role.
 * Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, rootUser, type Identity } from '../../support/events.js';
import { BROWSER, consoleLogin, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_successful_single_factor_authentication.yml');
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/119.0';
const SSO_ROLE = 'AWSReservedSSO_AdministratorAccess_0123456789abcdef';

/** A successful sign-in's identity carries the ARN (a failed one does not). */
const signedIn = (name: string): Identity => ({
  type: 'IAMUser',
  principalId: `AIDA${name.toUpperCase().padEnd(12, 'X')}`,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  accountId: ACCOUNT,
  userName: name,
});

/** An IAM Identity Center user in the console: an assumed role of the permission set. */
const ssoUser = (email: string): Identity => ({
  type: 'AssumedRole',
  principalId: `AROAEXAMPLESSO:${email}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${SSO_ROLE}/${email}`,
  accountId: ACCOUNT,
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLESSO',
      arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${SSO_ROLE}`,
      accountId: ACCOUNT,
      userName: SSO_ROLE,
    },
    attributes: { creationDate: '2026-11-18T08:30:00Z', mfaAuthenticated: 'false' },
  },
});

describe('AWS Successful Single-Factor Authentication', () => {
  const events = [
    // alice signs in with a password only, twice: one row, count 2
    consoleLogin({ time: '2026-11-18T08:00:00Z', who: signedIn('alice'), ok: true, mfa: 'No', ip: '198.51.100.23' }),
    consoleLogin({ time: '2026-11-18T13:00:00Z', who: signedIn('alice'), ok: true, mfa: 'No', ip: '198.51.100.23' }),
    // the root user without MFA: user is the ARN's tail
    consoleLogin({
      time: '2026-11-18T02:15:00Z',
      who: rootUser(),
      ok: true,
      mfa: 'No',
      ip: '203.0.113.66',
      agent: FIREFOX,
    }),
    // an Identity Center user: MFAUsed=No (MFA was at the IdP): fires under the permission-set role
    consoleLogin({
      time: '2026-11-18T08:30:05Z',
      who: ssoUser('jane@example.com'),
      ok: true,
      mfa: 'No',
      ip: '192.0.2.50',
    }),
    // bob with MFA: no
    consoleLogin({ time: '2026-11-18T08:10:00Z', who: signedIn('bob'), ok: true, mfa: 'Yes', ip: '198.51.100.24' }),
    // carol's wrong password: errorCode is failure: no
    consoleLogin({
      time: '2026-11-18T08:20:00Z',
      who: {
        type: 'IAMUser',
        principalId: 'AIDACAROLXXXXXXXX',
        accountId: ACCOUNT,
        accessKeyId: '',
        userName: 'carol',
      },
      ok: false,
      mfa: 'No',
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const row = (user: string, agent: string, src: string, count: number, first: string, last: string) => ({
    signature: 'ConsoleLogin',
    dest: 'signin.amazonaws.com',
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

  test('fires for successful password-only sign-ins', async () => {
    expect(await runDetection(lake, d)).toEqual([
      // upper case sorts first
      row(SSO_ROLE, BROWSER, '192.0.2.50', 1, '2026-11-18T08:30:05', '2026-11-18T08:30:05'),
      row('alice', BROWSER, '198.51.100.23', 2, '2026-11-18T08:00:00', '2026-11-18T13:00:00'),
      row('root', FIREFOX, '203.0.113.66', 1, '2026-11-18T02:15:00', '2026-11-18T02:15:00'),
    ]);
  });

  test('risk: the user and the source the message names', async () => {
    const rows = await runDetection(lake, d);
    const msg = (u: string, ip: string) =>
      `User ${u} has successfully logged into an AWS Console without Multi-Factor Authentication from ${ip}`;
    expect(risks(d, rows)).toEqual([
      [SSO_ROLE, 'user', 64, msg(SSO_ROLE, '192.0.2.50'), ['ip_address:192.0.2.50']],
      ['alice', 'user', 64, msg('alice', '198.51.100.23'), ['ip_address:198.51.100.23']],
      ['root', 'user', 64, msg('root', '203.0.113.66'), ['ip_address:203.0.113.66']],
    ]);
  });
});
