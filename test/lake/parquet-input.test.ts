import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdb } from '../../src/duckdb.js';
import { LakeImportError } from '../../src/lake/errors.js';
import { importFiles } from '../../src/lake/import.js';
import { prepareConnection } from '../../src/lake/normalise-sql.js';
import {
  inspectParquet,
  isParquet,
  OCSF_1_1,
  OCSF_RC2,
  parquetLinesSql,
  parquetSlices,
  pathHints,
  type ParquetFacts,
} from '../../src/lake/parquet-input.js';
import { sqlString } from '../../src/lake/sql.js';
import { writeSyntheticSecurityLake } from '../../bench/security-lake-parquet.js';
import { asl, calls, type Obj } from '../support/events-asl.js';
import { assumedRole, iamUser } from '../support/events.js';
import { writeSecurityLakeParquet } from '../support/security-lake-parquet.js';
import { ctEvent, ndjson, query, tempDirs, writeText } from './helpers.js';

const tmp = tempDirs();

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await duckdb.DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  // the import's connections are set up so (UTC, hunt_ts)
  await prepareConnection(conn);
});

afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

const alice = iamUser('alice');
const admin = assumedRole('Admin', 'carol');

/** OCSF 1.1 records as Security Lake v2 holds them: failures, assumed roles, MFA, sessions. */
function v2Records(): Obj[] {
  return [
    asl({ time: '2026-11-18T10:00:00Z', who: alice, call: calls.createAccessKey('bob') }),
    asl({ time: '2026-11-18T10:05:00Z', who: admin, call: calls.deleteGroup('ops') }),
    asl({ time: '2026-11-18T10:10:00Z', who: admin, region: 'eu-west-1', call: calls.enableMFADevice('bob') }),
    asl({
      time: '2026-11-18T10:15:00Z',
      who: alice,
      ip: '203.0.113.9',
      call: calls.deleteUserPolicy('bob', 'p'),
      error: { code: 'AccessDenied', message: 'User: alice is not authorized' },
    }),
    asl({ time: '2026-11-19T23:59:59Z', who: admin, call: calls.listUsers() }),
  ];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The same record without null members (to_json writes a schema's absent fields as null). */
function withoutNulls(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, withoutNulls(x)]),
    );
  }
  return v;
}

function defined(o: Record<string, unknown>): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * An OCSF 1.1 record in rc.2's names (what Security Lake v1 held for the same call): uid is the
 * principal id and uuid the ARN, account_uid instead of account.uid, epoch-ms session times,
 * request data in unmapped, no time_dt, no region/accountid columns.
 */
function toRc2(r: Obj, version: string | null = OCSF_RC2): Obj {
  const actor = r.actor as Obj;
  const user = actor.user as Obj;
  const session = actor.session as Obj | undefined;
  const api = r.api as Obj;
  const response = api.response as Obj | undefined;
  const meta = r.metadata as Obj;
  const cloud = r.cloud as Obj;
  const request = api.request as Obj | undefined;
  return defined({
    metadata: defined({ product: meta.product, uid: meta.uid, profiles: ['cloud'], version: version ?? undefined }),
    time: r.time,
    cloud: { account_uid: r.accountid, region: cloud.region, provider: cloud.provider },
    api: defined({
      response: response && defined({ error: response.error, message: response.message }),
      operation: api.operation,
      service: api.service,
      request: request && { uid: request.uid },
    }),
    actor: defined({
      user: defined({
        type: user.type,
        name: user.name,
        uid: user.uid_alt,
        uuid: user.uid,
        account_uid: (user.account as Obj | undefined)?.uid,
        credential_uid: user.credential_uid,
      }),
      session:
        session &&
        defined({
          created_time: Date.parse(session.created_time_dt as string),
          mfa: session.is_mfa,
          issuer: session.issuer,
        }),
    }),
    http_request: r.http_request,
    src_endpoint: r.src_endpoint,
    class_name: r.class_name,
    class_uid: r.class_uid,
    category_name: r.category_name,
    category_uid: r.category_uid,
    severity_id: r.severity_id,
    severity: r.severity,
    activity_name: r.activity_name,
    activity_id: r.activity_id,
    type_uid: r.type_uid,
    type_name: r.type_name,
    status: r.status,
    unmapped: { ...(r.unmapped as Obj), ...(request?.data ? { requestParameters: request.data } : {}) },
  });
}

