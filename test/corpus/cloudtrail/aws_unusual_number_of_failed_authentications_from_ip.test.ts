/**
 * ESCU "AWS Unusual Number of Failed Authentications From Ip" on CloudTrail events of our own.
 * Expected rows worked out by hand from Splunk semantics: failed console logins, per 10-minute
 * bucket and source IP, counted as distinct raw events (dc(_raw)); eventstats adds the bucket's
 * mean and sample standard deviation over all IPs to every row; an IP fires when it has more
 * than 10 attempts and at least mean + 3 standard deviations.
 *
 * With n IPs, one IP can be at most (n-1)/sqrt(n) sample deviations above the mean, which
 * passes 3 only from n = 11: the events below have eleven IPs in one bucket.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, ct } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_unusual_number_of_failed_authentications_from_ip.yml');
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const EVIL = '203.0.113.50';

const attempt = (time: string, user: string, ip: string, ok = false) =>
  ct({
    time,
    name: 'ConsoleLogin',
    source: 'signin.amazonaws.com',
    who: {
      type: 'IAMUser',
      principalId: `AIDA${user.toUpperCase()}`,
      accountId: ACCOUNT,
      accessKeyId: '',
      userName: user,
    },
    ip,
    agent: BROWSER,
    request: null,
    response: { ConsoleLogin: ok ? 'Success' : 'Failure' },
    extra: {
      eventType: 'AwsConsoleSignIn',
      ...(ok ? {} : { errorMessage: 'Failed authentication' }),
      additionalEventData: { MFAUsed: 'No' },
    },
  });

const pad = (n: number) => String(n).padStart(2, '0');
/** ten other IPs, one failure each, in the 10:00-10:10 bucket */
const background = Array.from({ length: 10 }, (_, i) =>
  attempt(`2026-11-18T10:0${i % 10}:${pad(i)}Z`, `user${i}`, `198.51.100.${i + 1}`),
);
/** `n` failures from EVIL against five users, in the same bucket */
const spray = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    attempt(`2026-11-18T10:0${i % 10}:${pad(30 + (i % 30))}Z`, `target${i % 5}`, EVIL),
  );
const bucket = Date.parse('2026-11-18T10:00:00Z') / 1000;

async function run(events: object[]): Promise<Record<string, unknown>[]> {
  const lake: TestLake = await makeLake({ cloudtrail: events });
  try {
    return await runDetection(lake, detection);
  } finally {
    await lake.close();
  }
}

describe('AWS Unusual Number of Failed Authentications From Ip', () => {
  let lake: TestLake;
  // 20 failures from EVIL; a successful login and a later bucket change nothing
  const events = [
    ...background,
    ...spray(20),
    attempt('2026-11-18T10:03:00Z', 'target0', EVIL, true),
    attempt('2026-11-18T10:15:00Z', 'user0', '198.51.100.1'),
  ];
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('fires for the IP far above the other IPs of its bucket', async () => {
    // the 10:00 bucket: counts 20 and ten 1s
    const counts = [20, ...Array<number>(10).fill(1)];
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const std = Math.sqrt(counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (counts.length - 1));
    const rows = await runDetection(lake, detection);
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({
      _time: bucket,
      src: EVIL,
      distinct_attempts: 20,
      tried_accounts: ['target0', 'target1', 'target2', 'target3', 'target4'],
      // eventName renamed to action, eventSource to dest
      action: ['ConsoleLogin'],
      dest: ['signin.amazonaws.com'],
      vendor_account: [ACCOUNT],
      vendor_region: ['us-east-1'],
      vendor_product: ['AWS CloudTrail'],
      user_agent: [BROWSER],
      isOutlier: 1,
    });
    expect(row.avg_attempts).toBeCloseTo(mean, 9);
    expect(row.ip_std).toBeCloseTo(std, 9);
    expect(row.upperBound).toBeCloseTo(mean + 3 * std, 9);
    expect(Object.keys(row)).toEqual([
      '_time',
      'src',
      'distinct_attempts',
      'tried_accounts',
      'action',
      'dest',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'user_agent',
      'avg_attempts',
      'ip_std',
      'upperBound',
      'isOutlier',
    ]);
  });

  test('does not fire at 10 attempts (it needs more than 10), nor without failures', async () => {
    expect(await run([...background, ...spray(10)])).toEqual([]);
    expect(await run([attempt('2026-11-18T10:00:00Z', 'alice', EVIL, true)])).toEqual([]);
  });

  test('does not fire when the bucket has too few IPs for 3 deviations', async () => {
    // 50 failures, but with four other IPs the outlier is at most 4/sqrt(5) deviations above the mean
    expect(await run([...background.slice(0, 4), ...spray(50)])).toEqual([]);
  });
});
