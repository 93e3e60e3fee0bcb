/**
 * `hunt lake import s3://...` end to end: the real SDK over HTTP against the S3 stand-in, real
 * gzip CloudTrail and Security Lake Parquet objects in their buckets' layouts, imported into a
 * real lake: only the prefixes a range needs are listed, only new objects are fetched, and an
 * interrupted import resumes without fetching again what it committed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importExitCode, importSources } from '../../../src/lake/import.js';
import { LEDGER_FILE } from '../../../src/lake/s3/ledger.js';
import { rc2Finding } from '../../support/events-sl-sources.js';
import { flow, rc2Flow } from '../../support/network-day.js';
import { toRc2 } from '../../support/ocsf-rc2.js';
import { sampleColumns } from '../../support/reference-schemas.js';
import { writeSecurityLakeParquet } from '../../support/security-lake-parquet.js';
import { ctEvent, ocsfRecord, query, tempDirs } from '../helpers.js';
import { ACCT_A, ACCT_B, ORG, REGIONS, type S3Env, startS3, UNKNOWN_SOURCE } from './helpers.js';

let env: S3Env;
beforeAll(async () => {
  env = await startS3();
});
afterAll(async () => {
  await env.close();
});
beforeEach(() => env.s3.reset());
const tmp = tempDirs();

const TRAIL = 'trail-bucket';
const LAKE_BUCKET = 'aws-security-data-lake-us-east-1-abcdef';
const DAYS = ['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02', '2024-03-03'];
const ACCOUNT_DIRS: [string, string][] = [
  [ACCT_A, `AWSLogs/${ACCT_A}/`],
  [ACCT_B, `AWSLogs/${ORG}/${ACCT_B}/`],
];

/**
 * A trail bucket: per account, region and day two gzip Records files of 3 events each (at
 * 01:00 and 02:00 of that day), and digest files beside them. Returns the events per key.
 */
function fillTrail(): Map<string, Record<string, unknown>[]> {
  const byKey = new Map<string, Record<string, unknown>[]>();
  for (const [acct, dir] of ACCOUNT_DIRS)
    for (const region of REGIONS)
      for (const day of DAYS) {
        const path = day.replaceAll('-', '/');
        for (const n of [1, 2]) {
          const events = [0, 1, 2].map((i) =>
            ctEvent({
              awsRegion: region,
              recipientAccountId: acct,
              eventTime: `${day}T0${n}:1${i}:00Z`,
            }),
          );
          const key = `${dir}CloudTrail/${region}/${path}/${acct}_CloudTrail_${region}_${day.replaceAll('-', '')}T0${n}00Z_x.json.gz`;
          env.s3.put(`s3://${TRAIL}/${key}`, gzipSync(JSON.stringify({ Records: events })));
          byKey.set(key, events);
        }
        env.s3.put(
          `s3://${TRAIL}/${dir}CloudTrail-Digest/${region}/${path}/${acct}_CloudTrail-Digest_${region}_x.json.gz`,
          gzipSync(JSON.stringify({ digestStartTime: day, digestEndTime: day, logFiles: [] })),
        );
      }
  return byKey;
}

/**
 * A Security Lake bucket with CloudTrail management events in both source versions: 1.0 (rc.2,
 * no region/account columns: the path says) for the first days, 2.0 after. Returns the record
 * ids per key.
 */
async function fillSecurityLake(dir: string): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  for (const region of ['us-east-1', 'eu-west-1'])
    for (const acct of [ACCT_A, ACCT_B])
      for (const [d, day] of DAYS.entries()) {
        const version = d < 2 ? '1.0' : '2.0';
        const records = [0, 1].map((i) =>
          ocsfRecord({
            time: Date.parse(`${day}T0${i}:30:00Z`),
            cloud: { provider: 'AWS', region, account: { uid: acct } },
            actor: {
              user: { type: 'IAMUser', name: 'bob', uid: `arn:aws:iam::${acct}:user/bob`, account: { uid: acct } },
            },
          }),
        );
        const file = join(dir, `${region}-${acct}-${day}.parquet`);
        await writeSecurityLakeParquet(file, version === '1.0' ? records.map(toRc2) : records, {
          version: version === '1.0' ? 'v1' : 'v2',
        });
        const key = `aws/CLOUD_TRAIL_MGMT/${version}/region=${region}/accountId=${acct}/eventDay=${day.replaceAll('-', '')}/${acct}-${day}.gz.parquet`;
        env.s3.put(`s3://${LAKE_BUCKET}/${key}`, await readFile(file));
        byKey.set(
          key,
          records.map((r) => String((r.metadata as { uid: string }).uid)),
        );
      }
  return byKey;
}

