import { ocsfClassColumns } from '../security-lake-class/columns.js';
import { arrayOf, str, struct, typed, type TableSchema } from '../table-schema.js';

/**
 * Security Lake source version 2 EKS audit table (`eks_audit_2_0`, OCSF 1.1 API Activity 6003
 * from Amazon EKS), after the real 1.1.0 EKS Parquet sample's columns
 * (shared/reference/securitylake_other_sources.schemas.txt, 1.1.0_eks), plus Security Lake's
 * `accountid` and `region` and OCSF's `metadata.uid`. Security Lake collects EKS audit logs
 * from source version 2 on: there is no v1 table. Partitions as the CloudTrail table's.
 */
export const eksAuditTable: TableSchema = {
  partitions: ['region', 'accountid', 'time_dt_day'],
  columns: [
    struct('metadata', [
      str('log_level'),
      str('uid'),
      struct('product', [str('version'), str('vendor_name'), str('name'), struct('feature', [str('name')])]),
      arrayOf('profiles', { kind: 'string' }),
      str('version'),
    ]),
    struct('api', [
      struct('request', [str('uid')]),
      str('operation'),
      str('version'),
      struct('response', [typed('code', 'int'), str('message'), str('error'), str('error_message')]),
      struct('group', [str('name')]),
    ]),
    str('message'),
    struct('http_request', [struct('url', [str('path')]), str('user_agent')]),
    struct('actor', [
      struct('user', [str('name'), str('uid'), arrayOf('groups', { kind: 'string' }), typed('type_id', 'int')]),
      struct('session', [str('credential_uid'), str('issuer'), str('uid')]),
    ]),
    struct('cloud', [struct('account', [str('uid')]), str('region'), str('provider')]),
    struct('src_endpoint', [str('ip'), arrayOf('intermediate_ips', { kind: 'string' })]),
    arrayOf('resources', {
      kind: 'struct',
      fields: [str('namespace'), str('name'), str('uid'), str('version'), str('type')],
    }),
    typed('start_time_dt', 'timestamp'),
    typed('time_dt', 'timestamp'),
    typed('time', 'bigint'),
    ...ocsfClassColumns(),
    { name: 'unmapped', type: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } } },
    str('accountid'),
    str('region'),
  ],
};
