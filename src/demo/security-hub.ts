/**
 * The demo's Security Hub findings, as Security Lake writes them (OCSF 1.1 Detection Finding,
 * table sh_findings): a few findings a few times a day on the clusters' nodes and on people,
 * and two spikes planted for ESCU's Security Hub detections (shared/escu-more): 25 findings on
 * one node within half an hour among 12 other instances' single findings, and 15 on
 * contractor-dana among six other users'. Ordinary hours never hold more than four findings
 * per kind, and with a sample standard deviation one group among n is at most (n-1)/sqrt(n)
 * deviations above the mean: under those detections' thresholds (3 and 2), so only the
 * spikes fire. Spikes are placed as the scenarios are: fixed days back at fixed UTC times.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, isoMillis, utcDayStart } from './clock.js';
import { Rng, seedOf, stableId } from './rng.js';
import { ACCOUNTS, ATTACKER, CI_USERS, CLUSTERS, PEOPLE, type Region, account } from './world.js';

type Obj = Record<string, unknown>;

/** What the demo plants for the Security Hub detections (ESCU names), for tests and docs. */
export const SECURITY_HUB_SPIKES = {
  ec2: {
    detection: 'Detect Spike in AWS Security Hub Alerts for EC2 Instance',
    daysAgo: 2,
    time: [14, 20] as const,
    instance: CLUSTERS[0]?.nodes[0]?.instanceId ?? 'i-0f3a9c2d41b7e8a01',
    findings: 25,
  },
  user: {
    detection: 'Detect Spike in AWS Security Hub Alerts for User',
    daysAgo: 3,
    time: [10, 5] as const,
    user: ATTACKER.userName,
    findings: 15,
  },
} as const;

const ORDINARY_HOURS = [3, 9, 15, 21];
const CONTROLS = [
  'EC2.8 EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)',
  'EC2.19 Security groups should not allow unrestricted access to ports with high risk',
  'SSM.1 EC2 instances should be managed by AWS Systems Manager',
];
const IAM_CONTROLS = [
  'IAM.5 MFA should be enabled for all IAM users that have a console password',
  'IAM.3 IAM users access keys should be rotated every 90 days or less',
];

interface Resource {
  type: 'AwsEc2Instance' | 'AwsIamUser';
  id: string;
  accountId: string;
  region: Region;
}

const instance = (accountId: string, region: Region, id: string): Resource => ({
  type: 'AwsEc2Instance',
  id: `arn:aws:ec2:${region}:${accountId}:instance/${id}`,
  accountId,
  region,
});
const iamUser = (accountId: string, name: string): Resource => ({
  type: 'AwsIamUser',
  id: `arn:aws:iam::${accountId}:user/${name}`,
  accountId,
  region: 'us-east-1',
});

function finding(timeMs: number, resource: Resource, title: string, n: string): Obj {
  const uid = `arn:aws:securityhub:${resource.region}:${resource.accountId}:subscription/aws-foundational-security-best-practices/v/1.0.0/${stableId('', 12, 'finding', n)}`;
  const at = isoMillis(timeMs);
  return {
    metadata: {
      version: '1.1.0',
      uid: stableId('', 32, 'finding-record', n),
      product: {
        name: 'Security Hub',
        vendor_name: 'AWS',
        uid: `arn:aws:securityhub:${resource.region}::product/aws/securityhub`,
        feature: { uid: 'aws-foundational-security-best-practices/v/1.0.0' },
      },
      profiles: ['cloud', 'datetime'],
    },
    time: timeMs,
    time_dt: at,
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    severity_id: 3,
    severity: 'Medium',
    status: 'New',
    cloud: { account: { uid: resource.accountId }, region: resource.region, provider: 'AWS' },
    finding_info: {
      uid,
      title,
      desc: title,
      types: [
        'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
      ],
      created_time_dt: at,
      modified_time_dt: at,
    },
    resources: [{ type: resource.type, uid: resource.id, region: resource.region, cloud_partition: 'aws' }],
  };
}

/** Security Hub findings over [startMs, nowMs), oldest first; `seed` as generateDemoData's. */
export function securityHubFindings(seed: number, startMs: number, nowMs: number): Obj[] {
  const out: Obj[] = [];
  const lake = ACCOUNTS.filter((a) => a.securityLake);
  const nodes = CLUSTERS.filter((c) => lake.some((a) => a.alias === c.account)).flatMap((c) =>
    c.nodes.map((n) => instance(account(c.account).id, c.region, n.instanceId)),
  );
  const people = PEOPLE.map((p) => iamUser(account('prod').id, p.name));
  for (let day = utcDayStart(startMs); day < nowMs; day += DAY_MS) {
    const rng = new Rng(seedOf(seed, 'security-hub', day));
    for (const hour of ORDINARY_HOURS) {
      // at most four nodes and two people an hour: never a spike
      const count = rng.int(1, 4);
      for (let i = 0; i < count; i++) {
        const t = day + hour * HOUR_MS + rng.int(0, 30) * MINUTE_MS;
        out.push(finding(t, nodes[(hour + i) % nodes.length] as Resource, rng.pick(CONTROLS), `${day}-${hour}-n${i}`));
      }
      for (let i = 0; i < rng.int(0, 2); i++) {
        const t = day + hour * HOUR_MS + rng.int(0, 30) * MINUTE_MS;
        out.push(finding(t, rng.pick(people), rng.pick(IAM_CONTROLS), `${day}-${hour}-u${i}`));
      }
    }
  }
  const prod = account('prod').id;
  const spikeAt = (daysAgo: number, [h, m]: readonly [number, number]): number =>
    utcDayStart(nowMs) - daysAgo * DAY_MS + h * HOUR_MS + m * MINUTE_MS;
  const { ec2, user } = SECURITY_HUB_SPIKES;
  const ec2At = spikeAt(ec2.daysAgo, ec2.time);
  for (let i = 0; i < 12; i++) {
    const id = `i-0${stableId('', 16, 'demo-fleet', i).toLowerCase()}`;
    out.push(finding(ec2At + i * MINUTE_MS, instance(prod, 'us-east-1', id), CONTROLS[0] as string, `ec2-base-${i}`));
  }
  for (let i = 0; i < ec2.findings; i++) {
    const title = CONTROLS[i % CONTROLS.length] as string;
    out.push(finding(ec2At + i * MINUTE_MS, instance(prod, 'us-east-1', ec2.instance), title, `ec2-spike-${i}`));
  }
  const userAt = spikeAt(user.daysAgo, user.time);
  // seven other users with one finding each: a threshold of 2 needs six groups at least
  const others = [...PEOPLE.map((p) => p.name), ...CI_USERS.map((u) => u.name)].filter((n) => n !== user.user);
  for (const [i, name] of others.entries()) {
    out.push(finding(userAt + i * MINUTE_MS, iamUser(prod, name), IAM_CONTROLS[0] as string, `user-base-${i}`));
  }
  for (let i = 0; i < user.findings; i++) {
    out.push(
      finding(userAt + 2 * i * MINUTE_MS, iamUser(prod, user.user), IAM_CONTROLS[i % 2] as string, `user-spike-${i}`),
    );
  }
  return out.filter((r) => (r.time as number) >= startMs && (r.time as number) < nowMs).sort(byTime);
}

export const byTime = (a: Obj, b: Obj): number => (a.time as number) - (b.time as number);
