/**
 * AWS Exfiltration via DataSync Task (ESCU, CloudTrail): every DataSync CreateTask, grouped by
 * the caller and the task's source and destination locations (`rename requestParameters.* as *`
 * lifts them to top-level fields). There is no errorCode filter: a denied or failed CreateTask
 * counts too. Expected rows worked out by hand from Splunk semantics.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { ACCOUNT, assumedRole, ct, iamUser, type Identity } from '../../support/events.js';
import { CLI, failure, risks } from '../../support/events-ct2.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const d = corpusDetection('cloudtrail', 'aws_exfiltration_via_datasync_task.yml');

const loc = (id: string, region = 'us-east-1'): string => `arn:aws:datasync:${region}:${ACCOUNT}:location/${id}`;
const SRC_LOC = loc('loc-0a1b2c3d4e5f60718'); // the private S3 bucket
const OUT_LOC = loc('loc-0f9e8d7c6b5a40312'); // an S3 location the attacker controls
const BACKUP_LOC = loc('loc-0123456789abcdef0', 'us-west-2');
const AGENT = CLI('datasync.create-task');
const BOTO = 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.2.0 lang/python#3.11.5 Botocore/1.34.0';

interface Task {
  time: string;
  who: Identity;
  from: string;
  to: string;
  ip?: string;
  agent?: string;
  extra?: Record<string, unknown>;
}

/** CreateTask as CloudTrail logs it: the request's members in lowerCamelCase, the new task's ARN. */
const createTask = (t: Task): Record<string, unknown> =>
  ct({
    time: t.time,
    who: t.who,
    name: 'CreateTask',
    source: 'datasync.amazonaws.com',
    ip: t.ip ?? '203.0.113.66',
    agent: t.agent ?? AGENT,
    request: {
      sourceLocationArn: t.from,
      destinationLocationArn: t.to,
      cloudWatchLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/datasync:*`,
      name: 'nightly-sync',
      options: {
        verifyMode: 'ONLY_FILES_TRANSFERRED',
        overwriteMode: 'ALWAYS',
        transferMode: 'CHANGED',
        logLevel: 'BASIC',
      },
    },
    response: t.extra?.errorCode
      ? null
      : { taskArn: `arn:aws:datasync:us-east-1:${ACCOUNT}:task/task-08f1e2d3c4b5a6978` },
    extra: t.extra,
  });

describe('AWS Exfiltration via DataSync Task', () => {
  const mallory = iamUser('mallory');
  const backup = assumedRole('backup-automation', 'nightly');
  const events = [
    // two tasks from the private bucket to the outside location: one group, count 2
    createTask({ time: '2026-11-18T02:10:00Z', who: mallory, from: SRC_LOC, to: OUT_LOC }),
    createTask({ time: '2026-11-18T02:40:00Z', who: mallory, from: SRC_LOC, to: OUT_LOC }),
    // a failed attempt (a location in another account) still counts: no errorCode filter
    createTask({
      time: '2026-11-18T02:05:00Z',
      who: mallory,
      from: SRC_LOC,
      to: 'arn:aws:datasync:us-east-1:999988887777:location/loc-0badbadbadbadbad0',
      extra: failure('InvalidRequestException', 'Request references a resource which does not exist.'),
    }),
    // the backup role's own task: a row of its own, user from the session issuer
    createTask({
      time: '2026-11-18T01:00:00Z',
      who: backup,
      from: SRC_LOC,
      to: BACKUP_LOC,
      ip: '10.0.12.7',
      agent: BOTO,
    }),
    // starting the task is another event name: not read
    ct({
      time: '2026-11-18T02:45:00Z',
      who: mallory,
      name: 'StartTaskExecution',
      source: 'datasync.amazonaws.com',
      ip: '203.0.113.66',
      agent: CLI('datasync.start-task-execution'),
      request: { taskArn: `arn:aws:datasync:us-east-1:${ACCOUNT}:task/task-08f1e2d3c4b5a6978` },
    }),
    // ECS's CreateTaskSet is not CreateTask (no wildcard), and is not DataSync
    ct({
      time: '2026-11-18T03:00:00Z',
      who: mallory,
      name: 'CreateTaskSet',
      source: 'ecs.amazonaws.com',
      request: { cluster: 'prod', service: 'web', taskDefinition: 'web:42' },
    }),
  ];
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  const base = {
    signature: 'CreateTask',
    dest: 'datasync.amazonaws.com',
    vendor_account: ACCOUNT,
    vendor_region: 'us-east-1',
    vendor_product: 'AWS CloudTrail',
  };

  test('one row per caller and location pair; ordered by the BY fields', async () => {
    const rows = await runDetection(lake, d);
    expect(rows).toEqual([
      {
        ...base,
        user: 'backup-automation',
        user_agent: BOTO,
        src: '10.0.12.7',
        destinationLocationArn: BACKUP_LOC,
        sourceLocationArn: SRC_LOC,
        count: 1,
        firstTime: '2026-11-18T01:00:00',
        lastTime: '2026-11-18T01:00:00',
      },
      {
        ...base,
        user: 'mallory',
        user_agent: AGENT,
        src: '203.0.113.66',
        destinationLocationArn: OUT_LOC,
        sourceLocationArn: SRC_LOC,
        count: 2,
        firstTime: '2026-11-18T02:10:00',
        lastTime: '2026-11-18T02:40:00',
      },
      {
        ...base,
        user: 'mallory',
        user_agent: AGENT,
        src: '203.0.113.66',
        // '9' sorts after the account's '1'
        destinationLocationArn: 'arn:aws:datasync:us-east-1:999988887777:location/loc-0badbadbadbadbad0',
        sourceLocationArn: SRC_LOC,
        count: 1,
        firstTime: '2026-11-18T02:05:00',
        lastTime: '2026-11-18T02:05:00',
      },
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'signature',
      'dest',
      'user',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'destinationLocationArn',
      'sourceLocationArn',
      'count',
      'firstTime',
      'lastTime',
    ]);
  });

  test('risk: the user, with account and source IP in the message', async () => {
    const rows = await runDetection(lake, d);
    expect(risks(d, rows)).toEqual([
      [
        'backup-automation',
        'user',
        64,
        `DataSync task created on account id - ${ACCOUNT} by user backup-automation from src_ip 10.0.12.7`,
        ['ip_address:10.0.12.7'],
      ],
      [
        'mallory',
        'user',
        64,
        `DataSync task created on account id - ${ACCOUNT} by user mallory from src_ip 203.0.113.66`,
        ['ip_address:203.0.113.66'],
      ],
      [
        'mallory',
        'user',
        64,
        `DataSync task created on account id - ${ACCOUNT} by user mallory from src_ip 203.0.113.66`,
        ['ip_address:203.0.113.66'],
      ],
    ]);
  });
});
