/**
 * A synthetic Security Lake v2 (OCSF 1.1) Parquet set for the Parquet-import memory benchmark:
 * deterministic (the same options give the same files), generated inside DuckDB from range()
 * so gigabytes take seconds of SQL rather than minutes of JavaScript. Files follow Security
 * Lake's S3 layout (region=/accountId=/eventDay=/), one region, account and day per file as
 * Security Lake writes them, with the column types of the v2 Glue schema.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../src/duckdb.js';
import { sqlString } from '../src/lake/sql.js';
import { securityLakeRecordType } from '../test/support/security-lake-parquet.js';

export interface SyntheticOptions {
  /** about how many bytes of Parquet in all */
  totalBytes: number;
  /** about how many bytes per file (Security Lake's are up to ~128 MB); default 128 MiB */
  fileBytes?: number;
  /** varies the content; default 1 */
  seed?: number;
  /** rows per row group; DuckDB's default (122,880) otherwise */
  rowGroupRows?: number;
}

export interface SyntheticSet {
  /** in order of their first row */
  files: string[];
  rows: number;
  bytes: number;
}

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 10, 1);
const OPERATIONS: [string, string, string, number][] = [
  ['iam.amazonaws.com', 'CreateUser', 'Create', 1],
  ['iam.amazonaws.com', 'AttachRolePolicy', 'Update', 3],
  ['iam.amazonaws.com', 'DeleteGroup', 'Delete', 4],
  ['sts.amazonaws.com', 'AssumeRole', 'Other', 99],
  ['s3.amazonaws.com', 'GetBucketAcl', 'Read', 2],
  ['ec2.amazonaws.com', 'DescribeInstances', 'Read', 2],
  ['ecr.amazonaws.com', 'PutImage', 'Create', 1],
  ['cloudtrail.amazonaws.com', 'StopLogging', 'Update', 3],
];
const AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/',
  'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8',
  'console.amazonaws.com',
];

const list = (xs: string[]): string => `[${xs.map(sqlString).join(', ')}]`;

/**
 * One row per `i` of range(first, last): file `file`'s region, account and day; the rest from
 * hashes of i and the seed, so any row can be generated alone and the same row is always the same.
 * The values used in several places are computed once, in the inner SELECT (DuckDB does not
 * share them between the record's nested expressions: twice as slow).
 */
