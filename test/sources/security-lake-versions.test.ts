/**
 * Security Lake records of both source versions in the local lake: an rc.2 record (source
 * version 1, `metadata.version` 1.0.0-rc.2) is stored as its OCSF 1.1 form, by the one field
 * table (rc2-fields.ts) the Athena v1 source's aliases come from too. The rc.2 events here are
 * made by a hand-written converter (test/support/ocsf-rc2.ts), not by that table: a wrong entry
 * makes the two lakes differ. Other OCSF classes and products are skipped with a message.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { importFiles, importRecords } from '../../src/lake/import.js';
import { AWS_ASL_V1 } from '../../src/sources/security-lake/fields.js';
import { securityLakeLake } from '../../src/sources/security-lake/lake.js';
import { RC2_FIELDS, rc2Aliases, type Rc2Field } from '../../src/sources/security-lake/rc2-fields.js';
import { eitherVersion, hasPath, IS_RC2, rc2ColumnOverrides } from '../../src/sources/security-lake/rc2-sql.js';
import { securityLakeV1Table } from '../../src/sources/security-lake/table-v1.js';
import { securityLakeTable } from '../../src/sources/security-lake/table-v2.js';
import { corpusDetection } from '../support/corpus.js';
import { ACCOUNT, assumedRole, iamUser, ocsf, rootUser } from '../support/events.js';
import {
  type AslOptions,
  asl,
  type Call,
  calls,
  CONSOLE_AGENT,
  denied,
  ec2Error,
  type Obj,
} from '../support/events-asl.js';
import { runDetection, type TestLake } from '../support/hunt.js';
import { toRc2 } from '../support/ocsf-rc2.js';
import { writeSecurityLakeParquet } from '../support/security-lake-parquet.js';
import { shared } from '../support/shared.js';

const alice = iamUser('alice');
const mallory = iamUser('mallory');
const admin = assumedRole('Admin', 'dana');
const root = rootUser();
const EVIL = '203.0.113.66';

const statement = (principal: unknown, action: string) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: action,
  Resource: '*',
});
const kms = (name: 'CreateKey' | 'PutKeyPolicy', policy: Obj): Call => ({
  source: 'kms.amazonaws.com',
  name,
  request: { policy: JSON.stringify({ Version: '2012-10-17', Statement: policy.Statement }), keyId: 'key-1' },
  response: null,
});
const createPolicy = (doc: Obj): Call => ({
  source: 'iam.amazonaws.com',
  name: 'CreatePolicy',
  request: { policyName: 'wide', policyDocument: JSON.stringify(doc) },
  response: null,
});
const createPolicyVersion = (doc: Obj): Call => ({
  source: 'iam.amazonaws.com',
  name: 'CreatePolicyVersion',
  request: {
    policyArn: `arn:aws:iam::${ACCOUNT}:policy/wide`,
    policyDocument: JSON.stringify(doc),
    setAsDefault: true,
  },
  response: null,
});
const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** Calls each ASL detection looks for, and near misses, by several callers. */
function events(): Obj[] {
  const out: Obj[] = [];
  let minute = 0;
  const at = (): string => new Date(Date.UTC(2026, 10, 18, 9, 0) + 60_000 * minute++).toISOString();
  const add = (o: Omit<AslOptions, 'time'>): void => {
    out.push(asl({ time: at(), ...o }));
  };
  const all: Call[] = [
    calls.createAccessKey('bob'),
    calls.deletePolicy('p1'),
    calls.deleteUserPolicy('bob', 'p1'),
    calls.detachUserPolicy('bob', 'p1'),
    calls.changePassword(),
    calls.createVirtualMFADevice('bob'),
    calls.enableMFADevice('bob'),
    calls.deactivateMFADevice('bob'),
    calls.deleteVirtualMFADevice('bob'),
    calls.updateLoginProfile('bob'),
    calls.createLoginProfile('bob'),
    calls.updateSAMLProvider('okta'),
    calls.createSAMLProvider('okta'),
    calls.listUsers(),
    calls.deleteTrail('main'),
    calls.stopLogging('main'),
    calls.startLogging('main'),
    calls.updateTrail('main', 'elsewhere'),
    calls.createTrail('main', 'logs'),
    calls.deleteLogGroup('/aws/lambda/x'),
    calls.deleteLogStream('/aws/lambda/x', 's1'),
    calls.deleteDetector('d1'),
    calls.updateDetector('d1'),
    calls.deleteAlarms('a1', 'a2'),
    calls.deleteWebACL('w1'),
    calls.deleteEventRule('r1'),
    calls.getPasswordData('i-0abc'),
    calls.modifySnapshotAttribute('snap-1', 'add', [{ group: 'all' }]),
    calls.modifySnapshotAttribute('snap-2', 'add', [{ userId: '444455556666' }]),
    calls.createNetworkAclEntry({
      networkAclId: 'acl-1',
      ruleNumber: 100,
      egress: false,
      ruleAction: 'allow',
      aclProtocol: '-1',
      cidrBlock: '0.0.0.0/0',
    }),
    calls.deleteNetworkAclEntry('acl-1', 100, false),
    calls.modifyDBInstance('db1', { masterUserPassword: '****', applyImmediately: true }),
    calls.modifyDBCluster('c1', { masterUserPassword: '****' }),
    calls.putBucketLifecycle('b1', { ID: 'x', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
    calls.putBucketVersioning('b1', 'Suspended'),
    calls.describeEventAggregates(),
    kms('CreateKey', { Statement: [statement('*', 'kms:Encrypt')] }),
    kms('PutKeyPolicy', { Statement: [statement({ AWS: 'x' }, 'kms:*'), statement('*', 'kms:GenerateDataKey')] }),
    createPolicy(allowAll),
    createPolicyVersion(allowAll),
  ];
  for (const call of all) {
    add({ who: alice, call });
    add({ who: admin, ip: '198.51.100.20', agent: CONSOLE_AGENT, call });
  }
  // failures: a failed group deletion, and a burst of denied discovery calls
  add({
    who: mallory,
    ip: EVIL,
    call: calls.deleteGroup('admins'),
    error: { code: 'DeleteConflict', message: 'not empty' },
  });
  for (const call of [calls.listUsers(), calls.listRoles(), calls.getAccountAuthorizationDetails(), calls.listKeys()]) {
    for (let i = 0; i < 2; i++) add({ who: mallory, ip: EVIL, call, error: denied('iam:List', mallory.arn as string) });
  }
  add({ who: mallory, ip: EVIL, call: calls.describeInstances(), error: ec2Error('UnauthorizedOperation', 'no') });
  // the same health call from two addresses within five minutes
  add({ who: root, ip: '192.0.2.1', call: calls.describeEventAggregates() });
  add({ who: root, ip: '192.0.2.2', call: calls.describeEventAggregates() });
  // Authentication (target user, is_mfa), Account Change (target user) and a call naming its resources
  add({
    who: alice,
    agent: CONSOLE_AGENT,
    call: {
      source: 'signin.amazonaws.com',
      name: 'ConsoleLogin',
      request: null,
      response: { ConsoleLogin: 'Success' },
      extra: { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MFAUsed: 'Yes' } },
    },
  });
  add({
    who: alice,
    call: {
      source: 'sts.amazonaws.com',
      name: 'AssumeRole',
      request: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, roleSessionName: 'alice-admin' },
      response: null,
    },
  });
  add({
    who: admin,
    call: {
      source: 'iam.amazonaws.com',
      name: 'CreateUser',
      request: { userName: 'carol' },
      response: { user: { userName: 'carol', userId: 'AIDACAROL', arn: `arn:aws:iam::${ACCOUNT}:user/carol` } },
    },
  });
  add({
    who: admin,
    call: { ...calls.stopLogging('main') },
    extra: {
      resources: [
        {
          ARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
          accountId: ACCOUNT,
          type: 'AWS::CloudTrail::Trail',
        },
      ],
    },
  });
  // ECR image pushes (events.ts builds the 1.1 record directly), one at night
  out.push(ocsf({ time: '2026-11-18T23:30:00Z', userName: 'eve', ip: EVIL }));
  out.push(ocsf({ time: '2026-11-18T12:30:00Z', userName: 'bob' }));
  return out;
}

