/**
 * Local lake benchmark: import speed for a gzip CloudTrail `{"Records":[...]}` file, and how many
 * Parquet files DuckDB reads for a 1-hour vs a 30-day query that filters on the partition
 * columns. The input is synthetic but deterministic (seeded), so runs are comparable.
 */
import { fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { importFiles } from '../src/lake/import.js';
import { openLake } from '../src/lake/open.js';
import { median } from './median.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const EVENTS = 200_000;
const IMPORT_REPEATS = 3;
const DAYS = 30;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const START_MS = Date.UTC(2024, 0, 1);
const EVENT_NAMES: [string, string][] = [
  ['ecr.amazonaws.com', 'PutImage'],
  ['ecr.amazonaws.com', 'BatchGetImage'],
  ['iam.amazonaws.com', 'CreateUser'],
  ['iam.amazonaws.com', 'AttachRolePolicy'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['s3.amazonaws.com', 'GetBucketAcl'],
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['signin.amazonaws.com', 'ConsoleLogin'],
];

/** mulberry32: a tiny seeded PRNG, so every run imports the same events. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

/** A plausible management event (~1 KB of JSON, nested identity, JSON request/response). */
function syntheticEvent(i: number, rand: () => number): object {
  const [eventSource, eventName] = EVENT_NAMES[Math.floor(rand() * EVENT_NAMES.length)]!;
  const region = REGIONS[Math.floor(rand() * REGIONS.length)]!;
  const account = String(100000000000 + Math.floor(rand() * 5));
  const user = `user${Math.floor(rand() * 50)}`;
  const ms = START_MS + Math.floor(rand() * DAYS * 86_400_000);
  const failed = rand() < 0.05;
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROA${hex(rand, 16).toUpperCase()}:${user}`,
      arn: `arn:aws:sts::${account}:assumed-role/Admin/${user}`,
      accountId: account,
      accessKeyId: `ASIA${hex(rand, 16).toUpperCase()}`,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: `AROA${hex(rand, 16).toUpperCase()}`,
          arn: `arn:aws:iam::${account}:role/Admin`,
          accountId: account,
          userName: 'Admin',
        },
        webIdFederationData: {},
        attributes: { creationDate: new Date(ms - 600_000).toISOString(), mfaAuthenticated: 'false' },
      },
    },
    eventTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource,
    eventName,
    awsRegion: region,
    sourceIPAddress: `203.0.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64',
    ...(failed ? { errorCode: 'AccessDenied', errorMessage: `User ${user} is not authorized` } : {}),
    requestParameters: { repositoryName: `repo-${Math.floor(rand() * 20)}`, imageTag: 'latest', registryId: account },
    responseElements: failed
      ? null
      : { image: { registryId: account, imageId: { imageDigest: `sha256:${hex(rand, 64)}` } } },
    requestID: `${hex(rand, 8)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 12)}`,
    eventID: `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-${hex(rand, 4)}-${i.toString(16).padStart(12, '0')}`,
    readOnly: eventName.startsWith('Get') || eventName.startsWith('Describe') || eventName.startsWith('Batch'),
    resources: [{ accountId: account, ARN: `arn:aws:ecr:${region}:${account}:repository/repo` }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: eventSource },
  };
}

/**
 * Write `{"Records":[...]}` for `count` synthetic events as gzip, a batch at a time, so the
 * generator leaves no large heap behind to distort the import it is measuring.
 */
export async function writeSyntheticCloudTrail(path: string, count: number, seed = 42): Promise<void> {
  const rand = prng(seed);
  const gzip = createGzip();
  const done = pipeline(gzip, createWriteStream(path));
  const write = (text: string): Promise<void> =>
    gzip.write(text) ? Promise.resolve() : new Promise((resolve) => gzip.once('drain', () => resolve()));
  await write('{"Records":[');
  for (let i = 0; i < count; i += 1000) {
    const batch: string[] = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) batch.push(JSON.stringify(syntheticEvent(j, rand)));
    await write((i === 0 ? '' : ',') + batch.join(','));
  }
  gzip.end(']}');
  await done;
}

