/**
 * ESCU "AWS Defense Evasion Update Cloudtrail" on CloudTrail events of our own. Expected rows are
 * worked out by hand from Splunk semantics (../shared/SEMANTICS.md): successful (add-on errorCode
 * "success") cloudtrail.amazonaws.com UpdateTrail calls not made in the console, grouped by
 * signature dest user user_agent src vendor_account vendor_region vendor_product.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser, rootUser } from '../../support/events.js';
import { AGENT, trailArn, trailCall } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_defense_evasion_update_cloudtrail.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';

/** UpdateTrail as AWS documents it: the changed settings in, the trail's settings out */
const update = (
  time: string,
  who: Record<string, unknown>,
  change: Record<string, unknown>,
  o: { ip?: string; agent?: string; error?: { code: string; message: string } } = {},
) =>
  trailCall({
    time,
    name: 'UpdateTrail',
    trail: 'management-events',
    who,
    ip: o.ip ?? EVIL,
    ...(o.agent ? { agent: o.agent } : {}),
    ...(o.error ? { error: o.error } : {}),
    request: change,
    response: {
      name: 'management-events',
      s3BucketName: String(change.s3BucketName ?? 'aws-cloudtrail-logs-111122223333'),
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: change.isMultiRegionTrail ?? true,
      trailARN: trailArn('management-events'),
      logFileValidationEnabled: change.enableLogFileValidation ?? true,
      isOrganizationTrail: false,
    },
  });

const events = [
  // mallory points the trail at her bucket, then makes it single-region
  update('2026-11-18T10:00:00Z', iamUser('mallory'), { s3BucketName: 'mallory-sink-bucket' }),
  update('2026-11-18T10:02:00Z', iamUser('mallory'), { isMultiRegionTrail: false }),
  // root turns log file validation off from a script
  update('2026-11-18T10:10:00Z', rootUser(), { enableLogFileValidation: false }, { ip: HOME, agent: AGENT.boto3 }),
  // near misses: a console update; an update that failed
  update(
    '2026-11-18T10:20:00Z',
    assumedRole('ops-admin', 'grace'),
    { kmsKeyId: 'alias/cloudtrail' },
    { ip: HOME, agent: AGENT.console },
  ),
  update(
    '2026-11-18T10:21:00Z',
    iamUser('mallory'),
    { s3BucketName: 'no-such-bucket-123' },
    {
      error: { code: 'S3BucketDoesNotExistException', message: 'S3 bucket no-such-bucket-123 does not exist.' },
    },
  ),
];

const tail = { vendor_account: ACCOUNT, vendor_region: 'us-east-1', vendor_product: 'AWS CloudTrail' };
const common = { signature: 'UpdateTrail', dest: 'cloudtrail.amazonaws.com' };

describe('AWS Defense Evasion Update Cloudtrail', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('successful updates outside the console', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        ...common,
        user: 'mallory',
        user_agent: AGENT.cli,
        src: EVIL,
        ...tail,
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:02:00',
      },
      // root has no userName: user_name is the ARN's tail
      {
        ...common,
        user: 'root',
        user_agent: AGENT.boto3,
        src: HOME,
        ...tail,
        count: 1,
        firstTime: '2026-11-18T10:10:00',
        lastTime: '2026-11-18T10:10:00',
      },
    ]);
  });

  test('nothing for a console update or a failed one', async () => {
    const only = await makeLake({ cloudtrail: events.slice(3) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, with the message fields and the src threat object present', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T11:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message, r.threat_objects])).toEqual([
      [
        'mallory',
        90,
        `User mallory has updated a cloudtrail logging for account id ${ACCOUNT} from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'root',
        90,
        `User root has updated a cloudtrail logging for account id ${ACCOUNT} from IP ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
