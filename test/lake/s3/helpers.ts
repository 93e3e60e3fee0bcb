/**
 * The S3 stand-in with the SDK's standard environment pointed at it (restored on close), and
 * the two bucket layouts the listing tests walk.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { makeImportS3Client } from '../../../src/lake/s3/client.js';
import { pointAwsAt } from '../../support/aws-env.js';
import { S3Standin } from '../../support/s3-standin.js';

export interface S3Env {
  s3: S3Standin;
  client: () => S3Client;
  close(): Promise<void>;
}

export async function startS3(): Promise<S3Env> {
  const s3 = await new S3Standin().start();
  const restore = pointAwsAt({ AWS_ENDPOINT_URL_S3: s3.url });
  const clients: S3Client[] = [];
  return {
    s3,
    client() {
      const c = makeImportS3Client();
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      await s3.stop();
      restore();
    },
  };
}

export const TRAIL = 'trail-bucket';
export const ORG = 'o-abcdef1234';
export const ACCT_A = '111111111111';
export const ACCT_B = '222222222222';
export const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];
export const DAYS = ['2024/02/28', '2024/02/29', '2024/03/01', '2024/03/02', '2024/03/03'];

/** The trail's account folders: A directly under AWSLogs/, B under the organization's folder. */
export const TRAIL_ACCOUNTS = [`logs/AWSLogs/${ACCT_A}/`, `logs/AWSLogs/${ORG}/${ACCT_B}/`];

/** A trail bucket under `logs/`: 2 accounts, 3 regions, 5 days, digests, insights, noise. */
export function fillTrail(s3: S3Standin): string[] {
  const keys: string[] = [];
  for (const acct of TRAIL_ACCOUNTS)
    for (const region of REGIONS)
      for (const day of DAYS) {
        const id = acct.split('/').at(-2);
        const stamp = day.replace(/\//g, '');
        for (const n of [1, 2]) {
          const key = `${acct}CloudTrail/${region}/${day}/${id}_CloudTrail_${region}_${stamp}T0${n}00Z_x${n}.json.gz`;
          s3.put(`s3://${TRAIL}/${key}`, `{"Records":[]} ${key}`);
          keys.push(key);
        }
        s3.put(`s3://${TRAIL}/${acct}CloudTrail-Digest/${region}/${day}/digest.json.gz`, 'digest');
        s3.put(`s3://${TRAIL}/${acct}CloudTrail-Insight/${region}/${day}/insight.json.gz`, 'insight');
      }
  s3.put(`s3://${TRAIL}/logs/AWSLogs/${ACCT_A}/Config/us-east-1/2024/3/1/config.json.gz`, 'config');
  s3.put(`s3://${TRAIL}/athena-results/q.csv`, 'a,b');
  return keys.sort();
}

export const LAKE = 'aws-security-data-lake-us-east-1-abcdef';
export const LAKE_DAYS = ['20240228', '20240229', '20240301', '20240302', '20240303'];

/** A source folder of a Security Lake bucket hunt has no table for (a source AWS may add). */
export const UNKNOWN_SOURCE = 'NEW_SOURCE';

/**
 * A Security Lake bucket: CloudTrail management events and VPC Flow (2.0), and a source hunt
 * has no table for, 2 accounts, 3 regions, 5 days. Returns the keys of the known sources.
 */
export function fillLake(s3: S3Standin): string[] {
  const keys: string[] = [];
  for (const source of ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', UNKNOWN_SOURCE])
    for (const region of REGIONS)
      for (const acct of [ACCT_A, ACCT_B])
        for (const day of LAKE_DAYS) {
          const key = `aws/${source}/2.0/region=${region}/accountId=${acct}/eventDay=${day}/part-${acct}-${day}.gz.parquet`;
          s3.put(`s3://${LAKE}/${key}`, `PAR1 ${key}`);
          if (source !== UNKNOWN_SOURCE) keys.push(key);
        }
  s3.put(`s3://${LAKE}/ext/custom/region=us-east-1/accountId=${ACCT_A}/eventDay=20240301/x.parquet`, 'PAR1');
  return keys.sort();
}
