/**
 * AWS High Number Of Failed Authentications From Ip (ESCU, CloudTrail): failed ConsoleLogin
 * events per 10-minute bucket and source IP (and account: an organisation trail splits a spray
 * over accounts), `dc(_raw) > 20`, the users tried as a multivalue field. The risk object is
 * that multivalue `user`: one risk event per user tried. Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT } from '../../support/events.js';
import { BROWSER, consoleLogin, epoch, failedLogins, plus, risks, signinUser } from '../../support/events-ct2.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_high_number_of_failed_authentications_from_ip.yml');
const SPRAY_AGENT = 'Go-http-client/1.1';
const OTHER_ACCOUNT = '444455556666';

/** One failed login per name in turn, `every` seconds apart, from one IP. */
function spray(
  ip: string,
  start: string,
  every: number,
  names: string[],
  account = ACCOUNT,
): Record<string, unknown>[] {
  return names.map((name, i) =>
    consoleLogin({
      time: plus(start, i * every),
      who: signinUser(name, account),
      ok: false,
      mfa: 'No',
      ip,
      agent: SPRAY_AGENT,
    }),
  );
}
const times = (n: number, names: string[]): string[] =>
  Array.from({ length: n }, (_, i) => names[i % names.length] as string);

describe('AWS High Number Of Failed Authentications From Ip', () => {
  const events = [
    // 192.0.2.99 sprays 21 attempts over four names, one unknown (hidden): just over, fires
    ...spray(
      '192.0.2.99',
      '2026-11-18T12:00:00Z',
      12,
      times(21, ['alice', 'bob', 'HIDDEN_DUE_TO_SECURITY_REASONS', 'carol']),
    ),
    // 203.0.113.10: exactly 20 on one user: no
    ...failedLogins(20, '2026-11-18T12:00:00Z', 10, { who: signinUser('alice'), mfa: 'No', ip: '203.0.113.10' }),
    // 198.51.100.77: 21 within four minutes, but 10 before 12:30 and 11 after: no
    ...spray('198.51.100.77', '2026-11-18T12:28:00Z', 12, times(21, ['bob', 'dave'])),
    // 203.0.113.200: 20 failures and then a success (the spray found a password): no
    ...spray('203.0.113.200', '2026-11-18T13:00:00Z', 5, times(20, ['erin', 'frank'])),
    consoleLogin({
      time: '2026-11-18T13:02:00Z',
      who: signinUser('frank'),
      ok: true,
      mfa: 'No',
      ip: '203.0.113.200',
      agent: SPRAY_AGENT,
    }),
    // 198.51.100.150 tries 22 names in one bucket, 11 in each of two accounts: two groups of 11: no
    ...spray('198.51.100.150', '2026-11-18T14:00:00Z', 10, times(11, ['gina', 'hal'])),
    ...spray('198.51.100.150', '2026-11-18T14:00:05Z', 10, times(11, ['gina', 'hal']), OTHER_ACCOUNT),
    // 192.0.2.99 again in the next hour: 25 on root from a browser, fires again
    ...failedLogins(25, '2026-11-18T15:40:00Z', 20, {
      who: {
        type: 'Root',
        principalId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:root`,
        accountId: ACCOUNT,
        accessKeyId: '',
      },
      mfa: 'No',
      ip: '192.0.2.99',
    }),
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

  test('fires above 20 failures from one IP in a 10-minute bucket, with every user tried', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      {
        _time: epoch('2026-11-18T12:00:00Z'),
        src: '192.0.2.99',
        ...common,
        failed_attempts: 21,
        // sorted byte-wise: upper case first
        user: ['HIDDEN_DUE_TO_SECURITY_REASONS', 'alice', 'bob', 'carol'],
        user_agent: [SPRAY_AGENT],
      },
      {
        _time: epoch('2026-11-18T15:40:00Z'),
        src: '192.0.2.99',
        ...common,
        failed_attempts: 25,
        user: ['root'],
        user_agent: [BROWSER],
      },
    ]);
  });

  test('the near misses, counted', async () => {
    const { rows } = await runSearch(
      lake,
      d.search.replace('| where failed_attempts > 20', '| search src!=192.0.2.99'),
    );
    expect(rows.map((r) => [r.src, r._time, r.vendor_account, r.failed_attempts])).toEqual([
      ['203.0.113.10', epoch('2026-11-18T12:00:00Z'), ACCOUNT, 20],
      ['198.51.100.77', epoch('2026-11-18T12:20:00Z'), ACCOUNT, 10],
      ['198.51.100.77', epoch('2026-11-18T12:30:00Z'), ACCOUNT, 11],
      ['203.0.113.200', epoch('2026-11-18T13:00:00Z'), ACCOUNT, 20],
      ['198.51.100.150', epoch('2026-11-18T14:00:00Z'), ACCOUNT, 11],
      ['198.51.100.150', epoch('2026-11-18T14:00:00Z'), OTHER_ACCOUNT, 11],
    ]);
  });

  test('risk: one event per user tried, the count and IP in the message', async () => {
    const rows = await runDetection(lake, d);
    const msg = (n: number) =>
      `Multiple failed console login attempts (Count: ${n}) against users from IP Address - 192.0.2.99`;
    expect(risks(d, rows)).toEqual([
      ['HIDDEN_DUE_TO_SECURITY_REASONS', 'user', 54, msg(21), []],
      ['alice', 'user', 54, msg(21), []],
      ['bob', 'user', 54, msg(21), []],
      ['carol', 'user', 54, msg(21), []],
      ['root', 'user', 54, msg(25), []],
    ]);
  });
});
