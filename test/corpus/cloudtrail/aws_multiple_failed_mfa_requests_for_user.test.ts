/**
 * AWS Multiple Failed MFA Requests For User (ESCU, CloudTrail): failed ConsoleLogin events with
 * `additionalEventData.MFAUsed=Yes`, `bucket span=5m _time`, `dc(_raw) > 10` per bucket and user.
 * min/max(_time) run after the bucket, so firstTime and lastTime are both the bucket's start.
 * Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT } from '../../support/events.js';
import { BROWSER, consoleLogin, epoch, failedLogins, risks, signinUser } from '../../support/events-ct2.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_multiple_failed_mfa_requests_for_user.yml');
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

describe('AWS Multiple Failed MFA Requests For User', () => {
  const events = [
    // alice: 11 failed MFA sign-ins in 08:00-08:05, from two devices: just over, fires
    ...failedLogins(6, '2026-11-18T08:00:00Z', 30, { who: signinUser('alice'), mfa: 'Yes', ip: '203.0.113.10' }),
    ...failedLogins(5, '2026-11-18T08:00:10Z', 30, {
      who: signinUser('alice'),
      mfa: 'Yes',
      ip: '198.51.100.23',
      agent: PHONE,
    }),
    // ... and then she gets in: a success has no errorMessage: not counted
    consoleLogin({ time: '2026-11-18T08:04:00Z', who: signinUser('alice'), ok: true, mfa: 'Yes', ip: '203.0.113.10' }),
    // bob: exactly 10: no
    ...failedLogins(10, '2026-11-18T08:00:00Z', 20, { who: signinUser('bob'), mfa: 'Yes' }),
    // carol: 11 failures without MFA (wrong passwords): MFAUsed=No: no
    ...failedLogins(11, '2026-11-18T08:00:00Z', 20, { who: signinUser('carol'), mfa: 'No' }),
    // dave: 11 within two minutes, but 6 before 09:05 and 5 after: no
    ...failedLogins(11, '2026-11-18T09:04:00Z', 10, { who: signinUser('dave'), mfa: 'Yes' }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('fires above 10 failed MFA sign-ins in a 5-minute bucket', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      {
        _time: epoch('2026-11-18T08:00:00Z'),
        user: 'alice',
        signature: 'ConsoleLogin',
        vendor_account: ACCOUNT,
        vendor_region: 'us-east-1',
        vendor_product: 'AWS CloudTrail',
        errorMessage: 'Failed authentication',
        mfa_prompts: 11,
        // the bucketed _time, not the first and last attempt (08:00:00 and 08:02:30 before bucketing)
        firstTime: '2026-11-18T08:00:00',
        lastTime: '2026-11-18T08:00:00',
        user_agent: [BROWSER, PHONE],
        src: ['198.51.100.23', '203.0.113.10'],
        dest: ['signin.amazonaws.com'],
      },
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      '_time',
      'user',
      'signature',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'errorMessage',
      'mfa_prompts',
      'firstTime',
      'lastTime',
      'user_agent',
      'src',
      'dest',
    ]);
  });

  test('the near misses, counted: 10, and 6 + 5 across a bucket boundary', async () => {
    const { rows } = await runSearch(lake, d.search.replace('| where mfa_prompts > 10', '| search user!=alice'));
    expect(rows.map((r) => [r.user, r._time, r.mfa_prompts])).toEqual([
      ['bob', epoch('2026-11-18T08:00:00Z'), 10],
      ['dave', epoch('2026-11-18T09:00:00Z'), 6],
      ['dave', epoch('2026-11-18T09:05:00Z'), 5],
    ]);
  });

  test('risk: the user; the IPs as threat objects', async () => {
    const rows = await runDetection(lake, d);
    expect(risks(d, rows)).toEqual([
      [
        'alice',
        'user',
        64,
        'User alice is seen to have high number of MFA prompt failures within a short period of time.',
        ['ip_address:198.51.100.23', 'ip_address:203.0.113.10'],
      ],
    ]);
  });
});
