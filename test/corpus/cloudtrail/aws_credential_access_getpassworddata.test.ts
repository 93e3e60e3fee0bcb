/**
 * ESCU "AWS Credential Access GetPasswordData" on CloudTrail events of our own. Expected rows are
 * worked out by hand from Splunk semantics (../shared/SEMANTICS.md):
 * - ec2.amazonaws.com GetPasswordData calls of any outcome (no errorCode term);
 * - `bin _time span=5m` floors _time before stats, and _time is not a BY field: the groups span
 *   the whole window, but firstTime/lastTime are the starts of the first and last 5-minute bins;
 * - `dc(requestParameters.instanceId) > 10`: eleven different instances or more, repeats of one
 *   instance count once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, iamUser, type Identity } from '../../support/events.js';
import { AGENT, accessDenied, getPasswordData, instanceId } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_credential_access_getpassworddata.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';

const at = (start: string, i: number, stepSeconds: number) =>
  new Date(Date.parse(start) + i * stepSeconds * 1000).toISOString().replace('.000Z', 'Z');

/** GetPasswordData on instances[i], one call each `step` seconds from `start` */
function sweep(
  who: Identity,
  instances: number[],
  start: string,
  step: number,
  o: { ip?: string; agent?: string; denied?: boolean } = {},
) {
  return instances.map((n, i) =>
    getPasswordData({
      time: at(start, i, step),
      who,
      ip: o.ip ?? EVIL,
      agent: o.agent ?? AGENT.cli,
      instanceId: instanceId(n),
      ...(o.denied
        ? {
            error: {
              code: 'Client.UnauthorizedOperation',
              message: `You are not authorized to perform this operation. ${accessDenied(who, 'ec2:GetPasswordData', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${instanceId(n)}`).message}`,
            },
          }
        : {}),
    }),
  );
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const events = [
  // mallory: 11 instances and one repeat, 10:02:10 .. 10:13:10 (bins 10:00 .. 10:10)
  ...sweep(iamUser('mallory'), [...range(1, 11), 3], '2026-11-18T10:02:10Z', 60),
  // bob: 10 instances, 13 calls: dc 10 is not > 10, however many calls
  ...sweep(iamUser('bob'), [...range(1, 10), 1, 2, 3], '2026-11-18T10:00:00Z', 20, { ip: HOME }),
  // carol: 12 instances, but 6 from the CLI and 6 from a script: user_agent is a BY field
  ...sweep(iamUser('carol'), range(1, 6), '2026-11-18T11:00:00Z', 10),
  ...sweep(iamUser('carol'), range(7, 12), '2026-11-18T11:00:00Z', 10, { agent: AGENT.boto3 }),
  // dave: 11 instances, every call denied: still counted
  ...sweep(iamUser('dave'), range(20, 30), '2026-11-18T12:00:00Z', 5, { denied: true }),
];

const common = { signature: 'GetPasswordData', dest: 'ec2.amazonaws.com' };
const place = {
  user_agent: AGENT.cli,
  src: EVIL,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
};

describe('AWS Credential Access GetPasswordData', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('more than ten instances per caller', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      // dave: 12:00:00 .. 12:00:50, one bin
      {
        ...common,
        user: 'dave',
        ...place,
        count: 11,
        firstTime: '2026-11-18T12:00:00',
        lastTime: '2026-11-18T12:00:00',
        distinct_instance_ids: 11,
      },
      // mallory: first call 10:02:10, last 10:13:10, reported as their bins
      {
        ...common,
        user: 'mallory',
        ...place,
        count: 12,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:10:00',
        distinct_instance_ids: 11,
      },
    ]);
  });

  test('exactly ten instances do not fire', async () => {
    const only = await makeLake({
      cloudtrail: sweep(iamUser('mallory'), [...range(1, 10), 1, 2, 3, 4, 5], '2026-11-18T10:00:00Z', 10),
    });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, with the message fields and the src threat object present', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T13:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message, r.threat_objects])).toEqual([
      [
        'dave',
        49,
        `User dave is seen to make mulitple \`GetPasswordData\` API calls to multiple instances from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'mallory',
        49,
        `User mallory is seen to make mulitple \`GetPasswordData\` API calls to multiple instances from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
