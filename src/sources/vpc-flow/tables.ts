import type { Rc2Field } from '../security-lake/rc2-fields.js';
import { arrayOf, type Column, str, struct, type TableSchema, typed } from '../table-schema.js';

/**
 * Security Lake's VPC Flow tables (OCSF Network Activity, class 4001).
 *
 * v1 (OCSF 1.0.0-rc.2): the columns of AWS's real rc.2 VPC Flow Parquet sample
 * (shared/reference/securitylake_other_sources.schemas.txt), plus the table's partitions
 * `region`, `accountid`, `eventday` ('YYYYMMDD').
 *
 * v2 (OCSF 1.1.0, Iceberg): the same record under the 1.1 names. What 1.1 changed for this class
 * (schema.ocsf.io 1.1.0 network_activity): `cloud.account_uid` became `cloud.account.uid`, epoch
 * times gained `_dt` timestamps (Security Lake's v2 tables keep `time` and the `_dt` forms, as its
 * EKS v2 sample does), `action`/`action_id` were added beside `disposition`, and every v2 table has
 * `accountid`, `region`, `asl_version`, `observables`. Not checked against a live v2 Glue table: a
 * column it lacks fails in Athena by name (COLUMN_NOT_FOUND), never silently.
 */
const endpoint = (name: string): Column =>
  struct(name, [
    typed('port', 'int'),
    str('svc_name'),
    str('ip'),
    arrayOf('intermediate_ips', { kind: 'string' }),
    str('interface_uid'),
    str('vpc_uid'),
    str('instance_uid'),
    str('subnet_uid'),
  ]);

const product = struct('product', [str('version'), str('name'), struct('feature', [str('name')]), str('vendor_name')]);
const connectionInfo = struct('connection_info', [
  typed('protocol_num', 'int'),
  typed('tcp_flags', 'int'),
  str('protocol_ver'),
  typed('boundary_id', 'int'),
  str('boundary'),
  typed('direction_id', 'int'),
  str('direction'),
]);
const traffic = struct('traffic', [typed('packets', 'bigint'), typed('bytes', 'bigint')]);
const classColumns: Column[] = [
  str('status_code'),
  typed('severity_id', 'int'),
  str('severity'),
  str('class_name'),
  typed('class_uid', 'int'),
  str('category_name'),
  typed('category_uid', 'int'),
  str('activity_name'),
  typed('activity_id', 'int'),
  str('disposition'),
  typed('disposition_id', 'int'),
];
const unmapped: Column = {
  name: 'unmapped',
  type: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } },
};

export const vpcFlowV1Table: TableSchema = {
  partitions: ['region', 'accountid', 'eventday'],
  columns: [
    struct('metadata', [product, str('uid'), arrayOf('profiles', { kind: 'string' }), str('version')]),
    struct('cloud', [str('account_uid'), str('region'), str('zone'), str('provider')]),
    endpoint('src_endpoint'),
    endpoint('dst_endpoint'),
    connectionInfo,
    traffic,
    typed('time', 'bigint'),
    typed('start_time', 'bigint'),
    typed('end_time', 'bigint'),
    ...classColumns,
    typed('type_uid', 'int'),
    str('type_name'),
    unmapped,
    str('accountid'),
    str('region'),
    str('eventday'),
  ],
};

export const vpcFlowTable: TableSchema = {
  partitions: ['region', 'accountid', 'time_dt_day'],
  columns: [
    struct('metadata', [product, str('uid'), arrayOf('profiles', { kind: 'string' }), str('version')]),
    struct('cloud', [struct('account', [str('uid')]), str('region'), str('zone'), str('provider')]),
    endpoint('src_endpoint'),
    endpoint('dst_endpoint'),
    connectionInfo,
    traffic,
    typed('time', 'bigint'),
    typed('time_dt', 'timestamp'),
    typed('start_time_dt', 'timestamp'),
    typed('end_time_dt', 'timestamp'),
    ...classColumns,
    str('action'),
    typed('action_id', 'int'),
    typed('type_uid', 'bigint'),
    str('type_name'),
    unmapped,
    str('accountid'),
    str('region'),
    str('asl_version'),
    arrayOf('observables', {
      kind: 'struct',
      fields: [str('name'), str('value'), str('type'), typed('type_id', 'int')],
    }),
  ],
};

/** OCSF 1.1 name ← where the rc.2 VPC Flow record keeps it (see security-lake/rc2-fields.ts). */
export const VPC_FLOW_RC2: readonly Rc2Field[] = [
  { v11: 'cloud.account.uid', rc2: 'cloud.account_uid' },
  { v11: 'start_time_dt', rc2: 'start_time', convert: 'epoch-ms' },
  { v11: 'end_time_dt', rc2: 'end_time', convert: 'epoch-ms' },
];
