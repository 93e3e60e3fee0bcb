/**
 * ASL AWS EC2 Snapshot Shared Externally (TTP, risk: user 48, threat: src):
 *   api.operation=ModifySnapshotAttribute
 *   | spath input=api.request.data path=createVolumePermission.add.items{}.group output=group
 *   | search group=all | fillnull | stats count min(_time) max(_time) by actor.user.uid
 *     api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 *     cloud.provider cloud.region api.request.data
 *   | rename ... | ctime
 * Despite the name, only public shares (group "all") match; sharing with one account does not.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_ec2_snapshot_shared_externally.yml');
const mallory = iamUser('mallory');
const at = { who: mallory, ip: '203.0.113.50' };

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // made public
        asl({
          ...at,
          time: '2026-11-22T03:00:00Z',
          call: calls.modifySnapshotAttribute('snap-0a1b2c3d4e5f60001', 'add', [{ group: 'all' }]),
        }),
        // shared with an account and made public in one call: group is ["all"], which matches
        asl({
          ...at,
          time: '2026-11-22T03:01:00Z',
          call: calls.modifySnapshotAttribute('snap-0a1b2c3d4e5f60002', 'add', [
            { userId: '444455556666' },
            { group: 'all' },
          ]),
        }),
        // near misses: shared with one account only, public access removed
        asl({
          ...at,
          time: '2026-11-22T03:02:00Z',
          call: calls.modifySnapshotAttribute('snap-0a1b2c3d4e5f60003', 'add', [{ userId: '444455556666' }]),
        }),
        asl({
          ...at,
          time: '2026-11-22T03:03:00Z',
          call: calls.modifySnapshotAttribute('snap-0a1b2c3d4e5f60001', 'remove', [{ group: 'all' }]),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('public shares, one row per request text (a BY field)', async () => {
    const rows = await runDetection(lake, detection);
    const row = (data: string, time: string) => ({
      ...standardRow({
        user: mallory.arn as string,
        action: 'ModifySnapshotAttribute',
        dest: 'ec2.amazonaws.com',
        src: '203.0.113.50',
        count: 1,
        first: time,
      }),
      'api.request.data': data,
    });
    expect(rows).toEqual([
      row(
        '{"snapshotId":"snap-0a1b2c3d4e5f60001","createVolumePermission":{"add":{"items":[{"group":"all"}]}},"attributeType":"CREATE_VOLUME_PERMISSION"}',
        '2026-11-22T03:00:00',
      ),
      row(
        '{"snapshotId":"snap-0a1b2c3d4e5f60002","createVolumePermission":{"add":{"items":[{"userId":"444455556666"},{"group":"all"}]}},"attributeType":"CREATE_VOLUME_PERMISSION"}',
        '2026-11-22T03:01:00',
      ),
    ]);
    const risk = {
      object: mallory.arn,
      type: 'user',
      score: 48,
      message: `AWS EC2 snapshot from user ${mallory.arn as string} is shared publicly`,
      threats: ['ip_address:203.0.113.50'],
    };
    expect(riskOf(detection, rows)).toEqual([risk, risk]);
  });

  test('nothing for a share with one account or a removal', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({
          ...at,
          time: '2026-11-22T03:02:00Z',
          call: calls.modifySnapshotAttribute('snap-0a1b2c3d4e5f60003', 'add', [{ userId: '444455556666' }]),
        }),
        asl({
          ...at,
          time: '2026-11-22T03:03:00Z',
          call: calls.modifySnapshotAttribute('snap-0a1b2c3d4e5f60001', 'remove', [{ group: 'all' }]),
        }),
      ],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
