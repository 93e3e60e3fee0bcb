import { ocsfClassColumns } from '../security-lake-class/columns.js';
import { arrayOf, str, struct, typed, type TableSchema } from '../table-schema.js';

/**
 * Security Lake source version 1 Security Hub findings table (`sh_findings_1_0`, OCSF
 * 1.0.0-rc.2 Security Finding 2001), after the real rc.2 Parquet sample's columns
 * (shared/reference/securitylake_other_sources.schemas.txt, 1.0.0-rc.2_sh_findings), the ones
 * the 1.1 table or the add-on's names read, plus Security Lake's `accountid`, `region` and the
 * string partition `eventday`. Where rc.2 keeps a 1.1 value under another name is rc2-fields.ts.
 */
export const securityHubV1Table: TableSchema = {
  partitions: ['region', 'accountid', 'eventday'],
  columns: [
    struct('metadata', [
      struct('product', [
        str('version'),
        struct('feature', [str('uid'), str('name')]),
        str('uid'),
        str('vendor_name'),
        str('name'),
      ]),
      arrayOf('profiles', { kind: 'string' }),
      str('version'),
    ]),
    typed('time', 'bigint'),
    typed('confidence', 'int'),
    struct('cloud', [str('account_uid'), str('region'), str('provider')]),
    arrayOf('resources', {
      kind: 'struct',
      fields: [str('type'), str('uid'), str('cloud_partition'), str('region'), str('details')],
    }),
    struct('finding', [
      typed('created_time', 'bigint'),
      str('uid'),
      str('desc'),
      str('title'),
      typed('modified_time', 'bigint'),
      typed('first_seen_time', 'bigint'),
      typed('last_seen_time', 'bigint'),
      arrayOf('types', { kind: 'string' }),
      struct('remediation', [str('desc'), arrayOf('kb_articles', { kind: 'string' })]),
      str('src_url'),
    ]),
    struct('compliance', [str('status'), arrayOf('requirements', { kind: 'string' }), str('status_detail')]),
    ...ocsfClassColumns('int'),
    typed('state_id', 'int'),
    str('state'),
    { name: 'unmapped', type: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } } },
    str('accountid'),
    str('region'),
    str('eventday'),
  ],
};
