/**
 * `hunt lake import` of 10,000 small CloudTrail objects straight from S3 (the local S3 stand-in,
 * over HTTP, through the real SDK) beside the same files read from disk, in one run. The objects
 * are laid out as a trail bucket (one account, 2 regions, 10 days); each holds 5 events, as
 * CloudTrail writes many small files.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFiles, importSources } from '../src/lake/import.js';
import { pointAwsAt } from '../test/support/aws-env.js';
import { S3Standin } from '../test/support/s3-standin.js';
import type { BenchResult } from './lake-import.js';

const OBJECTS = 10_000;
const EVENTS_PER_OBJECT = 5;
const ACCOUNT = '111122223333';
const REGIONS = ['us-east-1', 'eu-west-1'];
const DAYS = 10;

function event(i: number, region: string, day: number): object {
  const t = new Date(Date.UTC(2024, 2, 1 + day, i % 24, i % 60)).toISOString().replace('.000Z', 'Z');
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/u${i % 40}`, accountId: ACCOUNT },
    eventTime: t,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: region,
    sourceIPAddress: `198.51.100.${i % 250}`,
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { maxResults: 5 },
    eventID: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
  };
}

/** The trail's objects: key → gzip body. */
function objects(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let n = 0;
  for (let o = 0; o < OBJECTS; o++) {
    const region = REGIONS[o % REGIONS.length]!;
    const day = Math.floor(o / (OBJECTS / DAYS));
    const path = `2024/03/${String(1 + day).padStart(2, '0')}`;
    const events = Array.from({ length: EVENTS_PER_OBJECT }, () => event(n++, region, day));
    out.set(
      `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${path}/${ACCOUNT}_CloudTrail_${region}_${o}.json.gz`,
      gzipSync(JSON.stringify({ Records: events })),
    );
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hunt-bench-s3-'));
  const s3 = await new S3Standin().start();
  const restore = pointAwsAt({ AWS_ENDPOINT_URL_S3: s3.url });
  try {
    const all = objects();
    for (const [key, body] of all) {
      s3.put(`s3://trail/${key}`, body);
      const file = join(dir, 'trail', ...key.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, body);
    }
    let t = performance.now();
    const disk = await importFiles(join(dir, 'lake-disk'), [join(dir, 'trail')]);
    const diskSec = (performance.now() - t) / 1000;
    t = performance.now();
    const remote = await importSources(join(dir, 'lake-s3'), ['s3://trail/'], { s3: { filter: {} } });
    const s3Sec = (performance.now() - t) / 1000;
    const events = OBJECTS * EVENTS_PER_OBJECT;
    if (disk.cloudtrail.added !== events || remote.cloudtrail.added !== events) {
      throw new Error(`imported ${disk.cloudtrail.added} from disk and ${remote.cloudtrail.added} from S3`);
    }
    return [
      {
        name: 'lake import 10,000 small objects: S3 / disk',
        value: Number((s3Sec / diskSec).toFixed(2)),
        unit: '×',
        note: `S3 stand-in ${s3Sec.toFixed(1)} s, disk ${diskSec.toFixed(1)} s, ${events} events; target <= 2`,
      },
    ];
  } finally {
    restore();
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