/**
 * A Security Lake bucket of three sources hunt has tables for, each in its own folder and as
 * Security Lake writes it (CloudTrail management events of source version 2; VPC Flow and
 * Security Hub findings of version 1, with the real rc.2 samples' columns), and one source it
 * has none for: per source, region and day one Parquet object of one record, identified by a
 * uid of its source and day. Returns the keys.
 */
async function fillSources(dir: string): Promise<string[]> {
  const keys: string[] = [];
  const sources: [string, string, (day: string, region: string) => Promise<Buffer>][] = [
    [
      'CLOUD_TRAIL_MGMT',
      '2.0',
      (day, region) =>
        parquet({ version: 'v2' }, [
          ocsfRecord({
            time: Date.parse(`${day}T10:00:00Z`),
            metadata: { version: '1.1.0', uid: `ct-${day}`, product: { name: 'CloudTrail', vendor_name: 'AWS' } },
            cloud: { provider: 'AWS', region, account: { uid: ACCT_A } },
          }),
        ]),
    ],
    [
      'VPC_FLOW',
      '1.0',
      (day, region) =>
        parquet({ version: 'v1', columns: sampleColumns('1.0.0-rc.2_vpc_flow.parquet') }, [
          rc2Flow(flow({ timeMs: Date.parse(`${day}T10:00:00Z`), account: ACCT_A, region })),
        ]),
    ],
    [
      'SH_FINDINGS',
      '1.0',
      (day, region) =>
        parquet({ version: 'v1', columns: sampleColumns('1.0.0-rc.2_sh_findings.parquet') }, [
          rc2Finding({
            time: `${day}T10:00:00Z`,
            uid: `sh-${day}`,
            title: 'Finding',
            region,
            resource: { type: 'AwsIamUser', id: 'bob' },
          }),
        ]),
    ],
    [UNKNOWN_SOURCE, '1.0', () => Promise.resolve(Buffer.from('PAR1 not read'))],
  ];
  let n = 0;
  const parquet = async (options: Parameters<typeof writeSecurityLakeParquet>[2], records: object[]) => {
    const file = join(dir, `${n++}.parquet`);
    await writeSecurityLakeParquet(file, records, options);
    return readFile(file);
  };
  for (const [source, version, body] of sources)
    for (const region of ['us-east-1', 'eu-west-1'])
      for (const day of DAYS.slice(0, 4)) {
        const key = `aws/${source}/${version}/region=${region}/accountId=${ACCT_A}/eventDay=${day.replaceAll('-', '')}/${source}-${region}-${day}.gz.parquet`;
        env.s3.put(`s3://${LAKE_BUCKET}/${key}`, await body(day, region));
        keys.push(key);
      }
  return keys;
}

const ids = async (lake: string, sql: string): Promise<string[]> =>
  (await query(lake, sql)).map((r) => String(Object.values(r)[0])).sort();

/** An S3 import of 2024-02-29 and 2024-03-01, in us-east-1, of one account. */
const twoDaysOf = (account: string) => ({
  s3: {
    filter: {
      since: new Date('2024-02-29T00:00:00Z'),
      until: new Date('2024-03-01T23:59:59Z'),
      regions: ['us-east-1'],
      accounts: [account],
    },
  },
});

