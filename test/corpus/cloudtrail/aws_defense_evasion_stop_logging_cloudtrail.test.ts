/**
 * ESCU "AWS Defense Evasion Stop Logging Cloudtrail" on CloudTrail events of our own. Expected
 * rows are worked out by hand from Splunk semantics (../shared/SEMANTICS.md):
 * - `userAgent!=console.amazonaws.com` drops the console's StopLogging, and needs userAgent to
 *   exist (`f!=v` never matches an event without f);
 * - `errorCode=success` (the add-on's errorCode) keeps calls CloudTrail logged no error for;
 * - grouped by signature dest user user_agent src vendor_account vendor_region vendor_product.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { AGENT, accessDenied, trailArn, trailCall } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_defense_evasion_stop_logging_cloudtrail.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';
const mallory = iamUser('mallory');

const events = [
  // mallory stops the main trail twice (the second is a no-op, still logged as a success)
  trailCall({ time: '2026-11-18T10:00:00Z', name: 'StopLogging', trail: 'management-events', who: mallory, ip: EVIL }),
  trailCall({ time: '2026-11-18T10:20:00Z', name: 'StopLogging', trail: 'management-events', who: mallory, ip: EVIL }),
  // the same user from a Python script: user_agent is a BY field
  trailCall({
    time: '2026-11-18T10:05:00Z',
    name: 'StopLogging',
    trail: 'org-audit',
    who: mallory,
    ip: EVIL,
    agent: AGENT.boto3,
  }),
  // near misses: stopped in the console; denied; logging started again
  trailCall({
    time: '2026-11-18T10:30:00Z',
    name: 'StopLogging',
    trail: 'sandbox',
    who: assumedRole('ops-admin', 'grace'),
    ip: HOME,
    agent: AGENT.console,
  }),
  trailCall({
    time: '2026-11-18T10:31:00Z',
    name: 'StopLogging',
    trail: 'org-audit',
    who: iamUser('bob'),
    ip: EVIL,
    error: accessDenied(iamUser('bob'), 'cloudtrail:StopLogging', trailArn('org-audit')),
  }),
  trailCall({
    time: '2026-11-18T10:40:00Z',
    name: 'StartLogging',
    trail: 'management-events',
    who: iamUser('alice'),
    ip: HOME,
  }),
];

const common = { signature: 'StopLogging', dest: 'cloudtrail.amazonaws.com', user: 'mallory' };
const tail = { src: EVIL, vendor_account: ACCOUNT, vendor_region: 'us-east-1', vendor_product: 'AWS CloudTrail' };

describe('AWS Defense Evasion Stop Logging Cloudtrail', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('successful StopLogging outside the console, per user agent', async () => {
    const rows = await runDetection(lake, detection);
    // user agents sort as text: "Boto3/..." before "aws-cli/..." (upper case first)
    expect(rows).toEqual([
      {
        ...common,
        user_agent: AGENT.boto3,
        ...tail,
        count: 1,
        firstTime: '2026-11-18T10:05:00',
        lastTime: '2026-11-18T10:05:00',
      },
      {
        ...common,
        user_agent: AGENT.cli,
        ...tail,
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:20:00',
      },
    ]);
  });

  test('nothing for the console, a denial or StartLogging', async () => {
    const only = await makeLake({ cloudtrail: events.slice(3) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('userAgent!=console.amazonaws.com needs userAgent: an event without it does not match', async () => {
    const noAgent = trailCall({
      time: '2026-11-18T10:50:00Z',
      name: 'StopLogging',
      trail: 'management-events',
      who: mallory,
      ip: EVIL,
      extra: { userAgent: undefined },
    });
    const only = await makeLake({ cloudtrail: [noAgent] });
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
        `User mallory has stopped Cloudtrail logging for account id ${ACCOUNT} from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'mallory',
        90,
        `User mallory has stopped Cloudtrail logging for account id ${ACCOUNT} from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
