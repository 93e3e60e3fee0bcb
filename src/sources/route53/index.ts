import { ACCOUNT_RC2, classTable } from '../security-lake-class/columns.js';
import { identityOf, ocsfSourcetype, securityLakeClassSource } from '../security-lake-class/define.js';
import { str, struct, typed } from '../table-schema.js';

/**
 * Security Lake's Route 53 resolver query log tables (OCSF DNS Activity, class 4003). v1: the
 * columns of AWS's real rc.2 Route 53 Parquet sample (shared/reference); v2: the same under the
 * OCSF 1.1 names (`cloud.account.uid`, `time_dt`, `action`/`action_id`, bigint type_uid), not
 * checked against a live v2 Glue table (a missing column fails in Athena by name).
 */
const table = (version: 1 | 2) =>
  classTable(version, {
    columns: [
      struct('src_endpoint', [str('vpc_uid'), str('ip'), typed('port', 'int'), str('instance_uid')]),
      struct('query', [str('hostname'), str('type'), str('class')]),
      {
        name: 'answers',
        type: { kind: 'array', element: { kind: 'struct', fields: [str('type'), str('rdata'), str('class')] } },
      },
      struct('connection_info', [str('protocol_name'), str('direction'), typed('direction_id', 'int')]),
      struct('dst_endpoint', [str('instance_uid'), str('interface_uid')]),
      typed('rcode_id', 'int'),
      str('rcode'),
    ],
  });

/** Route 53 resolver queries under their OCSF names: no ESCU content names them, so hunt's own sourcetype. */
export const AWS_ASL_ROUTE53 = ocsfSourcetype({
  sourcetype: 'aws:asl:route53',
  description: 'Amazon Security Lake Route 53 resolver query logs (OCSF 1.1 DNS Activity)',
  schema: table(2),
  // a query carries no id: who asked what, and when
  rawIdentity: identityOf(["'src_endpoint.ip'", "'src_endpoint.port'", "'query.hostname'", "'query.type'", "'time'"]),
});

/** Route 53 (sourcetype aws:asl:route53); configuration: `sources.security_lake_route53`. */
export const route53 = securityLakeClassSource({
  name: 'route53',
  id: 'route53',
  title: 'route 53',
  stem: 'route53',
  folder: 'ROUTE53',
  classUids: [4003],
  product: { contains: 'route' },
  v2: table(2),
  v1: { schema: table(1), rc2: [ACCOUNT_RC2] },
  configKey: 'security_lake_route53',
  sourcetypes: [AWS_ASL_ROUTE53],
});
