/**
 * Security Lake's S3 and Lambda data-event tables in the local lake: a file of OCSF records is
 * split by the import rules (class 6003 from CloudTrail, feature Data, by api.service.name),
 * either source version; data events of other services stay skipped as unsupported.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cloudtrailToOcsf } from '../../src/demo/ocsf.js';
import { importFiles } from '../../src/lake/import.js';
import { toRc2 } from '../support/ocsf-rc2.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const event = (id: string, eventSource: string, eventName: string, data: boolean): Record<string, unknown> => {
  const ocsf = cloudtrailToOcsf({
    eventVersion: '1.09',
    eventTime: '2026-11-18T10:00:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.5',
    eventID: id,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', accountId: '111122223333', userName: 'alice' },
    ...(data ? { eventCategory: 'Data', managementEvent: false } : { eventCategory: 'Management' }),
  });
  if (!ocsf) throw new Error('not converted');
  return ocsf;
};

test('S3 and Lambda data events land in their own tables, v2 and rc.2 alike; other data events are skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-data-events-'));
  const inDir = mkdtempSync(join(tmpdir(), 'hunt-data-events-in-'));
  dirs.push(dir, inDir);
  const file = join(inDir, 'mixed.jsonl');
  const lines = [
    event('m1', 'iam.amazonaws.com', 'CreateUser', false),
    event('s1', 's3.amazonaws.com', 'GetObject', true),
    toRc2(event('s2', 's3.amazonaws.com', 'CopyObject', true)),
    event('l1', 'lambda.amazonaws.com', 'Invoke', true),
    event('d1', 'dynamodb.amazonaws.com', 'GetItem', true),
    // a management S3 call stays in the management table
    event('m2', 's3.amazonaws.com', 'PutBucketPolicy', false),
  ];
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const summary = await importFiles(dir, [file]);
  expect(summary.securityLake.added).toBe(2);
  expect(summary.securityLakeS3Data.added).toBe(2);
  expect(summary.securityLakeLambdaExecution.added).toBe(1);
  const [report] = summary.files;
  expect(report?.kind).toBe('ocsf');
  expect(report?.problems).toEqual([
    'line 5: OCSF class 6003 (API Activity) from CloudTrail data events: hunt has no local table for it',
  ]);
});
