/**
 * AWS High Number Of Failed Authentications For User (ESCU, CloudTrail): failed ConsoleLogin
 * events (`action=failure`: the add-on's action, from responseElements.ConsoleLogin=Failure),
 * `bucket span=10m _time`, `dc(_raw)` per 10-minute bucket and user, `where failed_attempts > 20`.
 * (The description says 5 minutes; the SPL buckets by 10.) Buckets are fixed, so 21 failures
 * in 7 minutes across a boundary do not fire. Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, rootUser } from '../../support/events.js';
import { BROWSER, consoleLogin, epoch, failedLogins, risks, signinUser } from '../../support/events-ct2.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_high_number_of_failed_authentications_for_user.yml');
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/119.0';

describe('AWS High Number Of Failed Authentications For User', () => {
  const alice = signinUser('alice');
  const events = [
    // alice: 21 failures in 10:00-10:10 from two IPs (11 + 10): just over, fires
    ...failedLogins(11, '2026-11-18T10:00:00Z', 30, { who: alice, mfa: 'No', ip: '203.0.113.10' }),
    ...failedLogins(10, '2026-11-18T10:00:15Z', 30, { who: alice, mfa: 'No', ip: '198.51.100.77', agent: FIREFOX }),
    // bob: exactly 20 in one bucket: no
    ...failedLogins(20, '2026-11-18T10:20:00Z', 20, { who: signinUser('bob'), mfa: 'No' }),
    // carol: 21 within 7 minutes, but 11 fall in 10:50-11:00 and 10 in 11:00-11:10: no
    ...failedLogins(21, '2026-11-18T10:56:20Z', 20, { who: signinUser('carol'), mfa: 'No' }),
    // dave: 20 failures, then the password works: a success is not action=failure: no
    ...failedLogins(20, '2026-11-18T11:10:00Z', 15, { who: signinUser('dave'), mfa: 'No' }),
    consoleLogin({ time: '2026-11-18T11:16:00Z', who: signinUser('dave'), ok: true, mfa: 'No' }),
    // names that are no IAM user are logged hidden: 22 of them are one "user"
    ...failedLogins(22, '2026-11-18T12:00:00Z', 10, {
      who: signinUser('HIDDEN_DUE_TO_SECURITY_REASONS'),
      mfa: 'No',
      ip: '192.0.2.99',
    }),
    // the root user: user_name is the ARN's tail, root
    ...failedLogins(21, '2026-11-18T13:20:00Z', 15, { who: rootUser(), mfa: 'No', ip: '192.0.2.99' }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const common = {
    signature: 'ConsoleLogin',
    dest: 'signin.amazonaws.com',
    vendor_account: ACCOUNT,
    vendor_region: 'us-east-1',
    vendor_product: 'AWS CloudTrail',
  };

  test('fires above 20 failures in a 10-minute bucket; rows by bucket time, then user', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      {
        _time: epoch('2026-11-18T10:00:00Z'),
        user: 'alice',
        ...common,
        failed_attempts: 21,
        src: ['198.51.100.77', '203.0.113.10'],
        user_agent: [BROWSER, FIREFOX],
      },
      {
        _time: epoch('2026-11-18T12:00:00Z'),
        user: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        ...common,
        failed_attempts: 22,
        src: ['192.0.2.99'],
        user_agent: [BROWSER],
      },
      {
        _time: epoch('2026-11-18T13:20:00Z'),
        user: 'root',
        ...common,
        failed_attempts: 21,
        src: ['192.0.2.99'],
        user_agent: [BROWSER],
      },
    ]);
    // no firstTime/lastTime: the search never makes them, so ctime has nothing to convert
    expect(Object.keys(rows[0] ?? {})).toEqual([
      '_time',
      'user',
      'signature',
      'dest',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'failed_attempts',
      'src',
      'user_agent',
    ]);
  });

  test('the near misses, counted: 20, and 11 + 10 across a bucket boundary', async () => {
    const { rows } = await runSearch(
      lake,
      d.search.replace('| where failed_attempts > 20', '| search user IN (bob, carol, dave)'),
    );
    expect(rows.map((r) => [r.user, r._time, r.failed_attempts])).toEqual([
      ['bob', epoch('2026-11-18T10:20:00Z'), 20],
      ['carol', epoch('2026-11-18T10:50:00Z'), 11],
      ['carol', epoch('2026-11-18T11:00:00Z'), 10],
      ['dave', epoch('2026-11-18T11:10:00Z'), 20],
    ]);
  });

  test('risk: the user and the account the message names; no threat objects', async () => {
    const rows = await runDetection(lake, d);
    const msg = (u: string) =>
      `User ${u} failed to authenticate more than 20 times in the span of 5 minutes for AWS Account ${ACCOUNT}`;
    expect(risks(d, rows)).toEqual([
      ['alice', 'user', 35, msg('alice'), []],
      ['HIDDEN_DUE_TO_SECURITY_REASONS', 'user', 35, msg('HIDDEN_DUE_TO_SECURITY_REASONS'), []],
      ['root', 'user', 35, msg('root'), []],
    ]);
  });
});
