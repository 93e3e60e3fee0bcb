/**
 * AWS Lambda UpdateFunctionCode (ESCU, CloudTrail): successful Lambda code updates by IAM users.
 * CloudTrail names Lambda events with their API version (`UpdateFunctionCode20150331v2`), hence
 * the wildcard. No rba section. Expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, ct, iamUser, type Identity } from '../../support/events.js';
import { CLI, failure, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_lambda_updatefunctioncode.yml');
const AGENT = CLI('lambda.update-function-code');

interface Update {
  time: string;
  who: Identity;
  fn?: string;
  name?: string;
  region?: string;
  agent?: string;
  error?: Record<string, unknown>;
}

/** UpdateFunctionCode as CloudTrail logs it: the code itself is not logged, the response is the function's configuration. */
const update = (u: Update): Record<string, unknown> => {
  const region = u.region ?? 'us-east-1';
  const fn = u.fn ?? 'payments-handler';
  return ct({
    time: u.time,
    who: u.who,
    name: u.name ?? 'UpdateFunctionCode20150331v2',
    source: 'lambda.amazonaws.com',
    region,
    ip: '203.0.113.66',
    agent: u.agent ?? AGENT,
    request: { functionName: fn, publish: false, dryRun: false },
    response: u.error
      ? null
      : {
          functionName: fn,
          functionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${fn}`,
          runtime: 'python3.12',
          role: `arn:aws:iam::${ACCOUNT}:role/${fn}-role`,
          handler: 'app.handler',
          codeSize: 48213,
          lastUpdateStatus: 'InProgress',
          state: 'Active',
        },
    extra: u.error,
  });
};

describe('AWS Lambda UpdateFunctionCode', () => {
  const mallory = iamUser('mallory');
  const events = [
    // mallory replaces the code twice in us-east-1 and once in eu-west-1: two rows (vendor_region)
    update({ time: '2026-11-18T16:00:00Z', who: mallory }),
    update({ time: '2026-11-18T16:20:00Z', who: mallory, fn: 'auth-authorizer' }),
    update({ time: '2026-11-18T16:40:00Z', who: mallory, region: 'eu-west-1' }),
    // bob from the console: an IAM user, a success: fires too
    update({ time: '2026-11-18T09:00:00Z', who: iamUser('bob'), agent: 'AWS Internal' }),
    // the deployment pipeline's role: user_type AssumedRole: no
    update({ time: '2026-11-18T12:00:00Z', who: assumedRole('ci-deployer', 'build-88') }),
    // denied: errorCode is AccessDeniedException, not success: no
    update({
      time: '2026-11-18T16:05:00Z',
      who: iamUser('carol'),
      error: failure(
        'AccessDeniedException',
        `User: arn:aws:iam::${ACCOUNT}:user/carol is not authorized to perform: lambda:UpdateFunctionCode on resource: arn:aws:lambda:us-east-1:${ACCOUNT}:function:payments-handler because no identity-based policy allows the lambda:UpdateFunctionCode action`,
      ),
    }),
    // a configuration change is not a code change: no
    update({ time: '2026-11-18T16:10:00Z', who: mallory, name: 'UpdateFunctionConfiguration20150331v2' }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const row = (user: string, agent: string, region: string, count: number, first: string, last: string) => ({
    signature: 'UpdateFunctionCode20150331v2',
    dest: 'lambda.amazonaws.com',
    user,
    user_agent: agent,
    src: '203.0.113.66',
    vendor_account: ACCOUNT,
    vendor_region: region,
    vendor_product: 'AWS CloudTrail',
    count,
    firstTime: first,
    lastTime: last,
  });

  test("fires for IAM users' successful code updates, per region", async () => {
    expect(await runDetection(lake, d)).toEqual([
      row('bob', 'AWS Internal', 'us-east-1', 1, '2026-11-18T09:00:00', '2026-11-18T09:00:00'),
      row('mallory', AGENT, 'eu-west-1', 1, '2026-11-18T16:40:00', '2026-11-18T16:40:00'),
      row('mallory', AGENT, 'us-east-1', 2, '2026-11-18T16:00:00', '2026-11-18T16:20:00'),
    ]);
  });

  test('no rba: no risk events', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toHaveLength(3);
    expect(risks(d, rows)).toEqual([]);
  });
});
