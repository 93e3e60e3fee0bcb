/**
 * ASL AWS Credential Access RDS Password reset (TTP, risk: user 49, threat: src):
 *   api.operation=ModifyDBInstance OR api.operation=ModifyDBCluster | spath input=api.request.data
 *   | search masterUserPassword=* | fillnull | stats count min(_time) max(_time) by actor.user.uid
 *   api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 *   cloud.provider cloud.region api.request.data | rename ... | ctime
 * CloudTrail masks the new password as "****"; the key is there, which is all `=*` asks.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { iamUser } from '../../support/events.js';
import { asl, calls, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_credential_access_rds_password_reset.yml');
const mallory = iamUser('mallory');
const dba = iamUser('dba');
const at = { who: mallory, ip: '203.0.113.50' };

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        asl({
          ...at,
          time: '2026-11-19T12:00:00Z',
          call: calls.modifyDBInstance('prod-db', { masterUserPassword: '****', applyImmediately: true }),
        }),
        asl({
          ...at,
          time: '2026-11-19T12:05:00Z',
          call: calls.modifyDBCluster('aurora-prod', { masterUserPassword: '****', applyImmediately: true }),
        }),
        // near misses: a resize (no password), handing the password to Secrets Manager (the key
        // is manageMasterUserPassword: field names are case-sensitive and whole)
        asl({
          ...at,
          time: '2026-11-19T12:10:00Z',
          call: calls.modifyDBInstance('prod-db', { dBInstanceClass: 'db.r6g.large', applyImmediately: false }),
        }),
        asl({
          who: dba,
          time: '2026-11-19T12:15:00Z',
          call: calls.modifyDBInstance('prod-db', { manageMasterUserPassword: true, applyImmediately: true }),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('password resets of an instance and a cluster, with the request text', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      // "ModifyDBCluster" < "ModifyDBInstance"
      {
        ...standardRow({
          user: mallory.arn as string,
          action: 'ModifyDBCluster',
          dest: 'rds.amazonaws.com',
          src: '203.0.113.50',
          count: 1,
          first: '2026-11-19T12:05:00',
        }),
        'api.request.data': '{"dBClusterIdentifier":"aurora-prod","masterUserPassword":"****","applyImmediately":true}',
      },
      {
        ...standardRow({
          user: mallory.arn as string,
          action: 'ModifyDBInstance',
          dest: 'rds.amazonaws.com',
          src: '203.0.113.50',
          count: 1,
          first: '2026-11-19T12:00:00',
        }),
        'api.request.data': '{"dBInstanceIdentifier":"prod-db","masterUserPassword":"****","applyImmediately":true}',
      },
    ]);
    const risk = {
      object: mallory.arn,
      type: 'user',
      score: 49,
      message: `User ${mallory.arn as string} is seen to reset the password for database`,
      threats: ['ip_address:203.0.113.50'],
    };
    expect(riskOf(detection, rows)).toEqual([risk, risk]);
  });

  test('nothing when the request has no masterUserPassword', async () => {
    const quiet = await makeLake({
      ocsf: [
        asl({
          ...at,
          time: '2026-11-19T12:10:00Z',
          call: calls.modifyDBInstance('prod-db', { dBInstanceClass: 'db.r6g.large', applyImmediately: false }),
        }),
        asl({
          who: dba,
          time: '2026-11-19T12:15:00Z',
          call: calls.modifyDBCluster('aurora-prod', { manageMasterUserPassword: true, applyImmediately: true }),
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
