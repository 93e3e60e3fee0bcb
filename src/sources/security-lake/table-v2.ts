import { arrayOf, str, struct, typed, type TableSchema } from '../table-schema.js';

/**
 * Security Lake source version 2 CloudTrail management table (OCSF 1.1.0, Iceberg), after the
 * Glue schema in shared/reference. `api.request.data` / `api.response.data` are JSON text.
 * Iceberg partitions on day(time_dt), region, accountid; the local lake writes the same
 * data Hive-style as region=/accountid=/time_dt_day=YYYY-MM-DD/ (Iceberg's own naming of the
 * day transform), since DuckDB has no Iceberg metadata to prune with.
 */
export const securityLakeTable: TableSchema = {
  partitions: ['region', 'accountid', 'time_dt_day'],
  columns: [
    struct('metadata', [
      struct('product', [str('version'), str('name'), str('vendor_name'), struct('feature', [str('name')])]),
      str('event_code'),
      str('uid'),
      arrayOf('profiles', { kind: 'string' }),
      str('version'),
    ]),
    typed('time', 'bigint'),
    typed('time_dt', 'timestamp'),
    struct('cloud', [str('region'), str('provider')]),
    struct('api', [
      struct('response', [str('error'), str('message'), str('data', { jsonText: true })]),
      str('operation'),
      str('version'),
      struct('service', [str('name')]),
      struct('request', [str('data', { jsonText: true }), str('uid')]),
    ]),
    struct('dst_endpoint', [str('svc_name')]),
    struct('actor', [
      struct('user', [
        str('type'),
        str('name'),
        str('uid_alt'),
        str('uid'),
        struct('account', [str('uid')]),
        str('credential_uid'),
      ]),
      struct('session', [typed('created_time_dt', 'timestamp'), typed('is_mfa', 'boolean'), str('issuer')]),
      str('invoked_by'),
      struct('idp', [str('name')]),
    ]),
    struct('http_request', [str('user_agent')]),
    struct('src_endpoint', [str('uid'), str('ip'), str('domain')]),
    struct('session', [str('uid'), str('uid_alt'), str('credential_uid'), str('issuer')]),
    struct('policy', [str('uid')]),
    arrayOf('resources', {
      kind: 'struct',
      fields: [str('uid'), struct('owner', [struct('account', [str('uid')])]), str('type')],
    }),
    str('class_name'),
    typed('class_uid', 'int'),
    str('category_name'),
    typed('category_uid', 'int'),
    typed('severity_id', 'int'),
    str('severity'),
    struct('user', [str('uid_alt'), str('uid'), str('name')]),
    str('activity_name'),
    typed('activity_id', 'int'),
    typed('type_uid', 'bigint'),
    str('type_name'),
    str('status'),
    typed('is_mfa', 'boolean'),
    { name: 'unmapped', type: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } } },
    str('accountid'),
    str('region'),
    str('asl_version'),
    arrayOf('observables', {
      kind: 'struct',
      fields: [str('name'), str('value'), str('type'), typed('type_id', 'int')],
    }),
  ],
};
