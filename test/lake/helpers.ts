/**
 * Shared helpers for the local lake tests: temp directories, building inputs, and reading the
 * lake back through the real views (no mocks).
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll } from 'vitest';
import type { DuckDBValue } from '@duckdb/node-api';
import { openLake } from '../../src/lake/open.js';
import { shared } from '../support/shared.js';

/** shared/reference, read in place (tests run from the project root). */
export const REFERENCE = shared('reference');
export const ECR_EXAMPLES = join(REFERENCE, 'ecr_doc_examples.cloudtrail.json');
export const OCSF_SAMPLES = [
  'API_Activity_generic_api_activity',
  'Account_Change_account_change',
  'Authentication_authentication',
].map((n) => join(REFERENCE, 'ocsf-1.1.0', `v1.1.0_${n}.ocsf`));

/** A fresh temp directory, removed when the test file finishes. */
export function tempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const d = await mkdtemp(join(tmpdir(), 'hunt-lake-test-'));
    made.push(d);
    return d;
  };
}

export async function writeText(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

export async function writeGzip(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, gzipSync(Buffer.from(text)));
  return path;
}

export const ndjson = (records: object[]): string => records.map((r) => JSON.stringify(r)).join('\n');

/** Rows of a query over the lake's views, as JSON-friendly objects (BIGINT as strings). */
export async function query(lake: string, sql: string, params?: DuckDBValue[]): Promise<Record<string, unknown>[]> {
  const db = await openLake(lake);
  try {
    return (await db.connection.runAndReadAll(sql, params)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    await db.close();
  }
}

export async function count(lake: string, view: string): Promise<number> {
  const rows = await query(lake, `SELECT count(*) AS n FROM ${view}`);
  return Number(rows[0]?.n);
}

/** Every file below `dir`, relative, sorted (empty when `dir` does not exist). */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(dir, join(e.parentPath, e.name)))
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

let serial = 0;

/** A small but complete CloudTrail event; `over` replaces top-level keys (undefined removes one). */
export function ctEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  serial++;
  const base: Record<string, unknown> = {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:alice',
      arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
      accountId: '111122223333',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          arn: 'arn:aws:iam::111122223333:role/Admin',
          accountId: '111122223333',
          userName: 'Admin',
        },
        attributes: { creationDate: '2024-03-01T09:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2024-03-01T10:15:00Z',
    eventSource: 'ecr.amazonaws.com',
    eventName: 'PutImage',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { repositoryName: 'app', imageTag: 'latest' },
    responseElements: null,
    requestID: `req-${serial}`,
    eventID: `evt-${serial}`,
    readOnly: false,
    resources: [{ ARN: 'arn:aws:ecr:us-east-1:111122223333:repository/app', accountId: '111122223333' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** A small OCSF 1.1 API Activity record; `over` replaces top-level keys (undefined removes one). */
export function ocsfRecord(over: Record<string, unknown> = {}): Record<string, unknown> {
  serial++;
  const base: Record<string, unknown> = {
    activity_id: 2,
    activity_name: 'Read',
    actor: {
      user: {
        type: 'IAMUser',
        name: 'bob',
        uid: 'arn:aws:iam::444455556666:user/bob',
        account: { uid: '444455556666' },
      },
    },
    api: { operation: 'ListBuckets', service: { name: 's3.amazonaws.com' }, request: { uid: `req-${serial}` } },
    category_uid: 6,
    class_name: 'API Activity',
    class_uid: 6003,
    cloud: { provider: 'AWS', region: 'eu-west-1' },
    metadata: {
      product: { name: 'CloudTrail', vendor_name: 'AWS', version: '1.08' },
      uid: `ocsf-${serial}`,
      version: '1.1.0',
    },
    severity_id: 1,
    status: 'Success',
    time: Date.UTC(2024, 2, 2, 23, 30),
    type_uid: 600302,
    unmapped: { recipientAccountId: '444455556666' },
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}
