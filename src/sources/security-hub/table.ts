import { ocsfClassColumns } from '../security-lake-class/columns.js';
import { arrayOf, str, struct, typed, type TableSchema } from '../table-schema.js';

/**
 * Security Lake source version 2 Security Hub findings table (`sh_findings_2_0`, OCSF 1.1:
 * Detection Finding 2004, Compliance Finding 2003, Vulnerability Finding 2002), the columns
 * the OCSF 1.1 finding classes define that Security Lake fills (schema.ocsf.io 1.1.0
 * detection_finding / compliance_finding; the sh_findings_2_0 Glue column list of a public
 * Security Lake content pack). `resources{}.data` is JSON text, as `api.request.data` is on
 * the CloudTrail table. Partitions as the CloudTrail table's (table-v2.ts there).
 */
export const securityHubTable: TableSchema = {
  partitions: ['region', 'accountid', 'time_dt_day'],
  columns: [
    struct('metadata', [
      struct('product', [
        str('version'),
        str('name'),
        str('vendor_name'),
        str('uid'),
        struct('feature', [str('uid'), str('name')]),
      ]),
      str('uid'),
      arrayOf('profiles', { kind: 'string' }),
      str('version'),
    ]),
    typed('time', 'bigint'),
    typed('time_dt', 'timestamp'),
    struct('cloud', [struct('account', [str('uid')]), str('region'), str('provider')]),
    struct('finding_info', [
      str('uid'),
      str('title'),
      str('desc'),
      arrayOf('types', { kind: 'string' }),
      typed('created_time_dt', 'timestamp'),
      typed('modified_time_dt', 'timestamp'),
      typed('first_seen_time_dt', 'timestamp'),
      typed('last_seen_time_dt', 'timestamp'),
      str('src_url'),
    ]),
    struct('compliance', [
      str('control'),
      str('status'),
      arrayOf('standards', { kind: 'string' }),
      arrayOf('requirements', { kind: 'string' }),
    ]),
    struct('remediation', [str('desc'), arrayOf('references', { kind: 'string' })]),
    arrayOf('resources', {
      kind: 'struct',
      fields: [str('type'), str('uid'), str('region'), str('cloud_partition'), str('data', { jsonText: true })],
    }),
    typed('confidence_score', 'int'),
    ...ocsfClassColumns(),
    str('status'),
    { name: 'unmapped', type: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } } },
    str('accountid'),
    str('region'),
  ],
};
