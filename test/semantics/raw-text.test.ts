/**
 * `_raw` for CloudTrail: the event's JSON text rebuilt from the table's columns (neither the
 * local lake nor Athena's table keeps the text). Real importer, real DuckDB; every search is
 * also compiled for Athena and must parse as Trino SQL.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { translateSearch } from '../../src/translate/translate.js';
import { assumedRole, ct, iamUser, ocsf } from '../support/events.js';
import { macrosWith, makeLake, runSearch, type TestLake } from '../support/hunt.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** A grant as CloudTrail logs PutBucketAcl's request (the XML body as JSON). */
const group = (uri: string, permission: string) => ({
  Grantee: { 'xsi:type': 'Group', URI: uri, 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
  Permission: permission,
});
const owner = (permission: string) => ({
  Grantee: { 'xsi:type': 'CanonicalUser', ID: 'abc123', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
  Permission: permission,
});
const putBucketAcl = (time: string, bucket: string, grants: object[], who = iamUser('alice')) =>
  ct({
    time,
    who,
    source: 's3.amazonaws.com',
    name: 'PutBucketAcl',
    agent: '[aws-cli/2.13.0 Python/3.11.4]',
    request: {
      bucketName: bucket,
      Host: `${bucket}.s3.us-east-1.amazonaws.com`,
      acl: [''],
      AccessControlPolicy: {
        AccessControlList: { Grant: grants },
        Owner: { ID: 'abc123' },
        xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
      },
    },
    extra: { resources: [{ accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }] },
  });

const events = [
  // open: the owner's full control and anyone's READ
  putBucketAcl('2026-11-18T10:00:00Z', 'open', [owner('FULL_CONTROL'), group(ALL_USERS, 'READ')]),
  // private: the owner only
  putBucketAcl('2026-11-18T10:05:00Z', 'private', [owner('FULL_CONTROL')]),
  // two public grants by an assumed role
  putBucketAcl(
    '2026-11-18T10:10:00Z',
    'shared',
    [group(AUTHENTICATED, 'WRITE'), group(ALL_USERS, 'READ_ACP'), group(ALL_USERS, 'LIST')],
    assumedRole('ops', 's1'),
  ),
  // another call, with errorCode and no requestParameters at all
  ct({
    time: '2026-11-18T10:15:00Z',
    source: 's3.amazonaws.com',
    name: 'ListBuckets',
    request: null,
    extra: { errorCode: 'AccessDenied', readOnly: true },
  }),
];

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: events, ocsf: [ocsf({ time: '2026-11-18T10:00:00Z' })] });
});
afterAll(() => lake.close());

