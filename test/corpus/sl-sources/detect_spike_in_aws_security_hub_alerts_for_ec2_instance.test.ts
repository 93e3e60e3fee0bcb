/**
 * Detect Spike in AWS Security Hub Alerts for EC2 Instance, on Security Lake's findings table:
 *   `aws_securityhub_finding` "Resources{}.Type"=AWSEC2Instance | bucket span=4h _time
 *   | stats count AS alerts values(Title) ... by _time dest | eventstats avg(alerts) stdev(alerts)
 *   | eval threshold_value = 3 | eval isOutlier=if(alerts > avg + stdev * 3, 1, 0) | search isOutlier=1
 * `=` in search is case-insensitive, so the ASFF type AwsEc2Instance matches. With a sample
 * standard deviation one group among n can be at most (n-1)/sqrt(n) deviations above the mean:
 * 3 needs at least 11 (4h, instance) groups.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FindingOptions, moreDetection, shFinding } from '../../support/events-sl-sources.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = moreDetection('detect_spike_in_aws_security_hub_alerts_for_ec2_instance.yml');
const instance = (n: number): string => `arn:aws:ec2:us-east-1:111122223333:instance/i-0${n}`;

const finding = (n: number, at: string, resource: FindingOptions['resource'], title = 'EC2.8'): object =>
  shFinding({ time: at, uid: `f-${n}`, title, resource, severity: 'High' });

/** One finding on each of 12 instances in the same four hours: the baseline. */
function baseline(): object[] {
  return Array.from({ length: 12 }, (_, i) =>
    finding(i, '2026-11-18T09:00:00Z', { type: 'AwsEc2Instance', id: instance(i) }),
  );
}

/** 25 findings on one instance within four hours. */
function spike(): object[] {
  return Array.from({ length: 25 }, (_, i) =>
    finding(
      100 + i,
      `2026-11-18T09:${String(10 + i).padStart(2, '0')}:00Z`,
      {
        type: 'AwsEc2Instance',
        id: instance(99),
      },
      i % 2 === 0 ? 'EC2.8' : 'EC2.19',
    ),
  );
}

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ ocsf: [...baseline(), ...spike()] });
  });
  afterAll(() => lake.close());

  test('the instance with a spike of findings is the outlier', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      dest: instance(99),
      alerts: 25,
      Title: ['EC2.19', 'EC2.8'],
      Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      vendor_account: ['111122223333'],
      vendor_region: ['us-east-1'],
      severity: ['high'],
      isOutlier: 1,
      _time: Date.parse('2026-11-18T08:00:00Z') / 1000,
    });
  });

  test('nothing when every instance has as many findings, or the spike is on another resource type', async () => {
    const user = { type: 'AwsIamUser', id: 'arn:aws:iam::111122223333:user/bob' };
    const quiet = await makeLake({
      ocsf: [
        ...baseline(),
        ...Array.from({ length: 25 }, (_, i) => finding(200 + i, '2026-11-18T09:30:00Z', user, 'IAM.1')),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
