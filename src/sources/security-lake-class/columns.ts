import { securityLakeTable } from '../security-lake/table-v2.js';
import { arrayOf, type Column, str, struct, type TableSchema, typed } from '../table-schema.js';

/**
 * Columns every Security Lake source table has, per version, after the real Parquet samples
 * (shared/reference/securitylake_other_sources.schemas.txt: rc.2 Route 53 / VPC Flow / Security
 * Hub, 1.1 EKS): a source table is its own columns among these (classTable).
 */

/** metadata (rc.2 and 1.1 alike); `uid` is the record's id where the source gives one */
const metadataColumn = struct('metadata', [
  struct('product', [str('version'), str('name'), struct('feature', [str('name')]), str('vendor_name')]),
  str('uid'),
  arrayOf('profiles', { kind: 'string' }),
  str('version'),
]);

/** rc.2 keeps the account as cloud.account_uid, 1.1 as cloud.account.uid */
const cloudColumn = (version: 1 | 2, more: Column[] = []): Column =>
  struct('cloud', [
    version === 2 ? struct('account', [str('uid')]) : str('account_uid'),
    str('region'),
    ...more,
    str('provider'),
  ]);

/** class and category, severity, and activity and type: the OCSF base event's classification */
const classification = (): Column[] => [
  str('class_name'),
  typed('class_uid', 'int'),
  str('category_name'),
  typed('category_uid', 'int'),
];
const severityColumns = (): Column[] => [typed('severity_id', 'int'), str('severity')];
const activityType = (typeUid: 'int' | 'bigint'): Column[] => [
  str('activity_name'),
  typed('activity_id', 'int'),
  typed('type_uid', typeUid),
  str('type_name'),
];

/**
 * The OCSF classification columns in a hand-written table's order (Security Hub, EKS audit);
 * rc.2 Parquet types type_uid as int, 1.1 as bigint.
 */
export function ocsfClassColumns(typeUid: 'int' | 'bigint' = 'bigint'): Column[] {
  return [...classification(), ...severityColumns(), ...activityType(typeUid)];
}

/** classTable's classification columns, disposition and `unmapped`, in the real samples' order */
const classColumns = (version: 1 | 2): Column[] => [
  ...severityColumns(),
  ...classification(),
  ...activityType(version === 2 ? 'bigint' : 'int'),
  str('disposition'),
  typed('disposition_id', 'int'),
  // OCSF 1.1 added action / action_id beside disposition
  ...(version === 2 ? [str('action'), typed('action_id', 'int')] : []),
  { name: 'unmapped', type: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } } },
];

/** time columns: `time` in both; 1.1 adds time_dt */
const timeColumns = (version: 1 | 2): Column[] =>
  version === 2 ? [typed('time', 'bigint'), typed('time_dt', 'timestamp')] : [typed('time', 'bigint')];

/** every v2 table's observables, as the CloudTrail table has them (its v2 Glue schema) */
const observables = ((): Column => {
  const found = securityLakeTable.columns.find((c) => c.name === 'observables');
  if (!found) throw new Error('the Security Lake CloudTrail table has no observables column');
  return found;
})();

/** the tables' own columns after the record's: partitions (v1: eventday) and v2's extras */
const tableColumns = (version: 1 | 2): Column[] =>
  version === 2
    ? [str('accountid'), str('region'), str('asl_version'), observables]
    : [str('accountid'), str('region'), str('eventday')];

const partitionsOf = (version: 1 | 2): string[] =>
  version === 2 ? ['region', 'accountid', 'time_dt_day'] : ['region', 'accountid', 'eventday'];

/** every rc.2 table's account moved (and the lake's accountid partition falls back to it) */
export const ACCOUNT_RC2 = { v11: 'cloud.account.uid', rc2: 'cloud.account_uid' } as const;

/**
 * A Security Lake source table of one version: the shared columns around the source's own
 * (`columns`, which may depend on the version), `cloud` with the source's extra fields.
 */
export function classTable(version: 1 | 2, own: { cloud?: Column[]; columns: Column[] }): TableSchema {
  return {
    partitions: partitionsOf(version),
    columns: [
      metadataColumn,
      cloudColumn(version, own.cloud),
      ...own.columns,
      ...timeColumns(version),
      ...classColumns(version),
      ...tableColumns(version),
    ],
  };
}