function rowsSql(file: number, first: number, last: number, seed: number): string {
  const region = sqlString(REGIONS[file % REGIONS.length]!);
  const account = sqlString(ACCOUNTS[Math.floor(file / REGIONS.length) % ACCOUNTS.length]!);
  const dayMs = START_MS + (file % 30) * DAY_MS;
  const h = (k: number): string => `hash(i, ${seed}, ${k})`;
  const column = (n: number): string => list(OPERATIONS.map((o) => String(o[n])));
  const byte = (k: number): string => `(${h(k)} % 256)::VARCHAR`;
  const values = [
    `(1 + (${h(1)} % ${OPERATIONS.length}))::INTEGER AS op`,
    `'user' || (${h(2)} % 50)::VARCHAR AS usr`,
    `${h(3)} % 20 = 0 AS failed`,
    `(${dayMs} + (${h(4)} % ${DAY_MS}))::BIGINT AS t`,
    `'10.' || ${byte(5)} || '.' || ${byte(6)} || '.' || ${byte(7)} AS ip`,
    `${list(AGENTS)}[1 + (${h(13)} % ${AGENTS.length})::INTEGER] AS agent`,
  ];
  const derived = [
    `${column(0)}[op] AS service`,
    `${column(1)}[op] AS operation`,
    `${column(2)}[op] AS activity`,
    `${list(OPERATIONS.map((o) => String(o[3])))}[op]::INTEGER AS activity_id`,
    `'arn:aws:sts::' || ${account} || ':assumed-role/Admin/' || usr AS arn`,
  ];
  const record = `{
    'metadata': {
      'product': {'version': '1.08', 'name': 'CloudTrail', 'vendor_name': 'AWS', 'feature': {'name': 'Management'}},
      'event_code': 'AwsApiCall', 'uid': md5(i::VARCHAR || '-' || ${seed}::VARCHAR), 'profiles': ['cloud', 'datetime'],
      'version': '1.1.0'},
    'time': t,
    'time_dt': epoch_ms(t),
    'cloud': {'region': ${region}, 'provider': 'AWS'},
    'api': {
      'response': CASE WHEN failed THEN {'error': 'AccessDenied', 'message': 'User: ' || arn || ' is not authorized', 'data': NULL}
        ELSE {'error': NULL, 'message': NULL, 'data': '{"requestId":"' || md5(${h(8)}::VARCHAR) || '"}'} END,
      'operation': operation, 'version': NULL, 'service': {'name': service},
      'request': {'data': '{"userName":"' || usr || '","path":"/"}', 'uid': md5(${h(9)}::VARCHAR)}},
    'dst_endpoint': NULL,
    'actor': {
      'user': {'type': 'AssumedRole', 'name': usr, 'uid_alt': 'AROA' || upper(left(md5(${h(10)}::VARCHAR), 16)) || ':' || usr,
        'uid': arn, 'account': {'uid': ${account}}, 'credential_uid': 'ASIA' || upper(left(md5(${h(11)}::VARCHAR), 16))},
      'session': {'created_time_dt': epoch_ms(t - 3600000), 'is_mfa': ${h(12)} % 2 = 0,
        'issuer': 'arn:aws:iam::' || ${account} || ':role/Admin'},
      'invoked_by': NULL, 'idp': NULL},
    'http_request': {'user_agent': agent},
    'src_endpoint': {'uid': NULL, 'ip': ip, 'domain': NULL},
    'session': NULL,
    'policy': NULL,
    'resources': [{'uid': 'arn:aws:iam::' || ${account} || ':user/' || usr, 'owner': {'account': {'uid': ${account}}}, 'type': 'AWS::IAM::User'}],
    'class_name': 'API Activity', 'class_uid': 6003, 'category_name': 'Application Activity', 'category_uid': 6,
    'severity_id': 1, 'severity': 'Informational',
    'user': NULL,
    'activity_name': activity, 'activity_id': activity_id, 'type_uid': 600300 + activity_id,
    'type_name': 'API Activity: ' || activity,
    'status': CASE WHEN failed THEN 'Failure' ELSE 'Success' END,
    'is_mfa': NULL,
    'unmapped': MAP {'recipientAccountId': ${account}, 'readOnly': CASE WHEN activity_id = 2 THEN 'true' ELSE 'false' END,
      'managementEvent': 'true', 'eventCategory': 'Management'},
    'accountid': ${account}, 'region': ${region}, 'asl_version': NULL,
    'observables': [{'name': 'src_endpoint.ip', 'value': ip, 'type': 'IP Address', 'type_id': 2},
      {'name': 'actor.user.name', 'value': usr, 'type': 'User Name', 'type_id': 4}]
  }`;
  // the cast gives every column the v2 Glue schema's type (INTEGER class_uid, TIMESTAMP time_dt, ...)
  return (
    `SELECT unnest(CAST(${record} AS ${securityLakeRecordType('v2')})) FROM (` +
    `SELECT *, ${derived.join(', ')} FROM (SELECT i, ${values.join(', ')} FROM range(${first}, ${last}) g(i)))`
  );
}

async function copy(conn: DuckDBConnection, sql: string, path: string, rowGroupRows?: number): Promise<number> {
  const rowGroup = rowGroupRows === undefined ? '' : `, ROW_GROUP_SIZE ${rowGroupRows}`;
  await conn.run(`COPY (${sql}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd${rowGroup})`);
  return (await stat(path)).size;
}

/** Bytes per row come from a sample this many rows long (~2 MB of Parquet; fewer for a small set). */
const CALIBRATION_ROWS = 20_000;

/** Write the set under `dir` (created; existing files of the same names are replaced). */
export async function writeSyntheticSecurityLake(dir: string, options: SyntheticOptions): Promise<SyntheticSet> {
  const seed = options.seed ?? 1;
  const fileBytes = options.fileBytes ?? 128 * 1024 * 1024;
  if (!(options.totalBytes > 0) || !(fileBytes > 0)) throw new RangeError('sizes must be positive');
  await mkdir(dir, { recursive: true });
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    const sample = join(dir, '.calibration.parquet');
    const calibration = Math.max(1000, Math.min(CALIBRATION_ROWS, Math.round(options.totalBytes / 400)));
    const perRow = (await copy(conn, rowsSql(0, 0, calibration, seed), sample, options.rowGroupRows)) / calibration;
    await rm(sample, { force: true });
    const rows = Math.max(1, Math.round(options.totalBytes / perRow));
    const perFile = Math.max(1, Math.round(fileBytes / perRow));
    const files: string[] = [];
    let bytes = 0;
    for (let f = 0, first = 0; first < rows; f++, first += perFile) {
      const last = Math.min(rows, first + perFile);
      const day = new Date(START_MS + (f % 30) * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
      const region = REGIONS[f % REGIONS.length]!;
      const account = ACCOUNTS[Math.floor(f / REGIONS.length) % ACCOUNTS.length]!;
      const sub = join(dir, `region=${region}`, `accountId=${account}`, `eventDay=${day}`);
      await mkdir(sub, { recursive: true });
      const path = join(sub, `part-${String(f).padStart(5, '0')}.zstd.parquet`);
      bytes += await copy(conn, rowsSql(f, first, last, seed), path, options.rowGroupRows);
      files.push(path);
    }
    return { files, rows, bytes };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
