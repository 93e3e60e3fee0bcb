/**
 * ESCU "AWS Defense Evasion Impair Security Services" on CloudTrail events of our own. Expected
 * rows are worked out by hand from Splunk semantics (../shared/SEMANTICS.md): any event whose
 * eventName is one of the eight listed deletions (from any service: the search has no
 * eventSource term; of any outcome: no errorCode term), grouped by signature dest user user_agent
 * src vendor_account vendor_region vendor_product, groups sorted by those values as text
 * (byte-wise: "DeleteLogStream" before "DeleteLoggingConfiguration").
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, iamUser } from '../../support/events.js';
import { AGENT, accessDenied, call } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_defense_evasion_impair_security_services.yml');

const EVIL = '203.0.113.50';
const mallory = iamUser('mallory');
const DETECTOR = '12abc34d567e8fa901bc2d34e56789f0';
const webAcl = (name: string) => ({
  name,
  scope: 'REGIONAL',
  id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
  lockToken: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE22222',
});

const m = (time: string, source: string, name: string, request: Record<string, unknown>) =>
  call(source, { time, name, who: mallory, ip: EVIL, request });

const events = [
  m('2026-11-18T10:00:00Z', 'guardduty.amazonaws.com', 'DeleteDetector', { detectorId: DETECTOR }),
  m('2026-11-18T10:01:00Z', 'guardduty.amazonaws.com', 'DeleteIPSet', {
    detectorId: DETECTOR,
    ipSetId: '0cb0141ab9fbde177613ab9436212e90',
  }),
  m('2026-11-18T10:02:00Z', 'wafv2.amazonaws.com', 'DeleteIPSet', webAcl('trusted-ips')),
  m('2026-11-18T10:03:00Z', 'wafv2.amazonaws.com', 'DeleteWebACL', webAcl('edge-acl')),
  m('2026-11-18T10:04:00Z', 'wafv2.amazonaws.com', 'DeleteRuleGroup', webAcl('block-scanners')),
  m('2026-11-18T10:05:00Z', 'wafv2.amazonaws.com', 'DeleteLoggingConfiguration', {
    resourceArn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/edge-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`,
  }),
  // the EventBridge rule that forwards GuardDuty findings, twice (the second time it is gone)
  m('2026-11-18T10:06:00Z', 'events.amazonaws.com', 'DeleteRule', { name: 'guardduty-findings-to-sns', force: false }),
  m('2026-11-18T10:16:00Z', 'events.amazonaws.com', 'DeleteRule', { name: 'guardduty-findings-to-sns', force: false }),
  m('2026-11-18T10:07:00Z', 'logs.amazonaws.com', 'DeleteLogStream', {
    logGroupName: '/aws/lambda/auth',
    logStreamName: '2026/11/18/[$LATEST]0123456789abcdef',
  }),
  m('2026-11-18T10:08:00Z', 'monitoring.amazonaws.com', 'DeleteAlarms', {
    alarmNames: ['root-login', 'guardduty-high'],
  }),
  // a denied attempt counts too
  call('guardduty.amazonaws.com', {
    time: '2026-11-18T10:09:00Z',
    name: 'DeleteDetector',
    who: iamUser('bob'),
    ip: EVIL,
    agent: AGENT.boto3,
    request: { detectorId: DETECTOR },
    error: accessDenied(
      iamUser('bob'),
      'guardduty:DeleteDetector',
      `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/${DETECTOR}`,
    ),
  }),
  // near misses: GuardDuty suspended rather than deleted, a log group, flow logs
  m('2026-11-18T10:20:00Z', 'guardduty.amazonaws.com', 'UpdateDetector', { detectorId: DETECTOR, enable: false }),
  m('2026-11-18T10:21:00Z', 'logs.amazonaws.com', 'DeleteLogGroup', { logGroupName: '/aws/lambda/auth' }),
  m('2026-11-18T10:22:00Z', 'ec2.amazonaws.com', 'DeleteFlowLogs', {
    DeleteFlowLogsRequest: { FlowLogId: { tag: 1, content: 'fl-0123456789abcdef0' } },
  }),
];

const tail = { src: EVIL, vendor_account: ACCOUNT, vendor_region: 'us-east-1', vendor_product: 'AWS CloudTrail' };
const row = (
  signature: string,
  dest: string,
  time: string,
  o: { user?: string; agent?: string; count?: number; last?: string } = {},
) => ({
  signature,
  dest,
  user: o.user ?? 'mallory',
  user_agent: o.agent ?? AGENT.cli,
  ...tail,
  count: o.count ?? 1,
  firstTime: time,
  lastTime: o.last ?? time,
});

describe('AWS Defense Evasion Impair Security Services', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('one row per deletion kind, service and caller', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      row('DeleteAlarms', 'monitoring.amazonaws.com', '2026-11-18T10:08:00'),
      row('DeleteDetector', 'guardduty.amazonaws.com', '2026-11-18T10:09:00', { user: 'bob', agent: AGENT.boto3 }),
      row('DeleteDetector', 'guardduty.amazonaws.com', '2026-11-18T10:00:00'),
      row('DeleteIPSet', 'guardduty.amazonaws.com', '2026-11-18T10:01:00'),
      row('DeleteIPSet', 'wafv2.amazonaws.com', '2026-11-18T10:02:00'),
      row('DeleteLogStream', 'logs.amazonaws.com', '2026-11-18T10:07:00'),
      row('DeleteLoggingConfiguration', 'wafv2.amazonaws.com', '2026-11-18T10:05:00'),
      row('DeleteRule', 'events.amazonaws.com', '2026-11-18T10:06:00', { count: 2, last: '2026-11-18T10:16:00' }),
      row('DeleteRuleGroup', 'wafv2.amazonaws.com', '2026-11-18T10:04:00'),
      row('DeleteWebACL', 'wafv2.amazonaws.com', '2026-11-18T10:03:00'),
    ]);
  });

  test('nothing for deletions off the list', async () => {
    const only = await makeLake({ cloudtrail: events.slice(11) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, the deletion in the message, the src threat object', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T11:00:00Z');
    expect(risk).toHaveLength(10);
    expect(risk.map((r) => r.risk_object)).toEqual(['mallory', 'bob', ...Array<string>(8).fill('mallory')]);
    expect(risk[1]).toMatchObject({
      risk_score: 90,
      risk_message: `User bob has deleted a security service by attempting to DeleteDetector for account id ${ACCOUNT} from IP ${EVIL}`,
      threat_objects: [{ value: EVIL, type: 'ip_address' }],
    });
    expect(risk.every((r) => !r.risk_message.includes('$'))).toBe(true);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