describe('hunt lake import from S3', () => {
  it('imports a trail bucket for a 2-day range, one region and account, listing only those prefixes', async () => {
    const byKey = fillTrail();
    const lake = join(await tmp(), 'lake');
    const summary = await importSources(lake, [`s3://${TRAIL}/`], twoDaysOf(ACCT_B));
    const base = `AWSLogs/${ORG}/${ACCT_B}/CloudTrail/us-east-1/`;
    // the delivery day after `until` too: CloudTrail files land minutes after their events
    const days = ['2024/02/29/', '2024/03/01/', '2024/03/02/'];
    expect(env.s3.listings().sort()).toEqual(['|/', 'AWSLogs/|/', ...days.map((d) => `${base}${d}|`)].sort());
    const wanted = [...byKey.keys()].filter((k) => days.some((d) => k.startsWith(`${base}${d}`)));
    expect(wanted).toHaveLength(6);
    expect(summary.files.map((f) => f.file).sort()).toEqual(wanted.map((k) => `s3://${TRAIL}/${k}`).sort());
    expect(summary.files.every((f) => f.kind === 'cloudtrail' && f.added === 3)).toBe(true);
    expect(importExitCode(summary.files)).toBe(0);
    // nothing else was fetched, digests least of all
    const gets = env.s3.requests.filter((r) => r.method === 'GET' && r.query['list-type'] !== '2');
    expect(gets.map((r) => r.key).sort()).toEqual(wanted.sort());
    expect(await ids(lake, 'SELECT eventid FROM cloudtrail')).toEqual(
      wanted.flatMap((k) => byKey.get(k)!.map((e) => String(e.eventID))).sort(),
    );
    expect(summary.s3).toEqual({ listed: 6, alreadyImported: 0, fetched: 6, failed: 0 });
  });

  it('imports a Security Lake bucket of both source versions for a 2-day range, region and account from the path', async () => {
    const byKey = await fillSecurityLake(await tmp());
    const lake = join(await tmp(), 'lake');
    const summary = await importSources(lake, [`s3://${LAKE_BUCKET}/aws/`], {
      s3: {
        filter: {
          since: new Date('2024-02-29T12:00:00Z'),
          until: new Date('2024-03-01T12:00:00Z'),
          accounts: [ACCT_A],
        },
      },
    });
    const listed = env.s3.listings();
    // the day folders are never listed as a level: built from the range
    expect(listed.filter((p) => p.includes('eventDay=')).sort()).toEqual(
      ['1.0', '2.0']
        .flatMap((v) =>
          ['eu-west-1', 'us-east-1'].flatMap((r) =>
            ['20240229', '20240301'].map(
              (d) => `aws/CLOUD_TRAIL_MGMT/${v}/region=${r}/accountId=${ACCT_A}/eventDay=${d}/|`,
            ),
          ),
        )
        .sort(),
    );
    expect(listed.some((p) => p.includes(`accountId=${ACCT_B}`))).toBe(false);
    const wanted = [...byKey.keys()].filter(
      (k) => k.includes(`accountId=${ACCT_A}`) && /eventDay=(20240229|20240301)/.test(k),
    );
    expect(wanted).toHaveLength(4);
    expect(summary.files.map((f) => [f.kind, f.added])).toEqual(wanted.map(() => ['ocsf', 2]));
    const rows = await query(
      lake,
      'SELECT metadata.uid AS uid, region, accountid, metadata.version AS v FROM security_lake_cloud_trail_mgmt_2_0 ORDER BY uid',
    );
    expect(rows.map((r) => r.uid).sort()).toEqual(wanted.flatMap((k) => byKey.get(k)!).sort());
    // v1 files hold no region or account: both came from the object's path
    expect(new Set(rows.map((r) => r.accountid))).toEqual(new Set([ACCT_A]));
    expect(new Set(rows.map((r) => r.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    expect(new Set(rows.map((r) => r.v))).toEqual(new Set(['1.0.0-rc.2', '1.1.0']));
  });

  it('imports each Security Lake source hunt has a table for into its own table, listing only the needed prefixes', async () => {
    const keys = await fillSources(await tmp());
    const lake = join(await tmp(), 'lake');
    const summary = await importSources(lake, [`s3://${LAKE_BUCKET}/`], twoDaysOf(ACCT_A));
    // one listing of aws/ finds the sources; each one's versions are listed, its region,
    // account and day folders built from the filter; the unknown source is never listed
    const days = (source: string, version: string): string[] =>
      ['20240229', '20240301'].map(
        (d) => `aws/${source}/${version}/region=us-east-1/accountId=${ACCT_A}/eventDay=${d}/|`,
      );
    expect(env.s3.listings().sort()).toEqual(
      [
        '|/',
        'aws/|/',
        'aws/CLOUD_TRAIL_MGMT/|/',
        'aws/VPC_FLOW/|/',
        'aws/SH_FINDINGS/|/',
        ...days('CLOUD_TRAIL_MGMT', '2.0'),
        ...days('VPC_FLOW', '1.0'),
        ...days('SH_FINDINGS', '1.0'),
      ].sort(),
    );
    const wanted = keys.filter(
      (k) => !k.includes(UNKNOWN_SOURCE) && k.includes('region=us-east-1/') && /eventDay=(20240229|20240301)\//.test(k),
    );
    expect(wanted).toHaveLength(6);
    expect(summary.files.map((f) => [f.file, f.kind, f.added]).sort()).toEqual(
      wanted.map((k) => [`s3://${LAKE_BUCKET}/${k}`, 'ocsf', 1]).sort(),
    );
    expect(summary.s3).toEqual({
      listed: 6,
      alreadyImported: 0,
      fetched: 6,
      failed: 0,
      unknownSources: [`s3://${LAKE_BUCKET}/aws/${UNKNOWN_SOURCE}/`],
    });
    const day = 'time_dt_day';
    expect(
      await query(lake, `SELECT metadata.uid AS uid, ${day} FROM security_lake_cloud_trail_mgmt_2_0 ORDER BY uid`),
    ).toEqual([
      { uid: 'ct-2024-02-29', [day]: '2024-02-29' },
      { uid: 'ct-2024-03-01', [day]: '2024-03-01' },
    ]);
    expect(
      await query(lake, `SELECT accountid, region, ${day} FROM security_lake_vpc_flow_2_0 ORDER BY ${day}`),
    ).toEqual([
      { accountid: ACCT_A, region: 'us-east-1', [day]: '2024-02-29' },
      { accountid: ACCT_A, region: 'us-east-1', [day]: '2024-03-01' },
    ]);
    expect(await ids(lake, 'SELECT finding_info.uid FROM security_lake_sh_findings_2_0')).toEqual([
      'sh-2024-02-29',
      'sh-2024-03-01',
    ]);
  });

  it('resumes: objects imported before are not fetched again, failed and changed ones are', async () => {
    const byKey = fillTrail();
    const lake = join(await tmp(), 'lake');
    const url = `s3://${TRAIL}/AWSLogs/${ACCT_A}/`;
    const filter = {
      regions: ['eu-west-1'],
      since: new Date('2024-03-02T00:00:00Z'),
      until: new Date('2024-03-03T00:00:00Z'),
    };
    const keys = [...byKey.keys()].filter(
      (k) => k.startsWith(`AWSLogs/${ACCT_A}/CloudTrail/eu-west-1/2024/03/0`) && /03\/0[23]\//.test(k),
    );
    expect(keys).toHaveLength(4);
    const denied = `s3://${TRAIL}/${keys[1]}`;
    env.s3.deny(denied);
    const first = await importSources(lake, [url], { s3: { filter } });
    expect(first.files.find((f) => f.file === denied)).toMatchObject({ kind: 'error' });
    expect(first.files.find((f) => f.file === denied)?.error).toMatch(/AccessDenied/);
    expect(importExitCode(first.files)).toBe(1);

    env.s3.allow(denied);
    // one object rewritten since: a new ETag
    const changed = `s3://${TRAIL}/${keys[3]}`;
    env.s3.put(
      changed,
      gzipSync(
        JSON.stringify({
          Records: [...byKey.get(keys[3]!)!, ctEvent({ awsRegion: 'eu-west-1', eventTime: '2024-03-03T02:30:00Z' })],
        }),
      ),
    );
    const before = new Map(keys.map((k) => [k, env.s3.gets(`s3://${TRAIL}/${k}`)]));
    const second = await importSources(lake, [url], { s3: { filter } });
    const fetched = keys.filter((k) => env.s3.gets(`s3://${TRAIL}/${k}`) > before.get(k)!);
    expect(fetched).toEqual([keys[1], keys[3]]);
    expect(second.s3).toEqual({ listed: 4, alreadyImported: 2, fetched: 2, failed: 0 });
    expect(second.files.map((f) => [f.file, f.added, f.duplicates])).toEqual([
      [denied, 3, 0],
      [changed, 1, 3],
    ]);
    expect(await ids(lake, 'SELECT count(*) FROM cloudtrail')).toEqual(['13']);
    const ledger = await readFile(join(lake, LEDGER_FILE), 'utf8');
    expect(ledger.trim().split('\n')).toHaveLength(5);
  });

  it('resumes after SIGKILL without fetching again what was committed, ending with one clean import', async () => {
    const byKey = fillTrail();
    const url = `s3://${TRAIL}/AWSLogs/${ACCT_A}/`;
    const dir = await mkdtemp(join(tmpdir(), 'hunt-s3-kill-'));
    try {
      const lake = join(dir, 'lake');
      env.s3.getDelayMs = 40;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'support', 'import-child.ts'), lake, '2048', url],
        { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
      );
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // kill once a few objects are recorded as committed
      for (;;) {
        const text = await readFile(join(lake, LEDGER_FILE), 'utf8').catch(() => '');
        if (text.split('\n').filter(Boolean).length >= 3) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await exited;
      env.s3.getDelayMs = 0;
      const recorded = (await readFile(join(lake, LEDGER_FILE), 'utf8'))
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => (JSON.parse(l) as { key: string }).key);
      const all = [...byKey.keys()].filter((k) => k.startsWith(`AWSLogs/${ACCT_A}/`));
      expect(recorded.length).toBeGreaterThanOrEqual(3);
      expect(recorded.length).toBeLessThan(all.length);
      const before = new Map(all.map((k) => [k, env.s3.gets(`s3://${TRAIL}/${k}`)]));
      const rerun = await importSources(lake, [url], { s3: { filter: {} } });
      expect(importExitCode(rerun.files)).toBe(0);
      for (const k of recorded) expect(env.s3.gets(`s3://${TRAIL}/${k}`)).toBe(before.get(k));
      expect(rerun.s3?.alreadyImported).toBe(recorded.length);
      const expected = all.flatMap((k) => byKey.get(k)!.map((e) => String(e.eventID))).sort();
      expect(await ids(lake, 'SELECT eventid FROM cloudtrail')).toEqual(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
