import { ocsfClassColumns } from '../security-lake-class/columns.js';
import { arrayOf, str, struct, typed, type TableSchema } from '../table-schema.js';

/**
 * Security Lake source version 1 CloudTrail management table (OCSF 1.0.0-rc.2), after the OCSF
 * project's rc.2 CloudTrail mappings (ocsf/examples, mappings/markdown/AWS/v1.0.0-rc.2): the
 * columns those mappings fill, plus Security Lake's own `accountid`, `region` and the string
 * partition `eventday` ('YYYYMMDD'). Not checked against a live v1 Glue table: a column the
 * table lacks fails in Athena by name (COLUMN_NOT_FOUND), it is never read silently.
 *
 * What rc.2 does not have at all (OCSF 1.1 added it): `time_dt`, `api.request.data` /
 * `api.response.data` (request parameters and response elements go to `unmapped`, as JSON text
 * under `requestParameters` / `responseElements` and flattened), `observables`. Where rc.2 keeps
 * a 1.1 value under another name is rc2-fields.ts, which both the aliases and the import read.
 */
export const securityLakeV1Table: TableSchema = {
  partitions: ['region', 'accountid', 'eventday'],
  columns: [
    struct('metadata', [
      struct('product', [str('version'), str('name'), str('vendor_name'), struct('feature', [str('name')])]),
      str('uid'),
      arrayOf('profiles', { kind: 'string' }),
      str('version'),
    ]),
    typed('time', 'bigint'),
    // the record's account: rc.2 Parquet has it here (shared/reference, Route 53 / VPC Flow / Security Hub)
    struct('cloud', [str('account_uid'), str('region'), str('provider')]),
    struct('api', [
      struct('response', [str('error'), str('message')]),
      str('operation'),
      str('version'),
      struct('service', [str('name')]),
      struct('request', [str('uid')]),
    ]),
    struct('dst_endpoint', [str('svc_name')]),
    struct('actor', [
      struct('user', [
        str('type'),
        str('name'),
        // rc.2: uid is the principal id and uuid the ARN (1.1: uid is the ARN, uid_alt the principal id)
        str('uid'),
        str('uuid'),
        str('account_uid'),
        str('credential_uid'),
      ]),
      struct('session', [typed('created_time', 'bigint'), typed('mfa', 'boolean'), str('issuer')]),
      str('invoked_by'),
      struct('idp', [str('name')]),
    ]),
    struct('http_request', [str('user_agent')]),
    struct('src_endpoint', [str('uid'), str('ip'), str('domain')]),
    // Authentication's target user: uid the principal id, uuid the ARN (as actor.user);
    // mfa is additionalEventData.MFAUsed (rc.2 Authentication dossier)
    struct('user', [str('uid'), str('uuid'), str('name')]),
    typed('mfa', 'boolean'),
    arrayOf('resources', { kind: 'struct', fields: [str('uid'), str('account_uid'), str('type')] }),
    ...ocsfClassColumns(),
    str('status'),
    typed('status_id', 'int'),
    { name: 'unmapped', type: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } } },
    str('accountid'),
    str('region'),
    str('eventday'),
  ],
};