/** Fill `lines` slice by slice as the pipeline does (`INSERT INTO lines SELECT $first + k, line`). */
async function stageLines(file: string, facts: ParquetFacts, slices: [number, number][]): Promise<string[]> {
  await conn.run('CREATE OR REPLACE TABLE lines (hunt_seq INTEGER, line VARCHAR)');
  let first = 0;
  for (const [from, to] of slices) {
    await conn.run(`INSERT INTO lines SELECT $1 + k, line FROM (${parquetLinesSql(file, facts, from, to)})`, [first]);
    first += to - from;
  }
  const rows = (await conn.runAndReadAll('SELECT hunt_seq, line FROM lines ORDER BY hunt_seq')).getRows();
  expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: first }, (_, i) => i));
  return rows.map((r) => String(r[1]));
}

async function expectRefused(file: string, message: RegExp): Promise<void> {
  const err = await inspectParquet(conn, file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LakeImportError);
  expect((err as LakeImportError).message).toMatch(message);
  expect((err as LakeImportError).file).toBe(file);
}

describe('isParquet', () => {
  it('knows Parquet by its magic number', () => {
    expect(isParquet(Buffer.from('PAR1\x15\x04'))).toBe(true);
    expect(isParquet(Buffer.from('PAR'))).toBe(false);
    expect(isParquet(Buffer.from('{"Records":[]}'))).toBe(false);
    expect(isParquet(Buffer.from([0x1f, 0x8b, 0x08, 0x00]))).toBe(false);
  });
});

describe('pathHints', () => {
  it('reads region and account from the Security Lake S3 layout', () => {
    const key =
      'aws-security-data-lake-us-east-1-x/aws/CLOUD_TRAIL_MGMT/1.0/region=eu-west-1/accountId=123456789012/eventDay=20241118/f.zstd.parquet';
    expect(pathHints(key)).toEqual({ region: 'eu-west-1', account: '123456789012' });
    expect(pathHints(`/data/copies/${key}`)).toEqual({ region: 'eu-west-1', account: '123456789012' });
    expect(pathHints('C:\\lake\\region=us-gov-west-1\\accountid=210987654321\\x.parquet')).toEqual({
      region: 'us-gov-west-1',
      account: '210987654321',
    });
  });

  it('takes the last segments and gives no hint for a malformed value', () => {
    expect(pathHints('region=us-east-1/region=ap-southeast-2/accountId=111122223333/f.parquet')).toEqual({
      region: 'ap-southeast-2',
      account: '111122223333',
    });
    expect(pathHints('region=us-east-1/x/region=Mars/accountId=12345/f.parquet')).toEqual({});
    expect(pathHints('region=us-east-1/accountId=111122223333x/f')).toEqual({ region: 'us-east-1' });
    expect(pathHints('plain/file.parquet')).toEqual({});
  });
});

