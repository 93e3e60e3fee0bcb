/**
 * ASL AWS Concurrent Sessions From Different Ips (Anomaly, risk: user 42, threat: src):
 *   api.operation=DescribeEventAggregates src_endpoint.domain!="AWS Internal" | bin span=5m _time
 *   | stats min(_time) as firstTime max(_time) as lastTime values(api.operation) as api.operation
 *     values(api.service.name) as api.service.name values(http_request.user_agent) as http_request.user_agent
 *     values(src_endpoint.ip) as src_ip values(actor.user.account.uid) as actor.user.account.uid
 *     values(cloud.provider) as cloud.provider values(cloud.region) as cloud.region
 *     dc(src_endpoint.ip) as distinct_ip_count by _time actor.user.uid
 *   | where distinct_ip_count > 1 | rename ... src_endpoint.ip as src ... | ctime
 *
 * Upstream content bug: it can never fire on Security Lake data. The CloudTrail version filters
 * `src_ip!="AWS Internal"` (sourceIPAddress, always there); the ASL port filters
 * src_endpoint.domain instead. Security Lake maps sourceIPAddress to src_endpoint.ip when it is an
 * address and to src_endpoint.domain when it is a name (`AWS Internal`, `*.amazonaws.com`): never
 * both (the OCSF CloudTrail mapping's conditional `src_endpoint.ip/src_endpoint.domain`). And
 * `f!=v` matches only events that have f. So the filter keeps only calls made from a service name,
 * which have no src_endpoint.ip: dc(src_endpoint.ip) is 0 and `distinct_ip_count > 1` never holds.
 * The column exists, so the translation cannot see this (no warning): it is a fact of the data.
 * Second bug: after stats the IPs are src_ip; there is no src_endpoint.ip left to rename to
 * `src`, so the threat object `src` is never set.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, iamUser } from '../../support/events.js';
import { asl, calls, CONSOLE_AGENT, type Obj, riskOf } from '../../support/events-asl.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_concurrent_sessions_from_different_ips.yml');
const alice = iamUser('alice');
const bob = iamUser('bob');
const carol = iamUser('carol');
const dave = iamUser('dave');
const health = (who: Obj, time: string, ip: string): Obj =>
  asl({ who, ip, time, agent: CONSOLE_AGENT, call: calls.describeEventAggregates() });

/**
 * The record with a src_endpoint.domain next to its IP. Security Lake does not write this for
 * CloudTrail; it is built to check the rest of the search (bins, dc, the threshold) once the
 * filter lets events through, as it would on a source that resolves hostnames.
 */
const withDomain = (record: Obj, domain: string): Obj => ({
  ...record,
  src_endpoint: { ...(record.src_endpoint as Obj), domain },
});

describe(detection.name, () => {
  test('returns nothing on Security Lake records, even for the session it means to flag', async () => {
    const lake = await makeLake({
      ocsf: [
        // alice's console, from two addresses two minutes apart: the attack the detection describes
        health(alice, '2026-11-18T10:00:00Z', '198.51.100.7'),
        health(alice, '2026-11-18T10:02:00Z', '203.0.113.50'),
        // the console's own calls from inside AWS: src_endpoint.domain "AWS Internal", no IP
        health(alice, '2026-11-18T10:01:00Z', 'AWS Internal'),
        // a call through another service: domain set and not "AWS Internal", but no IP either
        health(alice, '2026-11-18T10:03:00Z', 'cloudformation.amazonaws.com'),
      ],
    });
    try {
      const { rows, translation } = await runSearch(lake, detection.search);
      expect(rows).toEqual([]);
      expect(translation.warnings).toEqual([]);
    } finally {
      await lake.close();
    }
  });

  describe('the rest of the search, on records that pass the filter', () => {
    let lake: TestLake;
    beforeAll(async () => {
      const d = (record: Obj): Obj => withDomain(record, 'signin.aws');
      lake = await makeLake({
        ocsf: [
          // alice: two addresses in the 10:00-10:05 bin
          d(health(alice, '2026-11-18T10:00:00Z', '198.51.100.7')),
          d(health(alice, '2026-11-18T10:03:00Z', '203.0.113.50')),
          d(health(alice, '2026-11-18T10:04:59Z', '198.51.100.7')),
          // bob: two addresses, but in the 10:00 and 10:05 bins: one address per bin
          d(health(bob, '2026-11-18T10:04:00Z', '198.51.100.8')),
          d(health(bob, '2026-11-18T10:05:00Z', '203.0.113.51')),
          // carol: three calls from one address: distinct_ip_count 1, not > 1
          d(health(carol, '2026-11-18T10:00:00Z', '198.51.100.9')),
          d(health(carol, '2026-11-18T10:01:00Z', '198.51.100.9')),
          d(health(carol, '2026-11-18T10:02:00Z', '198.51.100.9')),
          // dave: two addresses, but the domain is "AWS Internal" (case-insensitive match, dropped)
          withDomain(health(dave, '2026-11-18T10:00:00Z', '198.51.100.10'), 'aws internal'),
          withDomain(health(dave, '2026-11-18T10:01:00Z', '203.0.113.52'), 'AWS Internal'),
        ],
      });
    });
    afterAll(() => lake.close());

    test('two addresses within one 5-minute bin', async () => {
      const rows = await runDetection(lake, detection);
      expect(rows).toEqual([
        {
          _time: Date.parse('2026-11-18T10:00:00Z') / 1000,
          user: alice.arn,
          // bin rewrote _time before stats: both are the bin's start
          firstTime: '2026-11-18T10:00:00',
          lastTime: '2026-11-18T10:00:00',
          action: ['DescribeEventAggregates'],
          dest: ['health.amazonaws.com'],
          user_agent: [CONSOLE_AGENT],
          src_ip: ['198.51.100.7', '203.0.113.50'],
          vendor_account: [ACCOUNT],
          vendor_product: ['AWS'],
          vendor_region: ['us-east-1'],
          distinct_ip_count: 2,
        },
      ]);
      // no `src` in the row: the risk event has its user but no threat object
      expect(riskOf(detection, rows)).toEqual([
        {
          object: alice.arn,
          type: 'user',
          score: 42,
          message: `User ${alice.arn as string} has concurrent sessions from more than one unique IP address in the span of 5 minutes.`,
          threats: [],
        },
      ]);
    });
  });
});
