import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listS3Objects, S3ListError } from '../../../src/lake/s3/list.js';
import { S3PlanError } from '../../../src/lake/s3/prefixes.js';
import { parseS3Url } from '../../../src/lake/s3/url.js';
import {
  ACCT_A,
  ACCT_B,
  fillLake,
  fillTrail,
  LAKE,
  ORG,
  type S3Env,
  startS3,
  TRAIL,
  UNKNOWN_SOURCE,
} from './helpers.js';

let env: S3Env;
beforeAll(async () => {
  env = await startS3();
});
afterAll(async () => {
  await env.close();
});
beforeEach(() => env.s3.reset());

const keysOf = (objects: { key: string }[]): string[] => objects.map((o) => o.key);

describe('listing a CloudTrail bucket', () => {
  it('lists only the folders of the filtered account, region and days (plus the delivery day after until)', async () => {
    const all = fillTrail(env.s3);
    const objects = await listS3Objects(env.client(), parseS3Url(`s3://${TRAIL}/logs`), {
      filter: {
        since: new Date('2024-02-29T10:00:00Z'),
        until: new Date('2024-03-01T20:00:00Z'),
        regions: ['us-east-1'],
        accounts: [ACCT_B],
      },
    });
    const base = `logs/AWSLogs/${ORG}/${ACCT_B}/CloudTrail/us-east-1/`;
    expect(env.s3.listings().sort()).toEqual(
      ['logs/|/', 'logs/AWSLogs/|/', `${base}2024/02/29/|`, `${base}2024/03/01/|`, `${base}2024/03/02/|`].sort(),
    );
    const expected = all.filter((k) => k.startsWith(base) && /\/2024\/(02\/29|03\/01|03\/02)\//.test(k));
    expect(expected).toHaveLength(6);
    expect(keysOf(objects)).toEqual(expected);
    const first = objects[0];
    expect(first).toMatchObject({ bucket: TRAIL, etag: env.s3.etag(`s3://${TRAIL}/${first?.key}`) });
    expect(first?.size).toBeGreaterThan(0);
    expect(first?.lastModified).toBeInstanceOf(Date);
  });

  it('finds the trail from the bucket root and never lists digests or insights', async () => {
    const all = fillTrail(env.s3);
    const objects = await listS3Objects(env.client(), parseS3Url(`s3://${TRAIL}/`), { concurrency: 3 });
    expect(keysOf(objects)).toEqual(all);
    expect(all).toHaveLength(60);
    const listed = env.s3.listings();
    expect(listed.filter((p) => /Digest|Insight|Config/.test(p))).toEqual([]);
    // every region folder is listed once, recursively; the account folders are never listed
    expect(listed.filter((p) => p.endsWith('|'))).toHaveLength(6);
    expect(listed).not.toContain(`logs/AWSLogs/${ACCT_A}/|/`);
  });

  it('pages through long listings (max 1000 entries a page)', async () => {
    for (let i = 0; i < 2100; i++)
      env.s3.put(
        `s3://${TRAIL}/AWSLogs/${ACCT_A}/CloudTrail/us-east-1/2024/03/01/f${String(i).padStart(5, '0')}.json.gz`,
        'x',
      );
    const objects = await listS3Objects(env.client(), parseS3Url(`s3://${TRAIL}`), {
      filter: { since: new Date('2024-03-01T00:00:00Z'), until: new Date('2024-03-01T01:00:00Z') },
    });
    expect(objects).toHaveLength(2100);
    expect(env.s3.requests.filter((r) => r.query['continuation-token'])).toHaveLength(2);
  });

  it('with only until, lists the regions whole and drops later days by key', async () => {
    fillTrail(env.s3);
    const objects = await listS3Objects(env.client(), parseS3Url(`s3://${TRAIL}/logs/AWSLogs/${ACCT_A}/`), {
      filter: { until: new Date('2024-02-28T12:00:00Z'), regions: ['eu-west-1'] },
    });
    expect(env.s3.listings()).toEqual([`logs/AWSLogs/${ACCT_A}/CloudTrail/eu-west-1/|`]);
    expect(keysOf(objects).map((k) => k.split('/').slice(5, 8).join('/'))).toEqual([
      '2024/02/28',
      '2024/02/28',
      '2024/02/29',
      '2024/02/29',
    ]);
  });

  it('reads a folder of another layout whole, but refuses the root of an unrecognised bucket', async () => {
    fillTrail(env.s3);
    env.s3.put('s3://other/exports/2024/a.json', '{}');
    env.s3.put('s3://other/exports/2024/b/c.json', '{}');
    const objects = await listS3Objects(env.client(), parseS3Url('s3://other/exports/'));
    expect(keysOf(objects)).toEqual(['exports/2024/a.json', 'exports/2024/b/c.json']);
    await expect(listS3Objects(env.client(), parseS3Url('s3://other'))).rejects.toThrow(S3PlanError);
    await expect(listS3Objects(env.client(), parseS3Url('s3://other'))).rejects.toThrow(
      /s3:\/\/other\/: found neither CloudTrail logs/,
    );
  });

  it('names the prefix and S3 error code when a listing fails', async () => {
    await expect(listS3Objects(env.client(), parseS3Url('s3://missing-bucket/AWSLogs/'))).rejects.toThrow(S3ListError);
    await expect(listS3Objects(env.client(), parseS3Url('s3://missing-bucket/AWSLogs/'))).rejects.toThrow(
      /cannot list s3:\/\/missing-bucket\/AWSLogs\/: NoSuchBucket/,
    );
  });
});

describe('listing a Security Lake bucket', () => {
  it('builds the region, account and eventDay folders from the filter', async () => {
    const all = fillLake(env.s3);
    const objects = await listS3Objects(env.client(), parseS3Url(`s3://${LAKE}`), {
      filter: {
        since: new Date('2024-03-01T00:00:00Z'),
        until: new Date('2024-03-02T23:00:00Z'),
        regions: ['us-east-1', 'eu-west-1'],
        accounts: [ACCT_A],
      },
    });
    // each source hunt has a table for, found by the one listing of aws/; not the unknown one
    const days = (source: string): string[] =>
      ['eu-west-1', 'us-east-1'].flatMap((r) =>
        ['20240301', '20240302'].map((d) => `aws/${source}/2.0/region=${r}/accountId=${ACCT_A}/eventDay=${d}/|`),
      );
    expect(env.s3.listings().sort()).toEqual(
      [
        '|/',
        'aws/|/',
        'ext/|/',
        'aws/CLOUD_TRAIL_MGMT/|/',
        'aws/VPC_FLOW/|/',
        ...days('CLOUD_TRAIL_MGMT'),
        ...days('VPC_FLOW'),
      ].sort(),
    );
    expect(keysOf(objects)).toEqual(
      all.filter((k) => /region=(us-east-1|eu-west-1)\//.test(k) && k.includes(ACCT_A) && /=2024030[12]\//.test(k)),
    );
    expect(objects).toHaveLength(8);
  });

  it('names the folders of sources it has no table for, and lists nothing in them', async () => {
    fillLake(env.s3);
    const unknown: string[][] = [];
    await listS3Objects(env.client(), parseS3Url(`s3://${LAKE}/aws/`), {
      filter: { since: new Date('2024-03-01T00:00:00Z'), until: new Date('2024-03-01T23:00:00Z') },
      onUnknownSources: (prefixes) => unknown.push(prefixes),
    });
    expect(unknown).toEqual([[`aws/${UNKNOWN_SOURCE}/`]]);
    expect(env.s3.listings().filter((p) => p.includes(UNKNOWN_SOURCE))).toEqual([]);
  });

  it('without a filter lists every account folder of the CloudTrail source, and nothing of other sources', async () => {
    const all = fillLake(env.s3);
    const objects = await listS3Objects(env.client(), parseS3Url(`s3://${LAKE}/aws/CLOUD_TRAIL_MGMT/2.0/`));
    expect(keysOf(objects)).toEqual(all.filter((k) => k.startsWith('aws/CLOUD_TRAIL_MGMT/')));
    expect(env.s3.listings().filter((p) => p.includes('VPC_FLOW'))).toEqual([]);
  });

  it('with since only, lists the eventDay level of the filtered account and keeps days up to now', async () => {
    fillLake(env.s3);
    const objects = await listS3Objects(
      env.client(),
      parseS3Url(`s3://${LAKE}/aws/CLOUD_TRAIL_MGMT/2.0/region=us-west-2/`),
      {
        filter: { since: new Date('2024-03-02T05:00:00Z'), accounts: [ACCT_B] },
        now: new Date('2024-03-02T06:00:00Z'),
      },
    );
    expect(env.s3.listings()).toEqual([
      `aws/CLOUD_TRAIL_MGMT/2.0/region=us-west-2/accountId=${ACCT_B}/eventDay=20240302/|`,
    ]);
    expect(objects).toHaveLength(1);
  });
});
