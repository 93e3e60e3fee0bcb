/**
 * The demo's Security Lake findings and EKS audit logs against the real pipeline: demo data →
 * local lake → ESCU's Security Hub and EKS detections (shared/escu-more, read in place). Each
 * fires on what the demo plants and on nothing else, over the whole period and in the one
 * hourly ESCU window (-70m@m .. -10m@m) that holds the planted events.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EKS_SCAN, generateDemoData, SECURITY_HUB_SPIKES } from '../../src/demo/index.js';
import { moreDetection } from '../support/events-sl-sources.js';
import { makeLake, runDetection, type TestLake } from '../support/hunt.js';

const NOW = DateTime.fromISO('2026-11-20T10:00:30Z', { zone: 'utc' });
const data = generateDemoData({ now: NOW, days: 7 });
const PROD = '210987654321';
const day = (daysAgo: number, [h, m]: readonly [number, number]) =>
  NOW.startOf('day').minus({ days: daysAgo }).set({ hour: h, minute: m });
/** the hourly window, fired on the next hour, that holds a time */
const windowOf = (t: DateTime) => {
  const fire = t.startOf('hour').plus({ hours: 1 });
  return {
    earliest: fire.minus({ minutes: 70 }).toISO() as string,
    latest: fire.minus({ minutes: 10 }).toISO() as string,
  };
};

describe('the demo plants Security Hub and EKS activity', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ ocsf: [...data.securityHub, ...data.eksAudit] });
  }, 300_000);
  afterAll(async () => {
    await lake?.close();
  });

  test('the same data each time', () => {
    const again = generateDemoData({ now: NOW, days: 7 });
    expect(JSON.stringify(again.securityHub)).toEqual(JSON.stringify(data.securityHub));
    expect(JSON.stringify(again.eksAudit)).toEqual(JSON.stringify(data.eksAudit));
    expect(data.securityHub.length).toBeGreaterThan(100);
    expect(data.eksAudit.length).toBeGreaterThan(100);
  });

  test('EC2 instance spike: the planted instance only', async () => {
    const d = moreDetection('detect_spike_in_aws_security_hub_alerts_for_ec2_instance.yml');
    const dest = `arn:aws:ec2:us-east-1:${PROD}:instance/${SECURITY_HUB_SPIKES.ec2.instance}`;
    for (const opts of [{}, windowOf(day(SECURITY_HUB_SPIKES.ec2.daysAgo, SECURITY_HUB_SPIKES.ec2.time))]) {
      const rows = await runDetection(lake, d, opts);
      expect(rows.map((r) => [r.dest, r.alerts])).toEqual([[dest, SECURITY_HUB_SPIKES.ec2.findings]]);
    }
  });

  test('user spike: contractor-dana only', async () => {
    const d = moreDetection('detect_spike_in_aws_security_hub_alerts_for_user.yml');
    const user = `arn:aws:iam::${PROD}:user/${SECURITY_HUB_SPIKES.user.user}`;
    for (const opts of [{}, windowOf(day(SECURITY_HUB_SPIKES.user.daysAgo, SECURITY_HUB_SPIKES.user.time))]) {
      const rows = await runDetection(lake, d, opts);
      expect(rows.map((r) => [r.user, r.alerts])).toEqual([[user, SECURITY_HUB_SPIKES.user.findings]]);
    }
  });

  test("EKS cluster scan: the attacker's anonymous probing, not AWS's scanner", async () => {
    const d = moreDetection('amazon_eks_kubernetes_cluster_scan_detection.yml');
    const rows = await runDetection(lake, d, windowOf(day(EKS_SCAN.daysAgo, EKS_SCAN.time)));
    expect(rows.map((r) => [r.src_ip, r.count])).toEqual([[EKS_SCAN.ip, EKS_SCAN.requests.length]]);
    expect((await runDetection(lake, d)).map((r) => r.src_ip)).toEqual([EKS_SCAN.ip]);
  });
});
