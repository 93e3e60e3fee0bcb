/**
 * `hunt lake import` with s3:// URLs as a user runs it: the real CLI process, its SDK pointed at
 * the S3 stand-in by AWS_ENDPOINT_URL_S3 (set by startS3 and inherited), flags checked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ctEvent, ndjson, ocsfRecord } from '../lake/helpers.js';
import { type S3Env, startS3 } from '../lake/s3/helpers.js';
import { hunt } from '../support/cli.js';

let env: S3Env;
let dir: string;
const BUCKET = 'trail-bucket';
const ACCOUNT = '111111111111';

beforeAll(async () => {
  env = await startS3();
  dir = mkdtempSync(join(tmpdir(), 'hunt-cli-s3-'));
  for (const [region, day] of [
    ['us-east-1', '2024/03/01'],
    ['us-east-1', '2024/03/05'],
    ['eu-west-1', '2024/03/01'],
  ] as const) {
    const events = [ctEvent({ awsRegion: region, eventTime: `${day.replaceAll('/', '-')}T10:00:00Z` })];
    env.s3.put(
      `s3://${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/${region}/${day}/${ACCOUNT}_CloudTrail_${region}_x.json.gz`,
      gzipSync(JSON.stringify({ Records: events })),
    );
  }
});
afterAll(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hunt lake import s3://', () => {
  test('imports the objects of a range and region, reports them per object, then finds them imported', async () => {
    const lake = join(dir, 'lake');
    const args = [
      'lake',
      'import',
      '--lake',
      lake,
      `s3://${BUCKET}/`,
      '--since',
      '2024-03-01',
      '--until',
      '2024-03-02',
    ];
    const r = await hunt([...args, '--region', 'us-east-1', '--json']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      files: { file: string; kind: string; added: number }[];
      s3: { listed: number; fetched: number };
    };
    expect(report.files).toEqual([
      expect.objectContaining({
        file: `s3://${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2024/03/01/${ACCOUNT}_CloudTrail_us-east-1_x.json.gz`,
        kind: 'cloudtrail',
        added: 1,
      }),
    ]);
    expect(report.s3).toMatchObject({ listed: 1, fetched: 1 });
    // the final progress line goes to stderr (not a terminal here)
    expect(r.stderr).toMatch(/S3 1\/1 objects/);
    const again = await hunt([...args, '--region', 'us-east-1,eu-west-1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/eu-west-1.*│ cloudtrail │ 1 /);
    expect(again.stdout).toMatch(/S3: 2 objects listed, 1 already imported, 1 fetched, 0 failed/);
  });

  test('a Security Lake bucket: names the folders of sources hunt has no table for, which it does not list', async () => {
    const lakeBucket = 'aws-security-data-lake-us-east-1-x';
    const at = `region=us-east-1/accountId=${ACCOUNT}/eventDay=20240301`;
    const record = ocsfRecord({ time: Date.parse('2024-03-01T10:00:00Z') });
    env.s3.put(`s3://${lakeBucket}/aws/CLOUD_TRAIL_MGMT/2.0/${at}/a.json.gz`, gzipSync(ndjson([record])));
    env.s3.put(`s3://${lakeBucket}/aws/NEW_SOURCE/1.0/${at}/b.json.gz`, gzipSync(ndjson([record])));
    const r = await hunt(['lake', 'import', '--lake', join(dir, 'sl'), `s3://${lakeBucket}/`, '--since', '2024-03-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CLOUD_TRAIL_MGMT.*│ ocsf +│ 1 /);
    expect(r.stdout).toMatch(
      /not listed \(Security Lake sources hunt has no table for\): s3:\/\/aws-security-data-lake-us-east-1-x\/aws\/NEW_SOURCE\//,
    );
    expect(env.s3.listings().some((p) => p.includes('NEW_SOURCE'))).toBe(false);
  });

  test('S3 flags without an s3:// URL, a bad time and a bad URL exit 2 with the reason', async () => {
    const file = join(dir, 'x.json');
    writeFileSync(file, JSON.stringify({ Records: [ctEvent()] }));
    const lake = join(dir, 'other');
    const noUrl = await hunt(['lake', 'import', '--lake', lake, file, '--since', '-1d']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/--since selects S3 objects: give an s3:\/\/bucket\/prefix/);
    const badTime = await hunt(['lake', 'import', '--lake', lake, `s3://${BUCKET}/`, '--since', 'yesterday-ish']);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/--since yesterday-ish/);
    const badUrl = await hunt(['lake', 'import', '--lake', lake, 's3://']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/s3:\/\//);
  });
});