describe('inspectParquet', () => {
  it('reads a v2 (OCSF 1.1) file: rows, version from the statistics, columns, row groups', async () => {
    const dir = await tmp();
    const file = join(dir, 'v2.parquet');
    await writeSecurityLakeParquet(file, v2Records(), { version: 'v2' });
    const facts = await inspectParquet(conn, file);
    expect(facts).toMatchObject({ rows: 5, version: OCSF_1_1, versionFrom: 'statistics', rowGroups: [5] });
    expect(facts.columns.find((c) => c.name === 'time_dt')?.type).toEqual({ kind: 'timestamp', zone: false });
    expect(facts.columns.find((c) => c.name === 'unmapped')?.type.kind).toBe('map');
  });

  it('tells the version from the schema when metadata.version is NULL: v2 and rc.2', async () => {
    const dir = await tmp();
    const v2 = join(dir, 'v2.parquet');
    await writeSecurityLakeParquet(
      v2,
      v2Records().map((r) => ({ ...r, metadata: { ...(r.metadata as Obj), version: undefined } })),
      { version: 'v2' },
    );
    expect(await inspectParquet(conn, v2)).toMatchObject({ version: OCSF_1_1, versionFrom: 'schema' });
    const v1 = join(dir, 'v1.parquet');
    await writeSecurityLakeParquet(
      v1,
      v2Records().map((r) => toRc2(r, null)),
      { version: 'v1' },
    );
    const facts = await inspectParquet(conn, v1);
    expect(facts).toMatchObject({ rows: 5, version: OCSF_RC2, versionFrom: 'schema' });
    expect(facts.columns.map((c) => c.name)).not.toContain('time_dt');
    const lines = await stageLines(v1, facts, [[0, 5]]);
    expect(lines.map((l) => ((JSON.parse(l) as Obj).metadata as Obj).version)).toEqual(Array(5).fill(OCSF_RC2));
  });

  it('reads an rc.2 file whose metadata.version is set', async () => {
    const dir = await tmp();
    const file = join(dir, 'v1.parquet');
    await writeSecurityLakeParquet(
      file,
      v2Records().map((r) => toRc2(r)),
      { version: 'v1' },
    );
    expect(await inspectParquet(conn, file)).toMatchObject({ rows: 5, version: OCSF_RC2, versionFrom: 'statistics' });
  });

  it('leaves no partition columns from a Security Lake path (pathHints reads them)', async () => {
    const dir = join(await tmp(), 'region=us-east-1', 'accountId=111122223333', 'eventDay=20261118');
    await mkdir(dir, { recursive: true });
    const file = join(dir, "it's [1].parquet");
    await writeSecurityLakeParquet(
      file,
      v2Records().map((r) => toRc2(r)),
      { version: 'v1' },
    );
    const facts = await inspectParquet(conn, file);
    expect(facts.columns.map((c) => c.name.toLowerCase())).not.toContain('accountid');
    expect(facts.columns.map((c) => c.name.toLowerCase())).not.toContain('region');
    const lines = await stageLines(file, facts, [[0, facts.rows]]);
    expect(lines).toHaveLength(5);
    expect(Object.keys(JSON.parse(lines[0]!) as Obj)).not.toContain('eventDay');
    expect(pathHints(file)).toEqual({ region: 'us-east-1', account: '111122223333' });
  });

  it('refuses Parquet that is not Security Lake OCSF, naming the file and what is missing', async () => {
    const dir = await tmp();
    const one = join(dir, 'one.parquet');
    await conn.run(`COPY (SELECT 1 AS x) TO ${sqlString(one)} (FORMAT parquet)`);
    await expectRefused(one, /one\.parquet: not Security Lake OCSF Parquet: no class_uid, time, metadata columns$/);

    const ct = join(dir, 'cloudtrail.parquet');
    const events = join(dir, 'ct.ndjson');
    await writeFile(events, ndjson([ctEvent(), ctEvent()]));
    await conn.run(`COPY (SELECT * FROM read_ndjson(${sqlString(events)})) TO ${sqlString(ct)} (FORMAT parquet)`);
    await expectRefused(
      ct,
      /cloudtrail\.parquet: not Security Lake OCSF Parquet: no class_uid, time, metadata columns/,
    );

    const noClass = join(dir, 'no-class.parquet');
    await conn.run(
      `COPY (SELECT 1::BIGINT AS time, {'version': '1.1.0'} AS metadata) TO ${sqlString(noClass)} (FORMAT parquet)`,
    );
    await expectRefused(noClass, /no-class\.parquet: not Security Lake OCSF Parquet: no class_uid column$/);

    const flat = join(dir, 'flat.parquet');
    await conn.run(
      `COPY (SELECT 6003 AS class_uid, 1::BIGINT AS time, '1.1.0' AS metadata) TO ${sqlString(flat)} (FORMAT parquet)`,
    );
    await expectRefused(flat, /flat\.parquet: not Security Lake OCSF Parquet: metadata is VARCHAR, not a struct/);

    const shadow = join(dir, 'shadow.parquet');
    await conn.run(
      `COPY (SELECT 6003 AS class_uid, 1::BIGINT AS time, {'uid': 'x'} AS metadata, 7 AS file_row_number) ` +
        `TO ${sqlString(shadow)} (FORMAT parquet)`,
    );
    await expectRefused(shadow, /shadow\.parquet: not Security Lake OCSF Parquet: it has a file_row_number column/);
  });

  it('refuses a truncated Parquet file, a text file named .parquet and a missing file in plain words', async () => {
    const dir = await tmp();
    const good = join(dir, 'good.parquet');
    await writeSecurityLakeParquet(good, v2Records(), { version: 'v2' });
    const bytes = await readFile(good);
    const truncated = join(dir, 'truncated.parquet');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectRefused(
      truncated,
      /truncated\.parquet: not a readable Parquet file \(truncated or corrupt\?\): DuckDB says: /,
    );
    const text = await writeText(dir, 'records.parquet', ndjson(v2Records()));
    await expectRefused(text, /records\.parquet: not a readable Parquet file \(truncated or corrupt\?\)/);
    const tiny = await writeText(dir, 'tiny.parquet', '{}');
    await expectRefused(tiny, /tiny\.parquet: not a readable Parquet file/);
    await expectRefused(join(dir, 'gone.parquet'), /gone\.parquet: cannot be read \(no such file\)/);
  });
});

