/**
 * ASL AWS IAM AccessDenied Discovery Events (Anomaly, risk: user 10, threat: src_ip):
 *   api.response.error=AccessDenied OR api.response.error=OperationNotPermittedException
 *   OR api.response.error=*Unauthorized* actor.user.type=IAMUser
 *   | bucket _time span=1h
 *   | stats count as failures min(_time) as firstTime max(_time) as lastTime
 *     dc(api.operation) as dc_operation, dc(api.service.name) as dc_service
 *     values(api.operation) as api.operation values(api.service.name) as api.service.name
 *     values(http_request.user_agent) as http_request.user_agent values(src_endpoint.ip) as src_ip
 *     values(actor.user.account.uid) as actor.user.account.uid values(cloud.provider) as cloud.provider
 *     values(cloud.region) as cloud.region by _time actor.user.uid
 *   | where failures >= 5 AND dc_operation >= 1 AND dc_service >= 1
 *   | rename actor.user.uid as user api.operation as action ... src_endpoint.ip as src ... | ctime
 * OR binds tighter than the implied AND: (any of the three errors) AND an IAM user. After stats
 * there is no src_endpoint.ip (it became src_ip), so that rename does nothing and rows have no
 * `src`; the risk threat object is src_ip, which they do have.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { asl, type Call, calls, CLI_AGENT, denied, riskOf } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_iam_accessdenied_discovery_events.yml');
const eve = iamUser('eve');
const frank = iamUser('frank');
const gina = iamUser('gina');
const role = assumedRole('ReadOnly', 'scanner');
const ec2Denied = {
  code: 'Client.UnauthorizedOperation',
  message: 'You are not authorized to perform this operation.',
};
const kmsDenied = {
  code: 'AccessDeniedException',
  message: 'User: arn:aws:iam::111122223333:user/eve is not authorized to perform: kms:ListKeys',
};

/** an IAM discovery call denied with AccessDenied */
const deniedCall = (who: Record<string, unknown>, time: string, call: Call, ip = '203.0.113.99') =>
  asl({ who, ip, time, call, error: denied(`${call.source.split('.')[0] ?? ''}:${call.name}`, who.arn as string) });

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // eve: exactly 5 denied calls within 10:00-11:00 over 3 services, one from another address
        deniedCall(eve, '2026-11-18T10:05:00Z', calls.listUsers()),
        deniedCall(eve, '2026-11-18T10:06:00Z', calls.listRoles()),
        deniedCall(eve, '2026-11-18T10:07:00Z', calls.getAccountAuthorizationDetails(), '198.51.100.7'),
        // EC2's code matches *Unauthorized*
        asl({
          who: eve,
          ip: '203.0.113.99',
          time: '2026-11-18T10:08:00Z',
          call: calls.describeInstances(),
          error: ec2Denied,
        }),
        deniedCall(eve, '2026-11-18T10:59:59Z', calls.listBuckets()),
        // ... and not: KMS's AccessDeniedException is another value (a value matches whole)
        asl({ who: eve, ip: '203.0.113.99', time: '2026-11-18T10:09:00Z', call: calls.listKeys(), error: kmsDenied }),
        // ... nor a successful call, nor one in the next hour
        asl({ who: eve, ip: '203.0.113.99', time: '2026-11-18T10:10:00Z', call: calls.describeTrails() }),
        deniedCall(eve, '2026-11-18T11:00:00Z', calls.listUsers()),

        // frank: 4 denied calls in the hour, one under the threshold
        deniedCall(frank, '2026-11-18T10:01:00Z', calls.listUsers()),
        deniedCall(frank, '2026-11-18T10:02:00Z', calls.listRoles()),
        deniedCall(frank, '2026-11-18T10:03:00Z', calls.listBuckets()),
        asl({
          who: frank,
          ip: '203.0.113.99',
          time: '2026-11-18T10:04:00Z',
          call: calls.describeInstances(),
          error: ec2Denied,
        }),

        // gina: 6 denied calls, but split 3 + 3 over two hour buckets
        ...['10:40', '10:45', '10:50', '11:05', '11:10', '11:15'].map((t) =>
          deniedCall(gina, `2026-11-18T${t}:00Z`, calls.listUsers()),
        ),

        // a role session: actor.user.type is AssumedRole, not IAMUser
        ...['10:11', '10:12', '10:13', '10:14', '10:15'].map((t) =>
          deniedCall(role, `2026-11-18T${t}:00Z`, calls.listUsers()),
        ),
      ],
    });
  });
  afterAll(() => lake.close());

  test('five or more denials of an IAM user in one hour bucket', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        _time: Date.parse('2026-11-18T10:00:00Z') / 1000,
        user: eve.arn,
        failures: 5,
        // bucket rewrote _time to the hour's start before stats: min and max of it are that too
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:00:00',
        dc_operation: 5,
        dc_service: 3,
        action: ['DescribeInstances', 'GetAccountAuthorizationDetails', 'ListBuckets', 'ListRoles', 'ListUsers'],
        dest: ['ec2.amazonaws.com', 'iam.amazonaws.com', 's3.amazonaws.com'],
        user_agent: [CLI_AGENT],
        src_ip: ['198.51.100.7', '203.0.113.99'],
        vendor_account: [ACCOUNT],
        vendor_product: ['AWS'],
        vendor_region: ['us-east-1'],
      },
    ]);
    expect(riskOf(detection, rows)).toEqual([
      {
        object: eve.arn,
        type: 'user',
        score: 10,
        message: `User ${eve.arn as string} is seen to perform excessive number of discovery related api calls- 5, within an hour where the access was denied.`,
        threats: ['ip_address:198.51.100.7', 'ip_address:203.0.113.99'],
      },
    ]);
  });

  test('four denials in the hour are not enough', async () => {
    const quiet = await makeLake({
      ocsf: [
        deniedCall(frank, '2026-11-18T10:01:00Z', calls.listUsers()),
        deniedCall(frank, '2026-11-18T10:02:00Z', calls.listRoles()),
        deniedCall(frank, '2026-11-18T10:03:00Z', calls.listBuckets()),
        deniedCall(frank, '2026-11-18T10:04:00Z', calls.getAccountAuthorizationDetails()),
        // a fifth call that fails for another reason
        asl({ who: frank, ip: '203.0.113.99', time: '2026-11-18T10:05:00Z', call: calls.listKeys(), error: kmsDenied }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