/**
 * Records as Security Lake writes them to S3: one Parquet file per region, account and day under
 * `region=/accountId=/eventDay=`, in the source version's own column names and types. v1 files
 * hold no region or account columns: the importer reads them from the path.
 */
async function parquetSet(dir: string, records: Obj[], version: 'v1' | 'v2'): Promise<string> {
  const root = join(dir, 'bucket', 'aws', 'CLOUD_TRAIL_MGMT', version === 'v1' ? '1.0' : '2.0');
  const groups = new Map<string, Obj[]>();
  for (const r of records) {
    const cloud = (r.cloud ?? {}) as Obj;
    const account = String((cloud.account as Obj | undefined)?.uid ?? cloud.account_uid ?? r.accountid);
    const day = new Date(Number(r.time)).toISOString().slice(0, 10).replaceAll('-', '');
    const key = `region=${String(cloud.region)}/accountId=${account}/eventDay=${day}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [key, list] of groups) {
    const at = join(root, ...key.split('/'));
    mkdirSync(at, { recursive: true });
    await writeSecurityLakeParquet(join(at, 'part-0.gz.parquet'), list, { version });
  }
  return root;
}

async function lakeOf(
  records: Obj[],
  as: 'json' | 'v1' | 'v2' = 'json',
): Promise<TestLake & { counts: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-sl-'));
  const summary =
    as === 'json'
      ? await importRecords(dir, { cloudtrail: [], ocsf: records })
      : await importFiles(join(dir, 'lake'), [await parquetSet(dir, records, as)]);
  if (as !== 'json') {
    expect(summary.files.every((f) => f.kind === 'ocsf')).toBe(true);
    expect(summary.securityLake.added).toBe(records.length);
  }
  const engine = await DuckdbEngine.open(as === 'json' ? dir : join(dir, 'lake'));
  return {
    dir,
    engine,
    counts: summary as unknown as Record<string, unknown>,
    close: async () => {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ASL = readdirSync(shared('escu', 'asl')).filter((f) => f.endsWith('.yml'));

describe('Security Lake source versions on import', () => {
  const v11 = events();
  const rc2 = v11.map(toRc2);
  let a: TestLake;
  let b: TestLake;
  /** the same two forms as Security Lake's Parquet objects */
  let c: TestLake;
  let d: TestLake;
  beforeAll(async () => {
    a = await lakeOf(v11);
    b = await lakeOf(rc2);
    c = await lakeOf(v11, 'v2');
    d = await lakeOf(rc2, 'v1');
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a, b, c, d].map((l) => l.close()));
  });

  test('the events hold every kind of value the table moves', () => {
    const text = JSON.stringify(v11);
    for (const key of ['"uid_alt"', '"is_mfa"', '"created_time_dt"', '"owner"', '"data"', '"status":"Failure"']) {
      expect(text).toContain(key);
    }
    expect(v11.some((e) => e.class_uid === 3002 && (e.user as Obj | undefined)?.uid_alt !== undefined)).toBe(true);
    expect(v11.some((e) => e.is_mfa === true)).toBe(true);
  });

  test('the rc.2 form really is rc.2: no 1.1 names left', () => {
    const text = JSON.stringify(rc2);
    expect(text).not.toContain('"uid_alt"');
    expect(text).not.toContain('"is_mfa"');
    expect(text).not.toContain('"created_time_dt"');
    expect(text).not.toContain('"accountid"');
    expect(text).toContain('"version":"1.0.0-rc.2"');
  });

  test.each(ASL)('%s returns the same rows on both versions, from JSON and from Parquet', async (file) => {
    const det = corpusDetection('asl', file);
    const one = await runDetection(a, det);
    expect(await runDetection(b, det)).toEqual(one);
    expect(await runDetection(c, det)).toEqual(one);
    expect(await runDetection(d, det)).toEqual(one);
  });

  test('the comparison is not vacuous: most detections find something', async () => {
    let found = 0;
    for (const file of ASL) if ((await runDetection(a, corpusDetection('asl', file))).length > 0) found++;
    expect(found).toBeGreaterThanOrEqual(18);
  });

  test('the stored rows are the same, column by column, apart from what rc.2 never had', async () => {
    const q = async (l: TestLake) =>
      (
        await l.engine.query({
          sql:
            'SELECT metadata.uid AS uid, actor, api, "user", resources, is_mfa, status, time_dt, cloud, accountid, region, time_dt_day ' +
            'FROM security_lake_cloud_trail_mgmt_2_0 ORDER BY metadata.uid',
          params: [],
        })
      ).rows;
    const rows = await q(a);
    expect(await q(b)).toEqual(rows);
    expect(await q(c)).toEqual(rows);
    expect(await q(d)).toEqual(rows);
  });
});

describe('mixed versions, other classes, bad values', () => {
  const base = asl({
    time: '2026-11-18T10:00:00Z',
    who: assumedRole('Admin', 'dana'),
    call: calls.createAccessKey('bob'),
  });
  const session = (base.actor as Obj).session as Obj;
  const v1 = toRc2({ ...base, metadata: { ...(base.metadata as Obj), uid: 'rc2-one' } });

  const other = (classUid: number, product: string, feature?: string): Obj => ({
    class_uid: classUid,
    class_name: 'whatever the record says',
    time: Date.UTC(2026, 10, 18),
    metadata: {
      uid: `${classUid}-${product}-${feature ?? ''}`,
      version: '1.0.0-rc.2',
      product: { name: product, ...(feature ? { feature: { name: feature } } : {}) },
    },
    cloud: { account_uid: ACCOUNT, region: 'us-east-1' },
  });

  test('one file holding both versions and other classes: each record by its own version; findings and EKS audit to their tables; others skipped and counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-sl-mixed-'));
    const file = join(mkdtempSync(join(tmpdir(), 'hunt-sl-in-')), 'mixed.jsonl');
    const lines = [
      base,
      v1,
      // Network Activity from a product with no table (Amazon VPC's has one: vpc-flow.test.ts)
      other(4001, 'Example Firewall'),
      other(4001, 'Example Firewall'),
      other(2003, 'Security Hub'),
      other(6003, 'Amazon EKS'),
      other(6003, 'CloudTrail', 'Data'),
    ];
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    try {
      const summary = await importFiles(dir, [file]);
      const other = (cls: string, from: string) => `OCSF class ${cls} from ${from}: hunt has no local table for it`;
      expect(summary.securityLake.added).toBe(2);
      expect(summary.securityHub.added).toBe(1);
      expect(summary.eksAudit.added).toBe(1);
      // the same message for every record of a class and product, so the report can group them
      expect(summary.files.map((f) => ({ records: f.records, skipped: f.skipped, problems: f.problems }))).toEqual([
        {
          records: 4,
          skipped: 3,
          problems: [
            `line 3: ${other('4001 (Network Activity)', 'Example Firewall')}`,
            `line 4: ${other('4001 (Network Activity)', 'Example Firewall')}`,
            `line 7: ${other('6003 (API Activity)', 'CloudTrail data events')}`,
          ],
        },
      ]);
      const engine = await DuckdbEngine.open(dir);
      try {
        const rows = (
          await engine.query({
            sql:
              'SELECT metadata.uid AS uid, metadata.version AS version, actor.user.uid AS arn, actor.user.uid_alt AS principal, ' +
              'actor.user.account.uid AS account, actor.session.created_time_dt AS created, accountid, region ' +
              'FROM security_lake_cloud_trail_mgmt_2_0 ORDER BY version',
            params: [],
          })
        ).rows;
        const user = (base.actor as Obj).user as Obj;
        const expected = (uid: string, version: string) => ({
          uid,
          version,
          arn: user.uid,
          principal: user.uid_alt,
          account: ACCOUNT,
          created: new Date(Date.parse(session.created_time_dt as string)),
          accountid: ACCOUNT,
          region: 'us-east-1',
        });
        expect(rows.map((r) => ({ ...r, created: r.created === null ? null : new Date(String(r.created)) }))).toEqual([
          expected('rc2-one', '1.0.0-rc.2'),
          expected((base.metadata as Obj).uid as string, '1.1.0'),
        ]);
      } finally {
        await engine.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("rc.2's status_id stands in for a missing status; the account comes from the record, then cloud, then the actor", async () => {
    const failed = structuredClone(v1);
    delete failed.status;
    failed.status_id = 2;
    (failed.metadata as Obj).uid = 'failed';
    const own: Obj = { ...structuredClone(v1), accountid: '999988887777', region: 'eu-west-1' };
    (own.metadata as Obj).uid = 'own';
    const byActor = structuredClone(v1);
    byActor.cloud = { region: 'us-east-1', provider: 'AWS' };
    ((byActor.actor as Obj).user as Obj as Obj).account_uid = '555566667777';
    (byActor.metadata as Obj).uid = 'by-actor';
    const l = await lakeOf([failed, own, byActor]);
    try {
      const rows = (
        await l.engine.query({
          sql: 'SELECT metadata.uid AS uid, status, accountid, region FROM security_lake_cloud_trail_mgmt_2_0 ORDER BY uid',
          params: [],
        })
      ).rows;
      expect(rows).toEqual([
        { uid: 'by-actor', status: 'Success', accountid: '555566667777', region: 'us-east-1' },
        { uid: 'failed', status: 'Failure', accountid: ACCOUNT, region: 'us-east-1' },
        { uid: 'own', status: 'Success', accountid: '999988887777', region: 'eu-west-1' },
      ]);
    } finally {
      await l.close();
    }
  });

  test('wrong-typed rc.2 values become NULL, not a failed import', async () => {
    const bad = structuredClone(v1);
    const actor = bad.actor as Obj;
    (actor.session as Obj).mfa = 'perhaps';
    (actor.session as Obj).created_time = 'yesterday';
    bad.mfa = { not: 'a boolean' };
    bad.status_id = 'x';
    delete bad.status;
    const l = await lakeOf([bad]);
    try {
      const rows = (
        await l.engine.query({
          sql:
            'SELECT actor.session.is_mfa AS mfa, actor.session.created_time_dt AS created, is_mfa, status, actor.user.uid AS arn ' +
            'FROM security_lake_cloud_trail_mgmt_2_0',
          params: [],
        })
      ).rows;
      expect(rows).toEqual([
        { mfa: null, created: null, is_mfa: null, status: null, arn: ((base.actor as Obj).user as Obj).uid },
      ]);
    } finally {
      await l.close();
    }
  });
});

describe('the field table', () => {
  test('aliases: every entry without a conversion renames, the first per name; converting ones are left out', () => {
    expect(rc2Aliases()).toEqual({
      'actor.user.uid': 'actor.user.uuid',
      'actor.user.uid_alt': 'actor.user.uid',
      'actor.user.account.uid': 'actor.user.account_uid',
      'actor.session.is_mfa': 'actor.session.mfa',
      'user.uid': 'user.uuid',
      'user.uid_alt': 'user.uid',
      is_mfa: 'mfa',
      'resources{}.owner.account.uid': 'resources{}.account_uid',
      'api.request.data': 'unmapped.requestParameters',
      'api.response.data': 'unmapped.responseElements',
      'cloud.account.uid': 'cloud.account_uid',
    });
    expect(AWS_ASL_V1.aliases).toEqual(rc2Aliases());
    const table: Rc2Field[] = [
      { v11: 'a.b', rc2: 'a.c' },
      { v11: 'a.b', rc2: 'a.d' },
      { v11: 'a.t', rc2: 'a.ms', convert: 'epoch-ms' },
      { v11: 'same', rc2: 'same' },
    ];
    expect(rc2Aliases(table)).toEqual({ 'a.b': 'a.c' });
  });

  test('every rc.2 path is a column of the v1 table, every 1.1 path one of the v2 table (or the accountid fallback)', () => {
    for (const f of RC2_FIELDS) {
      expect(hasPath(f.rc2, securityLakeV1Table.columns), f.rc2).toBe(true);
      if (f.v11 !== 'cloud.account.uid') expect(hasPath(f.v11, securityLakeTable.columns), f.v11).toBe(true);
    }
  });

  test('the generated SQL: one CASE on the record version per column the table touches', () => {
    const overrides = rc2ColumnOverrides(securityLakeTable.columns, securityLakeV1Table.columns);
    expect(Object.keys(overrides).sort()).toEqual(['actor', 'api', 'is_mfa', 'resources', 'status', 'user']);
    for (const sql of Object.values(overrides)) expect(sql.startsWith(`CASE WHEN ${IS_RC2} THEN `)).toBe(true);
    expect(overrides.is_mfa).toBe(
      `CASE WHEN ${IS_RC2} THEN TRY_CAST(r."mfa" AS BOOLEAN) ELSE TRY_CAST(r."is_mfa" AS BOOLEAN) END`,
    );
    expect(overrides.actor).toContain(
      `"created_time_dt" := hunt_epoch_ms(TRY_CAST(struct_extract(struct_extract(r."actor", 'session'), 'created_time') AS BIGINT))`,
    );
    expect(overrides.api).toContain(`"data" := r."unmapped"['requestParameters']`);
    // an entry naming no rc.2 column is refused when the rule is built, not read as NULL
    expect(() =>
      rc2ColumnOverrides(securityLakeTable.columns, securityLakeV1Table.columns, [{ v11: 'is_mfa', rc2: 'mfa_used' }]),
    ).toThrow('rc.2 path mfa_used: no field mfa_used');
    // a value read outside the columns (the accountid fallback) also goes by the record's version
    expect(eitherVersion('cloud.account.uid', securityLakeV1Table.columns)).toBe(
      `CASE WHEN ${IS_RC2} THEN struct_extract(r."cloud", 'account_uid') ELSE struct_extract(struct_extract(r."cloud", 'account'), 'uid') END`,
    );
    // the narrow pass stays as narrow as before: no new meta keys
    expect(securityLakeLake.import.metaKeys).toEqual([
      'class_uid',
      'time',
      'time_dt',
      'region',
      'accountid',
      'cloud',
      'actor',
      'unmapped',
      'metadata',
    ]);
  });
});