describe('parquetLinesSql', () => {
  /** Records enough for several row groups (DuckDB cuts them at 2048 rows at the least). */
  function many(n: number): Obj[] {
    const base = v2Records();
    return Array.from({ length: n }, (_, i) => {
      const r = base[i % base.length]!;
      return { ...r, metadata: { ...(r.metadata as Obj), uid: `evt-${i}` }, time: (r.time as number) + i };
    });
  }

  it('covers every row exactly once, in order, over several row groups, whatever the slices', async () => {
    const dir = await tmp();
    const file = join(dir, 'many.parquet');
    const records = many(5000);
    await writeSecurityLakeParquet(file, records, { version: 'v2', rowGroupRows: 2048 });
    const facts = await inspectParquet(conn, file);
    expect(facts.rows).toBe(5000);
    expect(facts.rowGroups).toEqual([2048, 2048, 904]);
    const uids = records.map((r) => (r.metadata as Obj).uid);
    const uidsOf = (lines: string[]): unknown[] => lines.map((l) => ((JSON.parse(l) as Obj).metadata as Obj).uid);

    const aligned = parquetSlices(facts, 2500);
    expect(aligned).toEqual([
      [0, 2048],
      [2048, 4096],
      [4096, 5000],
    ]);
    expect(uidsOf(await stageLines(file, facts, aligned))).toEqual(uids);
    const small = parquetSlices(facts, 700);
    expect(small.every(([a, b]) => b - a <= 700)).toBe(true);
    expect(uidsOf(await stageLines(file, facts, small))).toEqual(uids);
    // across row-group boundaries, and empty slices
    const ragged: [number, number][] = [
      [0, 1],
      [1, 2047],
      [2047, 2049],
      [2049, 2049],
      [2049, 4999],
      [4999, 5000],
      [5000, 5000],
    ];
    expect(uidsOf(await stageLines(file, facts, ragged))).toEqual(uids);
    expect(parquetSlices(facts, 10_000)).toEqual([[0, 5000]]);
    expect(() => parquetLinesSql(file, facts, 5, 4)).toThrow(RangeError);
  });

  it('reads only the row groups a slice covers (a corrupt first row group does not stop the others)', async () => {
    const dir = await tmp();
    const file = join(dir, 'pruned.parquet');
    await writeSecurityLakeParquet(file, many(5000), { version: 'v2', rowGroupRows: 2048 });
    const facts = await inspectParquet(conn, file);
    const second = (
      await conn.runAndReadAll(
        `SELECT min(least(coalesce(dictionary_page_offset, data_page_offset), data_page_offset)) ` +
          `FROM parquet_metadata(${sqlString(file)}) WHERE row_group_id = 1`,
      )
    ).getRows()[0]![0];
    // Overwrite row group 0's pages (from after the leading magic to row group 1), footer intact.
    const handle = await open(file, 'r+');
    try {
      await handle.write(Buffer.alloc(Number(second) - 4, 0xab), 0, Number(second) - 4, 4);
    } finally {
      await handle.close();
    }
    expect((await stat(file)).size).toBeGreaterThan(Number(second));
    await expect(stageLines(file, facts, [[0, 10]])).rejects.toThrow();
    const tail = await stageLines(file, facts, [
      [2048, 4096],
      [4096, 5000],
    ]);
    expect(tail).toHaveLength(2952);
    expect(((JSON.parse(tail[0]!) as Obj).metadata as Obj).uid).toBe('evt-2048');
  });

  it('gives v2 lines that import as the JSON records do (the same lake rows)', async () => {
    const dir = await tmp();
    const records = v2Records();
    const file = join(dir, 'v2.parquet');
    await writeSecurityLakeParquet(file, records, { version: 'v2' });
    const facts = await inspectParquet(conn, file);
    const lines = await stageLines(file, facts, parquetSlices(facts, 2));
    const fromParquet = await writeText(dir, 'from-parquet.ndjson', lines.join('\n'));
    const fromJson = await writeText(dir, 'records.ndjson', ndjson(records));
    const lakeA = join(dir, 'lake-a');
    const lakeB = join(dir, 'lake-b');
    const a = await importFiles(lakeA, [fromParquet]);
    const b = await importFiles(lakeB, [fromJson]);
    expect(a.files[0]).toMatchObject({ kind: 'ocsf', records: 5, skipped: 0 });
    expect(a.securityLake).toEqual(b.securityLake);
    const sql = 'SELECT * FROM security_lake_cloud_trail_mgmt_2_0 ORDER BY metadata.uid';
    const rowsA = await query(lakeA, sql);
    expect(rowsA).toHaveLength(5);
    expect(rowsA).toEqual(await query(lakeB, sql));
    // the typed values came through: time_dt from TIMESTAMP text, is_mfa, the map
    const first = (await query(lakeA, `SELECT time_dt::VARCHAR AS t, unmapped['readOnly'] AS ro ${sql.slice(9)}`))[0];
    expect(first).toEqual({ t: '2026-11-18 10:00:00', ro: 'false' });
  });

  it('imports a Security Lake Parquet file directly, as the same records in JSON, and refuses other Parquet', async () => {
    const dir = await tmp();
    const records = v2Records();
    const file = join(dir, 'v2.gz.parquet');
    await writeSecurityLakeParquet(file, records, { version: 'v2' });
    const other = join(dir, 'other.parquet');
    await conn.run(`COPY (SELECT 1 AS x) TO '${other}' (FORMAT parquet)`);
    const fromJson = await writeText(dir, 'records.ndjson', ndjson(records));
    const lakeA = join(dir, 'lake-a');
    const lakeB = join(dir, 'lake-b');
    const a = await importFiles(lakeA, [other, file]);
    await importFiles(lakeB, [fromJson]);
    expect(a.files.map((f) => [f.kind, f.added])).toEqual([
      ['error', 0],
      ['ocsf', 5],
    ]);
    expect(a.files[0]?.error).toMatch(/other\.parquet: not Security Lake OCSF Parquet/);
    const sql = 'SELECT * FROM security_lake_cloud_trail_mgmt_2_0 ORDER BY metadata.uid';
    expect(await query(lakeA, sql)).toEqual(await query(lakeB, sql));
    // and again: every record is already there
    const again = await importFiles(lakeA, [file]);
    expect(again.files[0]).toMatchObject({ kind: 'ocsf', added: 0, duplicates: 5, conflicts: 0 });
  });

  it('gives rc.2 lines equal to the JSON records, metadata.version filled where NULL', async () => {
    const dir = await tmp();
    const records = v2Records().map((r, i) => toRc2(r, i % 2 === 0 ? null : OCSF_RC2));
    const file = join(dir, 'v1.parquet');
    await writeSecurityLakeParquet(file, records, { version: 'v1' });
    const facts = await inspectParquet(conn, file);
    // the statistics cover the records that have a version: theirs is the file's
    expect(facts).toMatchObject({ version: OCSF_RC2, versionFrom: 'statistics' });
    const lines = await stageLines(file, facts, [[0, facts.rows]]);
    const expected = records.map((r) => ({ ...r, metadata: { ...(r.metadata as Obj), version: OCSF_RC2 } }));
    expect(lines.map((l) => withoutNulls(JSON.parse(l) as Json))).toEqual(expected);
    // epoch-ms times stay numbers, unmapped an object
    const first = JSON.parse(lines[0]!) as Obj;
    expect(typeof first.time).toBe('number');
    expect((first.unmapped as Obj).requestParameters).toBe('{"userName":"bob"}');
  });

  it('writes timestamps as ISO 8601 UTC and NaN as null, for any zone setting', async () => {
    const dir = await tmp();
    const file = join(dir, 'typed.parquet');
    await conn.run(
      `COPY (SELECT 6003 AS class_uid, 1::BIGINT AS time, {'uid': 'x'} AS metadata, ` +
        `TIMESTAMPTZ '2026-11-18 12:00:00+02' AS t_tz, TIMESTAMP_MS '2026-11-18 10:00:00.123' AS t_ms, ` +
        `[{'at': TIMESTAMP '2026-11-18 10:00:00'}] AS list, 'NaN'::DOUBLE AS nan, 1.5::FLOAT AS f) ` +
        `TO ${sqlString(file)} (FORMAT parquet)`,
    );
    const facts = await inspectParquet(conn, file);
    expect(facts).toMatchObject({ version: null, versionFrom: null });
    await conn.run(`SET TimeZone = 'America/New_York'`);
    try {
      const [line] = await stageLines(file, facts, [[0, 1]]);
      expect(JSON.parse(line!)).toEqual({
        class_uid: 6003,
        time: 1,
        metadata: { uid: 'x' },
        t_tz: '2026-11-18T10:00:00.000000Z',
        t_ms: '2026-11-18T10:00:00.123000Z',
        list: [{ at: '2026-11-18T10:00:00.000000Z' }],
        nan: null,
        f: 1.5,
      });
    } finally {
      await conn.run(`SET TimeZone = 'UTC'`);
    }
  });
  it('adds metadata.version when the file has no such field, and to a NULL metadata', async () => {
    const dir = await tmp();
    const file = join(dir, 'no-version.parquet');
    await conn.run(
      `COPY (SELECT 6003 AS class_uid, 1::BIGINT AS time, m AS metadata, TIMESTAMP '2026-11-18 10:00:00' AS time_dt ` +
        `FROM (VALUES ({'uid': 'x'}), (NULL)) v(m)) TO ${sqlString(file)} (FORMAT parquet)`,
    );
    const facts = await inspectParquet(conn, file);
    expect(facts).toMatchObject({ version: OCSF_1_1, versionFrom: 'schema' });
    const lines = await stageLines(file, facts, [[0, 2]]);
    expect(lines.map((l) => (JSON.parse(l) as Obj).metadata)).toEqual([
      { uid: 'x', version: OCSF_1_1 },
      { uid: null, version: OCSF_1_1 },
    ]);
  });
});

