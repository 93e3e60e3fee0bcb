/**
 * ESCU "AWS Bedrock Delete GuardRails" on CloudTrail events of our own. Expected rows are worked
 * out by hand from Splunk semantics (../shared/SEMANTICS.md): the base search keeps
 * bedrock.amazonaws.com DeleteGuardrail calls (whatever their outcome: there is no errorCode
 * term), `user` is the add-on's user_name, stats groups by src user user_agent vendor_account
 * vendor_product dest signature vendor_region, groups sorted by those values as text.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { AGENT, accessDenied, bedrock, guardrailArn } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';
import { translateDetection } from '../../../src/translate/translate.js';

const detection = corpusDetection('cloudtrail', 'aws_bedrock_delete_guardrails.yml');

const mallory = iamUser('mallory');
const admin = assumedRole('bedrock-admin', 'dana@example.com');
const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';

const del = (time: string, id: string, o: Partial<Parameters<typeof bedrock>[0]> = {}) =>
  bedrock({ time, name: 'DeleteGuardrail', who: mallory, ip: EVIL, request: { guardrailIdentifier: id }, ...o });

const events = [
  // mallory deletes two guardrails from the same place: one group, both ids, sorted
  del('2026-11-18T10:05:00Z', 'xq7k2m9d4p1z'),
  del('2026-11-18T10:01:00Z', 'b3n8v5c2l0wa'),
  // the same guardrail by ARN, from another IP: src is a BY field, so a group of its own
  del('2026-11-18T10:20:00Z', guardrailArn('xq7k2m9d4p1z'), { ip: HOME }),
  // an assumed role: user is the session issuer's (the role's) name
  del('2026-11-18T11:00:00Z', 'r9t4y6u1i3oe', { who: admin, ip: HOME, agent: AGENT.boto3 }),
  // a denied attempt still counts: the search has no errorCode term
  del('2026-11-18T11:30:00Z', 'r9t4y6u1i3oe', {
    who: iamUser('bob'),
    ip: HOME,
    error: accessDenied(iamUser('bob'), 'bedrock:DeleteGuardrail', guardrailArn('r9t4y6u1i3oe')),
  }),
  // near misses: other guardrail calls, and another Bedrock delete
  bedrock({
    time: '2026-11-18T10:10:00Z',
    name: 'UpdateGuardrail',
    who: mallory,
    ip: EVIL,
    request: { guardrailIdentifier: 'xq7k2m9d4p1z', name: 'pii-filter' },
  }),
  bedrock({
    time: '2026-11-18T10:11:00Z',
    name: 'CreateGuardrail',
    who: mallory,
    ip: EVIL,
    request: { name: 'pii-filter-2', blockedInputMessaging: 'Sorry.', blockedOutputsMessaging: 'Sorry.' },
  }),
  bedrock({
    time: '2026-11-18T10:12:00Z',
    name: 'DeleteKnowledgeBase',
    who: mallory,
    ip: EVIL,
    request: { knowledgeBaseId: 'KB12345678' },
  }),
];

const common = {
  vendor_account: ACCOUNT,
  vendor_product: 'AWS CloudTrail',
  dest: 'bedrock.amazonaws.com',
  signature: 'DeleteGuardrail',
  vendor_region: 'us-east-1',
};

describe('AWS Bedrock Delete GuardRails', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('one row per (src, user, user_agent, ...) with the deleted guardrail ids', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        src: HOME,
        user: 'bedrock-admin',
        user_agent: AGENT.boto3,
        ...common,
        count: 1,
        firstTime: '2026-11-18T11:00:00',
        lastTime: '2026-11-18T11:00:00',
        guardrailIds: ['r9t4y6u1i3oe'],
      },
      {
        src: HOME,
        user: 'bob',
        user_agent: AGENT.cli,
        ...common,
        count: 1,
        firstTime: '2026-11-18T11:30:00',
        lastTime: '2026-11-18T11:30:00',
        guardrailIds: ['r9t4y6u1i3oe'],
      },
      {
        src: HOME,
        user: 'mallory',
        user_agent: AGENT.cli,
        ...common,
        count: 1,
        firstTime: '2026-11-18T10:20:00',
        lastTime: '2026-11-18T10:20:00',
        guardrailIds: [guardrailArn('xq7k2m9d4p1z')],
      },
      {
        src: EVIL,
        user: 'mallory',
        user_agent: AGENT.cli,
        ...common,
        count: 2,
        firstTime: '2026-11-18T10:01:00',
        lastTime: '2026-11-18T10:05:00',
        guardrailIds: ['b3n8v5c2l0wa', 'xq7k2m9d4p1z'],
      },
    ]);
    // BY fields first, in BY order, then the aggregates in the order stats names them
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'src',
      'user',
      'user_agent',
      'vendor_account',
      'vendor_product',
      'dest',
      'signature',
      'vendor_region',
      'count',
      'firstTime',
      'lastTime',
      'guardrailIds',
    ]);
  });

  test('nothing without a DeleteGuardrail', async () => {
    const only = await makeLake({ cloudtrail: events.slice(5) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, with the message fields and the src threat object present', async () => {
    const rows = await runDetection(lake, detection);
    const risk = riskEvents(detection, rows, '2026-11-18T12:00:00Z');
    expect(
      risk.map((r) => [r.risk_object, r.risk_object_type, r.risk_score, r.risk_message, r.threat_objects]),
    ).toEqual([
      [
        'bedrock-admin',
        'user',
        72,
        `User bedrock-admin deleted AWS Bedrock GuardRails r9t4y6u1i3oe from ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
      [
        'bob',
        'user',
        72,
        `User bob deleted AWS Bedrock GuardRails r9t4y6u1i3oe from ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
      [
        'mallory',
        'user',
        72,
        `User mallory deleted AWS Bedrock GuardRails ${guardrailArn('xq7k2m9d4p1z')} from ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
      [
        'mallory',
        'user',
        72,
        `User mallory deleted AWS Bedrock GuardRails b3n8v5c2l0wa, xq7k2m9d4p1z from ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