const trino = new TrinoSQL();
async function rows(spl: string) {
  const athena = translateSearch(spl, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
  expect(trino.validate(athena.sql), athena.sql).toEqual([]);
  return (await runSearch(lake, spl)).rows;
}

/** The ESCU search of "Detect New Open S3 buckets" (version 4), its macros expanded by hunt. */
const DETECT_NEW_OPEN_S3_BUCKETS =
  '`cloudtrail` eventSource=s3.amazonaws.com eventName=PutBucketAcl | rex field=_raw "(?<json_field>{.+})"' +
  ' | spath input=json_field output=grantees path=requestParameters.AccessControlPolicy.AccessControlList.Grant{}' +
  ' | search grantees=* | mvexpand grantees | spath input=grantees output=uri path=Grantee.URI' +
  ' | spath input=grantees output=permission path=Permission' +
  ` | search uri IN ("${ALL_USERS}","${AUTHENTICATED}")` +
  ' | search permission IN ("READ","READ_ACP","WRITE","WRITE_ACP","FULL_CONTROL")' +
  ' | rename requestParameters.bucketName AS bucketName' +
  ' | stats count min(_time) as firstTime max(_time) as lastTime by user_arn userIdentity.principalId userAgent uri permission bucketName' +
  ' | `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)`';

describe('_raw is the event as JSON text', () => {
  test('the ESCU idiom rex field=_raw "(?<x>{.+})" | spath input=x reads the request as Splunk does', async () => {
    // open: READ to AllUsers (the owner's grant has no URI); shared: WRITE and READ_ACP (LIST is
    // no S3 permission the search names); private: no public grant
    const r = await rows(DETECT_NEW_OPEN_S3_BUCKETS);
    expect(r.map((x) => [x.bucketName, x.uri, x.permission, x.user_arn, x.count, x.firstTime])).toEqual([
      ['open', ALL_USERS, 'READ', 'arn:aws:iam::111122223333:user/alice', 1, '2026-11-18T10:00:00'],
      ['shared', ALL_USERS, 'READ_ACP', 'arn:aws:sts::111122223333:assumed-role/ops/s1', 1, '2026-11-18T10:10:00'],
      ['shared', AUTHENTICATED, 'WRITE', 'arn:aws:sts::111122223333:assumed-role/ops/s1', 1, '2026-11-18T10:10:00'],
    ]);
  });

  test("the text has the event's keys and values; columns the event lacks are null; leaves are text", async () => {
    const r = await rows('`cloudtrail` | eval raw=_raw | table eventName raw');
    expect(r).toHaveLength(4);
    for (const row of r) {
      const original = events.find((e) => e.eventName === row.eventName && e.eventTime === eventTime(row.raw));
      if (!original) throw new Error(`no event for ${String(row.raw)}`);
      const rebuilt = JSON.parse(String(row.raw)) as Record<string, unknown>;
      // the event's keys and values (booleans as text: the tables keep every leaf as text), and
      // null for the keys of the table's columns the event does not have
      expect(withoutNulls(rebuilt)).toEqual(withoutNulls(asText(original)));
      expect(rebuilt.errorMessage).toBeNull();
      expect(rebuilt.tlsDetails).toEqual({ tlsVersion: null, cipherSuite: null, clientProvidedHostHeader: null });
    }
  });

  test('requestParameters is an object inside the text, not a string; a missing one is null', async () => {
    const r = await rows(
      '`cloudtrail` | rex field=_raw "(?<j>{.+})" | spath input=j path=requestParameters.AccessControlPolicy.Owner.ID output=owner | spath input=j path=requestParameters output=rp | table eventName owner rp',
    );
    expect(r.map((x) => [x.eventName, x.owner, x.rp === undefined ? undefined : typeof x.rp])).toEqual([
      ['ListBuckets', undefined, undefined],
      ['PutBucketAcl', 'abc123', 'string'],
      ['PutBucketAcl', 'abc123', 'string'],
      ['PutBucketAcl', 'abc123', 'string'],
    ]);
    expect(JSON.parse(String(r[1]?.rp)).bucketName).toBe('shared');
  });

  test('regex over _raw matches its text', async () => {
    const r = await rows('`cloudtrail` | regex _raw="AuthenticatedUsers" | table requestParameters.bucketName');
    expect(r).toEqual([{ 'requestParameters.bucketName': 'shared' }]);
  });

  test('dc(_raw) still counts events by their id, and count(_raw) counts them', async () => {
    const r = await rows('`cloudtrail` | stats dc(_raw) as d count(_raw) as c by eventSource');
    expect(r).toEqual([{ eventSource: 's3.amazonaws.com', d: 4, c: 4 }]);
  });

  test('Security Lake keeps no event text: rex over _raw is refused, naming why', () => {
    expect(() =>
      translateSearch('`amazon_security_lake` | rex field=_raw "(?<j>{.+})"', {
        dialect: 'duckdb',
        macros: macrosWith(),
        zone: 'UTC',
      }),
    ).toThrow(/^`rex` over _raw is not supported: hunt has no raw event text for aws:asl/);
  });
});

function eventTime(raw: unknown): unknown {
  return (JSON.parse(String(raw)) as { eventTime?: unknown }).eventTime;
}

/** A JSON value without its null members, nor the objects only they filled. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  const kept = Object.entries(v)
    .map(([k, x]) => [k, withoutNulls(x)] as const)
    .filter(([, x]) => x !== null && x !== undefined);
  return kept.length === 0 && Object.keys(v).length > 0 ? null : Object.fromEntries(kept);
}

/** A JSON value as the table keeps it: every leaf as text. */
function asText(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(asText);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asText(x)]));
  return String(v);
}