describe('synthetic Security Lake set (bench helper)', () => {
  it('writes a deterministic v2 set of about the asked size in files of about the asked size', async () => {
    const dir = await tmp();
    const mb = 1024 * 1024;
    const set = await writeSyntheticSecurityLake(join(dir, 'a'), { totalBytes: 3 * mb, fileBytes: mb });
    expect(set.files.length).toBeGreaterThanOrEqual(2);
    expect(set.bytes).toBeGreaterThan(2 * mb);
    expect(set.bytes).toBeLessThan(4.5 * mb);
    let rows = 0;
    for (const f of set.files) {
      const facts = await inspectParquet(conn, f);
      expect(facts).toMatchObject({ version: OCSF_1_1 });
      expect(pathHints(f).region).toBeDefined();
      rows += facts.rows;
    }
    expect(rows).toBe(set.rows);
    const again = await writeSyntheticSecurityLake(join(dir, 'b'), { totalBytes: 3 * mb, fileBytes: mb });
    expect(again.rows).toBe(set.rows);
    expect(await readFile(again.files[0]!)).toEqual(await readFile(set.files[0]!));
    // its rows import as Security Lake records
    const facts = await inspectParquet(conn, set.files[0]!);
    const lines = await stageLines(set.files[0]!, facts, [[0, 200]]);
    const sample = await writeText(dir, 'sample.ndjson', lines.join('\n'));
    const summary = await importFiles(join(dir, 'lake'), [sample]);
    expect(summary.files[0]).toMatchObject({ kind: 'ocsf', records: 200, skipped: 0 });
    // and the files themselves, slice by slice (the first of 2,000 rows), in small batches
    const direct = await importFiles(join(dir, 'lake-direct'), [join(dir, 'a')], { batchBytes: mb });
    expect(direct.files.map((f) => f.kind)).toEqual(set.files.map(() => 'ocsf'));
    expect(direct.securityLake.added).toBe(set.rows);
    expect(direct.filesWritten).toBeGreaterThan(set.files.length);
  });
});
