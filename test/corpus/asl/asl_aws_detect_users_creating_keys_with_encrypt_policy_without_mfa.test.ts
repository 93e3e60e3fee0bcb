/**
 * ESCU "ASL AWS Detect Users Creating Keys With Encrypt Policy Without MFA" on Security Lake
 * (OCSF) records of our own. Expected rows worked out by hand from Splunk semantics: the key
 * policy (a JSON string in api.request.data) is read with spath; Statement{}.Action and
 * Statement{}.Principal are multivalue fields of the statements' *scalar* values (a Principal
 * object such as {"AWS": ...} is no Statement{}.Principal value), mvzip pairs them by position,
 * mvexpand makes a row per pair, and a pair fires when its action starts with kms and its
 * principal contains `*`. Because object principals leave no value, pairs can shift: a
 * statement's action can meet a later statement's principal, as in Splunk.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, ocsf } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { makeLake, runDetection, runSearch, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_detect_users_creating_keys_with_encrypt_policy_without_mfa.yml');
const CLI = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64';
const EVIL = '203.0.113.50';
const ROOT = { AWS: `arn:aws:iam::${ACCOUNT}:root` };

const statement = (Principal: unknown, Action: unknown) => ({ Effect: 'Allow', Principal, Action, Resource: '*' });
const keyRequest = (...statements: object[]) => ({
  description: 'ransom',
  keyUsage: 'ENCRYPT_DECRYPT',
  policy: JSON.stringify({ Version: '2012-10-17', Id: 'key-policy', Statement: statements }),
});
const call = (time: string, operation: 'CreateKey' | 'PutKeyPolicy', req: Record<string, unknown>) =>
  ocsf({ time, operation, service: 'kms.amazonaws.com', userName: 'mallory', ip: EVIL, agent: CLI, request: req });

// anyone may encrypt with the key
const openEncrypt = keyRequest(statement(ROOT, 'kms:*'), statement('*', 'kms:Encrypt'));
// the same on an existing key, with two open statements: two rows after mvexpand
const openTwice = {
  keyId: 'key-1',
  policyName: 'default',
  ...keyRequest(statement('*', 'kms:Encrypt'), statement('*', 'kms:GenerateDataKey')),
};
const attacks = [
  call('2026-11-18T10:00:00Z', 'CreateKey', openEncrypt),
  call('2026-11-18T10:30:00Z', 'PutKeyPolicy', openTwice),
];
const benign = [
  // only the account root: no scalar principal at all
  call('2026-11-18T11:00:00Z', 'CreateKey', keyRequest(statement(ROOT, 'kms:*'))),
  // an open principal, but not a kms action
  call('2026-11-18T11:05:00Z', 'CreateKey', keyRequest(statement('*', 'sts:AssumeRole'))),
  // another KMS call
  ocsf({
    time: '2026-11-18T11:10:00Z',
    operation: 'DescribeKey',
    service: 'kms.amazonaws.com',
    userName: 'mallory',
    ip: EVIL,
    agent: CLI,
    request: { keyId: 'key-1' },
  }),
];

const row = (action: string, req: object, count: number, time: string) => ({
  user: `arn:aws:iam::${ACCOUNT}:user/mallory`,
  action,
  dest: 'kms.amazonaws.com',
  user_agent: CLI,
  src: EVIL,
  vendor_account: ACCOUNT,
  vendor_product: 'AWS',
  vendor_region: 'us-east-1',
  'api.request.data': JSON.stringify(req),
  count,
  firstTime: time,
  lastTime: time,
});

async function run(events: object[]): Promise<Record<string, unknown>[]> {
  const lake: TestLake = await makeLake({ ocsf: events });
  try {
    return await runDetection(lake, detection);
  } finally {
    await lake.close();
  }
}

describe('ASL AWS Detect Users Creating Keys With Encrypt Policy Without MFA', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ ocsf: [...attacks, ...benign] });
  });
  afterAll(() => lake.close());

  test('fires on key policies that let any principal use kms actions', async () => {
    expect(await runDetection(lake, detection)).toEqual([
      // CreateKey: actions kms:*, kms:Encrypt; principals just "*" (ROOT is an object):
      // the pair is kms:*|* — the first statement's action with the second's principal
      row('CreateKey', openEncrypt, 1, '2026-11-18T10:00:00'),
      // two open statements: two expanded rows in one group
      row('PutKeyPolicy', openTwice, 2, '2026-11-18T10:30:00'),
    ]);
  });

  test("the pairs mvzip makes: an object principal leaves no value, so the next statement's principal moves up", async () => {
    // the detection up to its mvzip, on the CreateKey calls (newest first)
    const head = detection.search.slice(0, detection.search.indexOf('| mvexpand'));
    const r = await runSearch(lake, `${head} | search api.operation=CreateKey | table Statement`);
    expect(r.rows).toEqual([
      { Statement: ['sts:AssumeRole|*'] },
      // the root-only policy has no scalar principal: no pairs at all
      {},
      { Statement: ['kms:*|*'] },
    ]);
  });

  test('does not fire on policies without an open principal for a kms action', async () => {
    expect(await run(benign)).toEqual([]);
  });
});
