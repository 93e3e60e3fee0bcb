/**
 * ESCU "AWS Bedrock High Number List Foundation Model Failures" on CloudTrail events of our own.
 * Expected rows are worked out by hand from Splunk semantics (../shared/SEMANTICS.md): the base
 * search keeps ListFoundationModels calls whose errorCode is AccessDenied (case-insensitive,
 * whole value), stats counts them per src user user_agent ..., and `where count > 9` keeps
 * groups of ten or more.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser, type Identity } from '../../support/events.js';
import { AGENT, accessDenied, bedrock, notAuthorized } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_bedrock_high_number_list_foundation_model_failures.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';
const ACTION = 'bedrock:ListFoundationModels';

/** n ListFoundationModels calls by `who` from `ip`, 30 s apart from `start` */
function burst(
  n: number,
  who: Identity,
  ip: string,
  start: string,
  error?: { code: string; message: string } | null,
  request: Record<string, unknown> | null = null,
) {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) =>
    bedrock({
      time: new Date(t0 + i * 30_000).toISOString().replace('.000Z', 'Z'),
      name: 'ListFoundationModels',
      who,
      ip,
      request,
      readOnly: true,
      ...(error === null ? { response: null } : { error: error ?? accessDenied(who, ACTION) }),
    }),
  );
}

const mallory = iamUser('mallory');
const scout = assumedRole('ml-readonly', 'i-0abc123def4567890');
const explicitDeny = (who: Identity) => ({
  code: 'AccessDenied',
  message: `User: ${String(who.arn)} is not authorized to perform: ${ACTION} with an explicit deny in an identity-based policy`,
});

const events = [
  // mallory: exactly 10 denials (count > 9 holds at 10)
  ...burst(10, mallory, EVIL, '2026-11-18T10:00:00Z'),
  // bob: 9 denials, one short
  ...burst(9, iamUser('bob'), EVIL, '2026-11-18T10:00:00Z'),
  // an instance role: 11 denials, two kinds of message (values() sorts them)
  ...burst(6, scout, HOME, '2026-11-18T10:10:00Z', undefined, { byOutputModality: 'TEXT' }),
  ...burst(5, scout, HOME, '2026-11-18T10:40:00Z', explicitDeny(scout)),
  // carol: 10 denials, but from two IPs: src is a BY field, 5 + 5
  ...burst(5, iamUser('carol'), EVIL, '2026-11-18T10:00:00Z'),
  ...burst(5, iamUser('carol'), HOME, '2026-11-18T10:00:00Z'),
  // dave: 12 successful listings: errorCode is the add-on's "success"
  ...burst(12, iamUser('dave'), HOME, '2026-11-18T10:00:00Z', null),
  // erin: 10 failures logged with another code: errorCode=AccessDenied matches the whole value only
  ...burst(
    10,
    iamUser('erin'),
    EVIL,
    '2026-11-18T10:00:00Z',
    accessDenied(iamUser('erin'), ACTION, undefined, 'AccessDeniedException'),
  ),
  // 10 denials of another Bedrock call by frank
  ...Array.from({ length: 10 }, (_, i) =>
    bedrock({
      time: `2026-11-18T10:0${i}:00Z`,
      name: 'ListCustomModels',
      who: iamUser('frank'),
      ip: EVIL,
      readOnly: true,
      error: accessDenied(iamUser('frank'), 'bedrock:ListCustomModels'),
    }),
  ),
];

const common = {
  user_agent: AGENT.cli,
  vendor_account: ACCOUNT,
  vendor_product: 'AWS CloudTrail',
  dest: 'bedrock.amazonaws.com',
  signature: 'ListFoundationModels',
  vendor_region: 'us-east-1',
};

describe('AWS Bedrock High Number List Foundation Model Failures', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('groups of ten or more AccessDenied listings', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        src: HOME,
        user: 'ml-readonly',
        ...common,
        count: 11,
        firstTime: '2026-11-18T10:10:00',
        lastTime: '2026-11-18T10:42:00',
        errorCodes: ['AccessDenied'],
        errorMessages: [
          notAuthorized(scout, ACTION),
          `User: ${String(scout.arn)} is not authorized to perform: ${ACTION} with an explicit deny in an identity-based policy`,
        ],
      },
      {
        src: EVIL,
        user: 'mallory',
        ...common,
        count: 10,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:04:30',
        errorCodes: ['AccessDenied'],
        errorMessages: [notAuthorized(mallory, ACTION)],
      },
    ]);
  });

  test('nine denials are one short', async () => {
    const only = await makeLake({ cloudtrail: burst(9, mallory, EVIL, '2026-11-18T10:00:00Z') });
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
        'ml-readonly',
        48,
        `User ml-readonly attempted to list AWS Bedrock foundation models 11 times with failures from ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
      [
        'mallory',
        48,
        `User mallory attempted to list AWS Bedrock foundation models 10 times with failures from ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
