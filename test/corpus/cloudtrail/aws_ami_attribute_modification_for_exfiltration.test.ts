/**
 * ESCU "AWS AMI Attribute Modification for Exfiltration" on CloudTrail events of our own.
 * Expected rows worked out by hand from Splunk semantics: ModifyImageAttribute calls that add
 * launch permissions for accounts (`items{}.userId`) or for everyone (`items{}.group=all`);
 * the renamed multivalue fields feed values() with every value of every event, sorted as text;
 * `match(group_added, "all")` is null where group_added is missing, so if() says "Not Public".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, ct, iamUser } from '../../support/events.js';
import { corpusDetection } from '../../support/corpus.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_ami_attribute_modification_for_exfiltration.yml');
const AGENT = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64';
const EVIL = '203.0.113.50';
const OTHER_A = '444455556666';
const OTHER_B = '777788889999';

const modify = (time: string, launchPermission: Record<string, unknown>, who = iamUser('mallory'), ip = EVIL) =>
  ct({
    time,
    name: 'ModifyImageAttribute',
    source: 'ec2.amazonaws.com',
    who,
    ip,
    agent: AGENT,
    request: { imageId: 'ami-0abcdef1234567890', launchPermission, attributeType: 'launchPermission' },
    response: { _return: true },
  });

const add = (items: Record<string, string>[]) => ({ add: { items } });

const attacks = [
  // shared with two outside accounts, then made public: one group, count 2
  modify('2026-11-18T10:00:00Z', add([{ userId: OTHER_B }, { userId: OTHER_A }])),
  modify('2026-11-18T10:30:00Z', add([{ group: 'all' }])),
];
const benign = [
  // permissions removed, not added
  modify('2026-11-18T11:00:00Z', { remove: { items: [{ userId: OTHER_A }] } }),
  // another attribute of the image
  ct({
    time: '2026-11-18T11:05:00Z',
    name: 'ModifyImageAttribute',
    source: 'ec2.amazonaws.com',
    who: iamUser('mallory'),
    ip: EVIL,
    agent: AGENT,
    request: { imageId: 'ami-0abcdef1234567890', description: { value: 'golden image' }, attributeType: 'description' },
  }),
  // adding a launch permission on a snapshot is another event
  ct({
    time: '2026-11-18T11:10:00Z',
    name: 'ModifySnapshotAttribute',
    source: 'ec2.amazonaws.com',
    who: iamUser('mallory'),
    ip: EVIL,
    agent: AGENT,
    request: {
      snapshotId: 'snap-0123',
      createVolumePermission: add([{ userId: OTHER_A }]),
      attributeType: 'CREATE_VOLUME_PERMISSION',
    },
  }),
];

describe('AWS AMI Attribute Modification for Exfiltration', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: [...attacks, ...benign] });
  });
  afterAll(() => lake.close());

  test('fires: one row per user and source with the accounts added and whether the AMI went public', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        signature: 'ModifyImageAttribute',
        dest: 'ec2.amazonaws.com',
        user: 'mallory',
        user_agent: AGENT,
        src: EVIL,
        vendor_account: ACCOUNT,
        vendor_region: 'us-east-1',
        vendor_product: 'AWS CloudTrail',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:30:00',
        group_added: ['all'],
        // every value of every event, distinct, sorted as text
        accounts_added: [OTHER_A, OTHER_B],
        // the sharing event has no group_added: match() of nothing is null, so "Not Public"
        ami_status: ['Not Public', 'Public AMI'],
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
      'count',
      'firstTime',
      'lastTime',
      'group_added',
      'accounts_added',
      'ami_status',
    ]);
  });

  test('does not fire on removed permissions, other attributes or other resources', async () => {
    const only = await makeLake({ cloudtrail: benign });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });
});
