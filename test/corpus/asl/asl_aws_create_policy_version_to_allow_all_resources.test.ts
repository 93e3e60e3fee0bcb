/**
 * ESCU "ASL AWS Create Policy Version to allow all resources" on Security Lake (OCSF) records of
 * our own. Expected rows worked out by hand from Splunk semantics: CreatePolicy calls whose
 * policy document (a JSON string inside api.request.data, read with two spaths) has a statement
 * Action and a statement Resource containing `*` anywhere (`regex` is unanchored, and any value
 * of the multivalue Statement{}.Action counts). An Action written as a JSON array is not a
 * Statement{}.Action value (spath names its elements Statement{}.Action{}), so it never matches.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, ocsf } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_create_policy_version_to_allow_all_resources.yml');
const CLI = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64';
const EVIL = '203.0.113.50';

const statement = (Action: unknown, Resource: unknown) => ({ Effect: 'Allow', Action, Resource });
const request = (name: string, ...statements: object[]) => ({
  policyName: name,
  policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
});
const createPolicy = (time: string, req: Record<string, unknown>, userName = 'mallory') =>
  ocsf({ time, operation: 'CreatePolicy', service: 'iam.amazonaws.com', userName, ip: EVIL, agent: CLI, request: req });

const adminAll = request('admin-all', statement('*', '*'));
const s3Everything = request('s3-everything', statement('s3:GetObject', 'arn:aws:s3:::logs/*'), statement('s3:*', '*'));
const attacks = [createPolicy('2026-11-18T10:00:00Z', adminAll), createPolicy('2026-11-18T10:30:00Z', s3Everything)];
const benign = [
  // no * in any Action
  createPolicy('2026-11-18T11:00:00Z', request('read-logs', statement('s3:GetObject', 'arn:aws:s3:::logs/*'))),
  // no * in any Resource
  createPolicy('2026-11-18T11:05:00Z', request('s3-one-bucket', statement('s3:*', 'arn:aws:s3:::logs'))),
  // Action as an array: Statement{}.Action{}, not Statement{}.Action
  createPolicy('2026-11-18T11:10:00Z', request('array-action', statement(['*'], '*'))),
  // another operation with the same document
  ocsf({
    time: '2026-11-18T11:15:00Z',
    operation: 'CreatePolicyVersion',
    service: 'iam.amazonaws.com',
    userName: 'mallory',
    ip: EVIL,
    agent: CLI,
    request: adminAll,
  }),
];

const row = (req: object, time: string) => ({
  user: `arn:aws:iam::${ACCOUNT}:user/mallory`,
  action: 'CreatePolicy',
  dest: 'iam.amazonaws.com',
  user_agent: CLI,
  src: EVIL,
  vendor_account: ACCOUNT,
  vendor_product: 'AWS',
  vendor_region: 'us-east-1',
  'api.request.data': JSON.stringify(req),
  count: 1,
  firstTime: time,
  lastTime: time,
});

describe('ASL AWS Create Policy Version to allow all resources', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ ocsf: [...attacks, ...benign] });
  });
  afterAll(() => lake.close());

  test('fires on policies with * in an Action and in a Resource, one row per request', async () => {
    const rows = await runDetection(lake, detection);
    // groups sorted by their BY values; the last one is api.request.data: {"policyName":"admin-all"... < {"policyName":"s3-...
    expect(rows).toEqual([row(adminAll, '2026-11-18T10:00:00'), row(s3Everything, '2026-11-18T10:30:00')]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'user',
      'action',
      'dest',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_product',
      'vendor_region',
      'api.request.data',
      'count',
      'firstTime',
      'lastTime',
    ]);
  });

  test('does not fire without * in both, on array Actions, or on other operations', async () => {
    const only = await makeLake({ ocsf: benign });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });
});
