/**
 * Security Lake Parquet fixtures: JSON records written as Parquet the way Security Lake writes
 * them, by DuckDB (`COPY ... TO (FORMAT parquet)`) with explicit column types.
 * - v2 (OCSF 1.1.0): the columns and types of the v2 Glue schema
 *   (shared/reference/securitylake_cloud_trail_mgmt_2_0.schema.json), read in place.
 * - v1 (OCSF 1.0.0-rc.2): CloudTrail management columns under rc.2 names, typed as in the real
 *   rc.2 samples (shared/reference/securitylake_other_sources.schemas.txt): `cloud.account_uid`,
 *   no `*_dt` columns, BIGINT epoch-ms times, INTEGER type_uid, MAP(VARCHAR, VARCHAR)
 *   `unmapped`, and no `region` / `accountid` columns (those live in the S3 path).
 * A record's keys outside the schema are dropped, as Security Lake's schema would; timestamps
 * must be ISO 8601 in UTC (`Z`): DuckDB's JSON reader drops other offsets.
 */
import { readFileSync } from 'node:fs';
import { duckdb } from '../../src/duckdb.js';
import { sqlIdent, sqlString } from '../../src/lake/sql.js';
import { shared } from './shared.js';

export type SecurityLakeVersion = 'v1' | 'v2';

export interface SecurityLakeColumn {
  name: string;
  /** DuckDB type */
  type: string;
}

interface GlueField {
  name: string;
  type: string;
  fields?: GlueField[];
}

const GLUE_SCALARS: Record<string, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  double: 'DOUBLE',
  float: 'FLOAT',
};

/** A Glue (Hive) type of the reference schema → DuckDB's, structs from their `fields`. */
function glueType(f: GlueField): string {
  const struct = (): string => {
    if (!f.fields) throw new Error(`${f.name}: struct without fields`);
    return `STRUCT(${f.fields.map((s) => `${sqlIdent(s.name)} ${glueType(s)}`).join(', ')})`;
  };
  if (f.type === 'struct') return struct();
  if (f.type === 'array<struct>') return `${struct()}[]`;
  const array = /^array<(\w+)>$/.exec(f.type);
  if (array) return `${glueScalar(array[1]!)}[]`;
  const map = /^map<(\w+),(\w+)>$/.exec(f.type);
  if (map) return `MAP(${glueScalar(map[1]!)}, ${glueScalar(map[2]!)})`;
  return glueScalar(f.type);
}

function glueScalar(t: string): string {
  const out = GLUE_SCALARS[t];
  if (!out) throw new Error(`Glue type ${t} is not known here`);
  return out;
}

let v2Columns: SecurityLakeColumn[] | undefined;

function v2(): SecurityLakeColumn[] {
  v2Columns ??= (
    JSON.parse(readFileSync(shared('reference', 'securitylake_cloud_trail_mgmt_2_0.schema.json'), 'utf8')) as {
      columns: GlueField[];
    }
  ).columns.map((c) => ({ name: c.name, type: glueType(c) }));
  return v2Columns;
}

const S = 'VARCHAR';

/** rc.2 CloudTrail management columns (names as the rc.2 mappings, types as the rc.2 samples). */
const V1_COLUMNS: SecurityLakeColumn[] = [
  {
    name: 'metadata',
    type: `STRUCT(product STRUCT("version" ${S}, "name" ${S}, feature STRUCT("name" ${S}), vendor_name ${S}), uid ${S}, profiles ${S}[], "version" ${S})`,
  },
  { name: 'time', type: 'BIGINT' },
  { name: 'cloud', type: `STRUCT(account_uid ${S}, region ${S}, provider ${S})` },
  {
    name: 'api',
    type: `STRUCT(response STRUCT("error" ${S}, message ${S}), operation ${S}, "version" ${S}, service STRUCT("name" ${S}), request STRUCT(uid ${S}))`,
  },
  { name: 'dst_endpoint', type: `STRUCT(svc_name ${S})` },
  {
    name: 'actor',
    type:
      `STRUCT("user" STRUCT("type" ${S}, "name" ${S}, uid ${S}, uuid ${S}, account_uid ${S}, credential_uid ${S}), ` +
      `"session" STRUCT(created_time BIGINT, mfa BOOLEAN, issuer ${S}), invoked_by ${S}, idp STRUCT("name" ${S}))`,
  },
  { name: 'http_request', type: `STRUCT(user_agent ${S})` },
  { name: 'src_endpoint', type: `STRUCT(uid ${S}, ip ${S}, domain ${S})` },
  { name: 'user', type: `STRUCT(uid ${S}, uuid ${S}, "name" ${S})` },
  { name: 'mfa', type: 'BOOLEAN' },
  { name: 'resources', type: `STRUCT(uid ${S}, account_uid ${S}, "type" ${S})[]` },
  { name: 'class_name', type: S },
  { name: 'class_uid', type: 'INTEGER' },
  { name: 'category_name', type: S },
  { name: 'category_uid', type: 'INTEGER' },
  { name: 'severity_id', type: 'INTEGER' },
  { name: 'severity', type: S },
  { name: 'activity_name', type: S },
  { name: 'activity_id', type: 'INTEGER' },
  { name: 'type_uid', type: 'INTEGER' },
  { name: 'type_name', type: S },
  { name: 'status', type: S },
  { name: 'status_id', type: 'INTEGER' },
  { name: 'unmapped', type: 'MAP(VARCHAR, VARCHAR)' },
];

/** The columns a Security Lake file of this source version holds, in file order. */
export function securityLakeColumns(version: SecurityLakeVersion): SecurityLakeColumn[] {
  return version === 'v2' ? v2() : V1_COLUMNS;
}

/** The DuckDB STRUCT type of one record. */
export function securityLakeRecordType(version: SecurityLakeVersion): string {
  return `STRUCT(${securityLakeColumns(version)
    .map((c) => `${sqlIdent(c.name)} ${c.type}`)
    .join(', ')})`;
}

export interface ParquetFixtureOptions {
  version: SecurityLakeVersion;
  /** the file's columns when not the CloudTrail table's of `version` (another source's sample) */
  columns?: SecurityLakeColumn[];
  /**
   * Rows per row group (DuckDB's default otherwise, 122,880). DuckDB cuts row groups on its
   * 2048-row vectors, so a smaller value still gives row groups of 2048 rows.
   */
  rowGroupRows?: number;
}

/** Write `records` (JSON objects) to `file` as a Security Lake Parquet file, in their order. */
export async function writeSecurityLakeParquet(
  file: string,
  records: object[],
  options: ParquetFixtureOptions,
): Promise<void> {
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    await conn.run('CREATE TABLE records (i INTEGER, line VARCHAR)');
    const appender = await conn.createAppender('records');
    records.forEach((r, i) => {
      appender.appendInteger(i);
      appender.appendVarchar(JSON.stringify(r));
      appender.endRow();
    });
    appender.closeSync();
    const type = sqlString(
      JSON.stringify(
        options.columns
          ? `STRUCT(${options.columns.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ')})`
          : securityLakeRecordType(options.version),
      ),
    );
    const rowGroup = options.rowGroupRows === undefined ? '' : `, ROW_GROUP_SIZE ${options.rowGroupRows}`;
    await conn.run(
      `COPY (SELECT unnest(from_json(line, ${type})) FROM records ORDER BY i) ` +
        `TO ${sqlString(file)} (FORMAT parquet${rowGroup})`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
