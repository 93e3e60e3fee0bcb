/**
 * ESCU "AWS Bedrock Invoke Model Access Denied" on CloudTrail events of our own. Expected rows
 * are worked out by hand from Splunk semantics (../shared/SEMANTICS.md): InvokeModel calls whose
 * errorCode is AccessDenied, grouped by src user user_agent vendor_account vendor_product dest
 * signature vendor_region result result_id, where the add-on's `result` is errorMessage and
 * `result_id` errorCode. IAM's message names the model, so each model denied is a group.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import {
  AGENT,
  accessDenied,
  bedrock,
  foundationModelArn,
  invokeModel,
  notAuthorized,
} from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_bedrock_invoke_model_access_denied.yml');

const EVIL = '203.0.113.50';
const CLAUDE = 'anthropic.claude-3-sonnet-20240229-v1:0';
const TITAN = 'amazon.titan-text-express-v1';
const mallory = iamUser('mallory');
const app = assumedRole('chatbot-lambda', 'chatbot-fn');
const denied = (who: typeof mallory, model: string) =>
  accessDenied(who, 'bedrock:InvokeModel', foundationModelArn(model));

const events = [
  // mallory, denied twice on Claude and once on Titan: the message differs, so two groups
  invokeModel({
    time: '2026-11-18T10:00:00Z',
    who: mallory,
    ip: EVIL,
    agent: AGENT.boto3,
    modelId: CLAUDE,
    error: denied(mallory, CLAUDE),
  }),
  invokeModel({
    time: '2026-11-18T10:02:00Z',
    who: mallory,
    ip: EVIL,
    agent: AGENT.boto3,
    modelId: CLAUDE,
    error: denied(mallory, CLAUDE),
  }),
  invokeModel({
    time: '2026-11-18T10:01:00Z',
    who: mallory,
    ip: EVIL,
    agent: AGENT.boto3,
    modelId: TITAN,
    error: denied(mallory, TITAN),
  }),
  // a Lambda function's role: user is the role (the session issuer)
  invokeModel({
    time: '2026-11-18T11:00:00Z',
    who: app,
    ip: '3.80.12.34',
    agent: AGENT.boto3,
    modelId: TITAN,
    error: denied(app, TITAN),
  }),
  // near misses: allowed; failed for another reason; a denied streaming call; a denied listing
  invokeModel({
    time: '2026-11-18T10:03:00Z',
    who: mallory,
    ip: EVIL,
    agent: AGENT.boto3,
    modelId: 'meta.llama3-8b-instruct-v1:0',
  }),
  invokeModel({
    time: '2026-11-18T10:04:00Z',
    who: mallory,
    ip: EVIL,
    agent: AGENT.boto3,
    modelId: CLAUDE,
    error: {
      code: 'ValidationException',
      message:
        'Malformed input request: #: required key [messages] not found, please reformat your input and try again.',
    },
  }),
  bedrock({
    time: '2026-11-18T10:05:00Z',
    name: 'InvokeModelWithResponseStream',
    who: mallory,
    ip: EVIL,
    agent: AGENT.boto3,
    request: { modelId: CLAUDE, contentType: 'application/json', accept: 'application/json' },
    error: accessDenied(mallory, 'bedrock:InvokeModelWithResponseStream', foundationModelArn(CLAUDE)),
  }),
  bedrock({
    time: '2026-11-18T10:06:00Z',
    name: 'ListFoundationModels',
    who: mallory,
    ip: EVIL,
    readOnly: true,
    error: accessDenied(mallory, 'bedrock:ListFoundationModels'),
  }),
];

const common = {
  user_agent: AGENT.boto3,
  vendor_account: ACCOUNT,
  vendor_product: 'AWS CloudTrail',
  dest: 'bedrock.amazonaws.com',
  signature: 'InvokeModel',
  vendor_region: 'us-east-1',
};

describe('AWS Bedrock Invoke Model Access Denied', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('one row per denied (caller, model message)', async () => {
    const rows = await runDetection(lake, detection);
    // groups sort by their BY values as text: the Titan message ("...foundation-model/am...") before Claude's ("/an...")
    expect(rows).toEqual([
      {
        src: EVIL,
        user: 'mallory',
        ...common,
        result: notAuthorized(mallory, 'bedrock:InvokeModel', foundationModelArn(TITAN)),
        result_id: 'AccessDenied',
        count: 1,
        firstTime: '2026-11-18T10:01:00',
        lastTime: '2026-11-18T10:01:00',
        modelIds: [TITAN],
      },
      {
        src: EVIL,
        user: 'mallory',
        ...common,
        result: notAuthorized(mallory, 'bedrock:InvokeModel', foundationModelArn(CLAUDE)),
        result_id: 'AccessDenied',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:02:00',
        modelIds: [CLAUDE],
      },
      {
        src: '3.80.12.34',
        user: 'chatbot-lambda',
        ...common,
        result: notAuthorized(app, 'bedrock:InvokeModel', foundationModelArn(TITAN)),
        result_id: 'AccessDenied',
        count: 1,
        firstTime: '2026-11-18T11:00:00',
        lastTime: '2026-11-18T11:00:00',
        modelIds: [TITAN],
      },
    ]);
  });

  test('nothing on allowed or otherwise failed calls', async () => {
    const only = await makeLake({ cloudtrail: events.slice(4) });
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
        64,
        `User mallory access denied when attempting to invoke AWS Bedrock models from ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'mallory',
        64,
        `User mallory access denied when attempting to invoke AWS Bedrock models from ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'chatbot-lambda',
        64,
        'User chatbot-lambda access denied when attempting to invoke AWS Bedrock models from 3.80.12.34',
        [{ value: '3.80.12.34', type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