/**
 * Files a query read, from DuckDB's EXPLAIN ANALYZE: 'Scanning Files: x/y' when the partition
 * filter pruned, else just 'Total Files Read: n' (summed over scans).
 */
export function scannedFiles(plan: string): { read: number; total: number } {
  let read = 0;
  let total = 0;
  for (const m of plan.matchAll(/Scanning Files:\s*(\d+)\s*\/\s*(\d+)/g)) {
    read += Number(m[1]);
    total += Number(m[2]);
  }
  if (total > 0) return { read, total };
  for (const m of plan.matchAll(/Total Files Read:\s*(\d+)/g)) read += Number(m[1]);
  return { read, total: read };
}

const WINDOW_SQL =
  'SELECT count(*) AS n FROM cloudtrail WHERE concat(year, month, day) BETWEEN ? AND ? AND eventtime >= ? AND eventtime < ?';

/**
 * Generate the input in a child process: generating in this one left a grown heap behind that
 * slowed the import being measured by a third.
 */
export async function generateApart(path: string, count: number, seed = 42): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), [GENERATE, path, String(count), String(seed)], {
    execArgv: process.execArgv,
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) await writeSyntheticCloudTrail(path, count, seed);
}

const GENERATE = '--generate-synthetic-cloudtrail';

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hunt-bench-lake-'));
  try {
    const input = join(dir, 'cloudtrail.json.gz');
    await generateApart(input, EVENTS);
    // A fresh lake per repeat; the median, as a single run on a small shared VM varies by ±15%.
    const seconds: number[] = [];
    let lake = '';
    let filesWritten = 0;
    for (let i = 0; i < IMPORT_REPEATS; i++) {
      if (lake) await rm(lake, { recursive: true, force: true });
      lake = join(dir, `lake-${i}`);
      const t = performance.now();
      const first = await importFiles(lake, [input]);
      seconds.push((performance.now() - t) / 1000);
      if (first.cloudtrail.added !== EVENTS)
        throw new Error(`expected ${EVENTS} rows, imported ${first.cloudtrail.added}`);
      filesWritten = first.filesWritten;
    }
    const importSec = median(seconds);

    const t0 = performance.now();
    const again = await importFiles(lake, [input]);
    const reimportSec = (performance.now() - t0) / 1000;
    if (again.cloudtrail.added !== 0) throw new Error(`re-import added ${again.cloudtrail.added} rows`);

    const db = await openLake(lake);
    try {
      const explain = async (params: string[]): Promise<{ read: number; total: number }> => {
        const r = await db.connection.runAndReadAll(`EXPLAIN ANALYZE ${WINDOW_SQL}`, params);
        return scannedFiles(
          r
            .getRows()
            .map((row) => String(row[1]))
            .join('\n'),
        );
      };
      const hour = await explain(['20240115', '20240115', '2024-01-15T10:00:00Z', '2024-01-15T11:00:00Z']);
      const month = await explain(['20240101', '20240130', '2024-01-01T00:00:00Z', '2024-01-31T00:00:00Z']);
      return [
        {
          name: 'lake import: gzip CloudTrail Records',
          value: Math.round(EVENTS / importSec),
          unit: 'events/s',
          note: `${EVENTS} events, ${DAYS} days x ${REGIONS.length} regions, ${filesWritten} files; median of ${seconds.map((x) => `${x.toFixed(2)} s`).join(', ')}; target >= 50000`,
        },
        {
          name: 'lake re-import (all duplicates)',
          value: Math.round(EVENTS / reimportSec),
          unit: 'events/s',
          note: `${again.cloudtrail.duplicates} duplicates dropped in ${reimportSec.toFixed(2)} s`,
        },
        {
          name: 'lake query files read: 1-hour window',
          value: hour.read,
          unit: 'files',
          note: `of ${hour.total}; WHERE concat(year, month, day) BETWEEN ? AND ? (prepared)`,
        },
        {
          name: 'lake query files read: 30-day window',
          value: month.read,
          unit: 'files',
          note: `of ${month.total}`,
        },
      ];
    } finally {
      await db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === GENERATE) {
    await writeSyntheticCloudTrail(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5] ?? 42));
  } else {
    for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
  }
}
