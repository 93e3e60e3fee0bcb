/**
 * ESCU "AWS Defense Evasion Delete Cloudtrail" on CloudTrail events of our own. Expected rows are
 * worked out by hand from Splunk semantics (../shared/SEMANTICS.md):
 * - `userAgent!=console.amazonaws.com` drops deletions made in the console (and needs userAgent);
 * - `errorCode=success` is the add-on's errorCode: "success" when CloudTrail logged none, so
 *   failed deletions drop out;
 * - grouped by signature dest user user_agent src vendor_account vendor_region vendor_product.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { AGENT, accessDenied, trailArn, trailCall } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_defense_evasion_delete_cloudtrail.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';
const mallory = iamUser('mallory');
const ops = assumedRole('ops-admin', 'grace');

const events = [
  // mallory deletes two trails with the CLI
  trailCall({ time: '2026-11-18T10:00:00Z', name: 'DeleteTrail', trail: 'management-events', who: mallory, ip: EVIL }),
  trailCall({ time: '2026-11-18T10:01:00Z', name: 'DeleteTrail', trail: 'org-audit', who: mallory, ip: EVIL }),
  // and one in another region: vendor_region is a BY field
  trailCall({
    time: '2026-11-18T10:02:00Z',
    name: 'DeleteTrail',
    trail: 'west-trail',
    who: mallory,
    ip: EVIL,
    region: 'us-west-2',
  }),
  // a role deleting from a script
  trailCall({
    time: '2026-11-18T11:00:00Z',
    name: 'DeleteTrail',
    trail: 'legacy',
    who: ops,
    ip: HOME,
    agent: AGENT.boto3,
  }),
  // a console deletion logged as made by the console's backend: userAgent "AWS Internal" is not
  // console.amazonaws.com, so it counts (the search excludes only the one value)
  trailCall({
    time: '2026-11-18T11:05:00Z',
    name: 'DeleteTrail',
    trail: 'old-audit',
    who: ops,
    ip: 'AWS Internal',
    agent: 'AWS Internal',
  }),
  // near misses: a deletion in the console; a failed deletion (trail gone); a denied one; a trail created
  trailCall({
    time: '2026-11-18T10:30:00Z',
    name: 'DeleteTrail',
    trail: 'sandbox',
    who: ops,
    ip: HOME,
    agent: AGENT.console,
  }),
  trailCall({
    time: '2026-11-18T10:31:00Z',
    name: 'DeleteTrail',
    trail: 'management-events',
    who: mallory,
    ip: EVIL,
    error: {
      code: 'TrailNotFoundException',
      message: `Unknown trail: ${trailArn('management-events')} for the user: ${ACCOUNT}`,
    },
  }),
  trailCall({
    time: '2026-11-18T10:32:00Z',
    name: 'DeleteTrail',
    trail: 'org-audit',
    who: iamUser('bob'),
    ip: EVIL,
    error: accessDenied(iamUser('bob'), 'cloudtrail:DeleteTrail', trailArn('org-audit')),
  }),
  trailCall({
    time: '2026-11-18T10:33:00Z',
    name: 'CreateTrail',
    trail: 'decoy',
    who: mallory,
    ip: EVIL,
    request: { name: 'decoy', s3BucketName: 'decoy-logs' },
  }),
];

const common = { signature: 'DeleteTrail', dest: 'cloudtrail.amazonaws.com' };
const tail = { vendor_account: ACCOUNT, vendor_product: 'AWS CloudTrail' };

describe('AWS Defense Evasion Delete Cloudtrail', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('successful deletions outside the console', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        ...common,
        user: 'mallory',
        user_agent: AGENT.cli,
        src: EVIL,
        ...tail,
        vendor_region: 'us-east-1',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:01:00',
      },
      {
        ...common,
        user: 'mallory',
        user_agent: AGENT.cli,
        src: EVIL,
        ...tail,
        vendor_region: 'us-west-2',
        count: 1,
        firstTime: '2026-11-18T10:02:00',
        lastTime: '2026-11-18T10:02:00',
      },
      {
        ...common,
        user: 'ops-admin',
        user_agent: 'AWS Internal',
        src: 'AWS Internal',
        ...tail,
        vendor_region: 'us-east-1',
        count: 1,
        firstTime: '2026-11-18T11:05:00',
        lastTime: '2026-11-18T11:05:00',
      },
      {
        ...common,
        user: 'ops-admin',
        user_agent: AGENT.boto3,
        src: HOME,
        ...tail,
        vendor_region: 'us-east-1',
        count: 1,
        firstTime: '2026-11-18T11:00:00',
        lastTime: '2026-11-18T11:00:00',
      },
    ]);
  });

  test('nothing for console, failed or denied deletions', async () => {
    const only = await makeLake({ cloudtrail: events.slice(5) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, with the message fields and the src threat object present', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T12:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message, r.threat_objects])).toEqual([
      [
        'mallory',
        90,
        `User mallory has delete a CloudTrail logging for account id ${ACCOUNT} from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'mallory',
        90,
        `User mallory has delete a CloudTrail logging for account id ${ACCOUNT} from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'ops-admin',
        90,
        `User ops-admin has delete a CloudTrail logging for account id ${ACCOUNT} from IP AWS Internal`,
        [{ value: 'AWS Internal', type: 'ip_address' }],
      ],
      [
        'ops-admin',
        90,
        `User ops-admin has delete a CloudTrail logging for account id ${ACCOUNT} from IP ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
