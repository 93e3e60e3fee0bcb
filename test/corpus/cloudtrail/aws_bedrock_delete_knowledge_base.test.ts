/**
 * ESCU "AWS Bedrock Delete Knowledge Base" on CloudTrail events of our own. Expected rows are
 * worked out by hand from Splunk semantics (../shared/SEMANTICS.md): bedrock.amazonaws.com
 * DeleteKnowledgeBase calls of any outcome, `user` is the add-on's user_name (for root: the ARN's
 * tail), grouped by src user user_agent vendor_account vendor_product dest signature
 * vendor_region, groups sorted by those values as text.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, iamUser, rootUser } from '../../support/events.js';
import { AGENT, accessDenied, bedrock } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_bedrock_delete_knowledge_base.yml');

const mallory = iamUser('mallory');
const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';

const del = (time: string, id: string, o: Partial<Parameters<typeof bedrock>[0]> = {}) =>
  bedrock({
    time,
    name: 'DeleteKnowledgeBase',
    who: mallory,
    ip: EVIL,
    request: { knowledgeBaseId: id },
    response: { knowledgeBaseId: id, status: 'DELETING' },
    ...o,
  });

const events = [
  del('2026-11-18T10:05:00Z', 'WXYZ987654'),
  del('2026-11-18T10:00:00Z', 'ABCD123456'),
  // the same knowledge base twice: values() keeps it once, count counts both
  del('2026-11-18T10:07:00Z', 'ABCD123456', {
    error: { code: 'ResourceNotFoundException', message: 'KnowledgeBase ABCD123456 is not found.' },
  }),
  // root: no userIdentity.userName, so user_name is the ARN's tail, "root"
  del('2026-11-18T12:00:00Z', 'QRST555555', { who: rootUser(), ip: HOME, agent: AGENT.browser }),
  // near misses: a data source of the knowledge base (it names knowledgeBaseId too), an agent, a
  // GetKnowledgeBase
  bedrock({
    time: '2026-11-18T10:01:00Z',
    name: 'DeleteDataSource',
    who: mallory,
    ip: EVIL,
    request: { knowledgeBaseId: 'ABCD123456', dataSourceId: 'DS00000001' },
  }),
  bedrock({
    time: '2026-11-18T10:02:00Z',
    name: 'DeleteAgent',
    who: mallory,
    ip: EVIL,
    request: { agentId: 'AGENT00001', skipResourceInUseCheck: false },
  }),
  bedrock({
    time: '2026-11-18T10:03:00Z',
    name: 'GetKnowledgeBase',
    who: iamUser('bob'),
    ip: HOME,
    request: { knowledgeBaseId: 'ABCD123456' },
    error: accessDenied(iamUser('bob'), 'bedrock:GetKnowledgeBase'),
    readOnly: true,
  }),
];

const common = {
  vendor_account: ACCOUNT,
  vendor_product: 'AWS CloudTrail',
  dest: 'bedrock.amazonaws.com',
  signature: 'DeleteKnowledgeBase',
  vendor_region: 'us-east-1',
};

describe('AWS Bedrock Delete Knowledge Base', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('one row per (src, user, ...) with the deleted knowledge base ids', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        src: HOME,
        user: 'root',
        user_agent: AGENT.browser,
        ...common,
        count: 1,
        firstTime: '2026-11-18T12:00:00',
        lastTime: '2026-11-18T12:00:00',
        knowledgeBaseIds: ['QRST555555'],
      },
      {
        src: EVIL,
        user: 'mallory',
        user_agent: AGENT.cli,
        ...common,
        count: 3,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:07:00',
        knowledgeBaseIds: ['ABCD123456', 'WXYZ987654'],
      },
    ]);
  });

  test('nothing without a DeleteKnowledgeBase', async () => {
    const only = await makeLake({ cloudtrail: events.slice(4) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user, with the message fields and the src threat object present', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T13:00:00Z');
    expect(
      risk.map((r) => [r.risk_object, r.risk_object_type, r.risk_score, r.risk_message, r.threat_objects]),
    ).toEqual([
      [
        'root',
        'user',
        70,
        `User root deleted AWS Bedrock Knowledge Base QRST555555 from ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
      [
        'mallory',
        'user',
        70,
        `User mallory deleted AWS Bedrock Knowledge Base ABCD123456, WXYZ987654 from ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
