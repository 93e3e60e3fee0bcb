import { ACCOUNT_RC2, classTable } from '../security-lake-class/columns.js';
import type { Rc2Field } from '../security-lake/rc2-fields.js';
import { arrayOf, type Column, str, struct, typed } from '../table-schema.js';

/**
 * Security Lake's VPC Flow tables (OCSF Network Activity, class 4001).
 *
 * v1 (OCSF 1.0.0-rc.2): the columns of AWS's real rc.2 VPC Flow Parquet sample
 * (shared/reference/securitylake_other_sources.schemas.txt), plus the table's partitions.
 *
 * v2 (OCSF 1.1.0, Iceberg): the same record under the 1.1 names. What 1.1 changed for this class
 * (schema.ocsf.io 1.1.0 network_activity): `cloud.account_uid` became `cloud.account.uid`, epoch
 * times gained `_dt` timestamps (Security Lake's v2 tables keep `time` and the `_dt` forms, as its
 * EKS v2 sample does), `action`/`action_id` were added beside `disposition`. Not checked against a
 * live v2 Glue table: a column it lacks fails in Athena by name (COLUMN_NOT_FOUND), never silently.
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

const flowColumns: Column[] = [
  endpoint('src_endpoint'),
  endpoint('dst_endpoint'),
  struct('connection_info', [
    typed('protocol_num', 'int'),
    typed('tcp_flags', 'int'),
    str('protocol_ver'),
    typed('boundary_id', 'int'),
    str('boundary'),
    typed('direction_id', 'int'),
    str('direction'),
  ]),
  struct('traffic', [typed('packets', 'bigint'), typed('bytes', 'bigint')]),
  str('status_code'),
];

const table = (version: 1 | 2) =>
  classTable(version, {
    cloud: [str('zone')],
    columns: [
      ...flowColumns,
      ...(version === 2
        ? [typed('start_time_dt', 'timestamp'), typed('end_time_dt', 'timestamp')]
        : [typed('start_time', 'bigint'), typed('end_time', 'bigint')]),
    ],
  });

export const vpcFlowV1Table = table(1);
export const vpcFlowTable = table(2);

/** OCSF 1.1 name ← where the rc.2 VPC Flow record keeps it (see security-lake/rc2-fields.ts). */
export const VPC_FLOW_RC2: readonly Rc2Field[] = [
  ACCOUNT_RC2,
  { v11: 'start_time_dt', rc2: 'start_time', convert: 'epoch-ms' },
  { v11: 'end_time_dt', rc2: 'end_time', convert: 'epoch-ms' },
];
