/**
 * Detect Spike in AWS Security Hub Alerts for User, on Security Lake's findings table:
 *   `aws_securityhub_finding` "findings{}.Resources{}.Type"= AwsIamUser
 *   | rename findings{}.Resources{}.Id as user | bucket span=4h _time | stats count AS alerts by _time user
 *   | eventstats avg(alerts) stdev(alerts) | eval isOutlier=if(alerts > avg + stdev * 2, 1, 0) | search isOutlier=1
 * The add-on's older inputs index the EventBridge event (`findings{}.`); Security Lake has one
 * finding per record, read under both names. A threshold of 2 needs at least 6 groups.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { moreDetection, shFinding } from '../../support/events-sl-sources.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = moreDetection('detect_spike_in_aws_security_hub_alerts_for_user.yml');
const user = (name: string): string => `arn:aws:iam::111122223333:user/${name}`;

const finding = (uid: string, at: string, type: string, id: string): object =>
  shFinding({ time: at, uid, title: 'IAM.6', resource: { type, id } });

function baseline(): object[] {
  return ['ann', 'ben', 'cid', 'dee', 'eve', 'fay', 'gus', 'hal'].map((n) =>
    finding(`b-${n}`, '2026-11-18T13:00:00Z', 'AwsIamUser', user(n)),
  );
}

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    const burst = Array.from({ length: 15 }, (_, i) =>
      finding(`s-${i}`, `2026-11-18T13:${String(i * 3).padStart(2, '0')}:00Z`, 'AwsIamUser', user('mallory')),
    );
    lake = await makeLake({ ocsf: [...baseline(), ...burst] });
  });
  afterAll(() => lake.close());

  test('the user with a burst of findings', async () => {
    expect(await runDetection(lake, detection)).toEqual([
      { _time: Date.parse('2026-11-18T12:00:00Z') / 1000, user: user('mallory'), alerts: 15 },
    ]);
  });

  test('nothing for a burst on another resource type, or findings spread evenly', async () => {
    const bucket = 'arn:aws:s3:::logs';
    const burst = Array.from({ length: 15 }, (_, i) =>
      finding(`s-${i}`, '2026-11-18T13:00:00Z', 'AwsS3Bucket', bucket),
    );
    const quiet = await makeLake({ ocsf: [...baseline(), ...burst] });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
