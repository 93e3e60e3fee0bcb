import { ACCOUNT_RC2, classTable } from '../security-lake-class/columns.js';
import { ocsfSourcetype, securityLakeClassSource } from '../security-lake-class/define.js';
import { arrayOf, str, struct, typed } from '../table-schema.js';

/**
 * Security Lake's AWS WAF (v2 web ACL) log tables (OCSF HTTP Activity, class 4002), after the
 * OCSF 1.1.0 http_activity class and the WAF log's fields: client address and country, the
 * request (method, version, URI, query, headers, host, request id), the terminating rule, the
 * action. No rc.2 sample exists here (AWS added WAF to Security Lake with source version 2): the
 * v1 table is the same record under rc.2's account column, as every rc.2 table has it; neither
 * is checked against a live Glue table (a missing column fails in Athena by name).
 */
const table = (version: 1 | 2) =>
  classTable(version, {
    columns: [
      struct('src_endpoint', [str('ip'), typed('port', 'int'), struct('location', [str('country')])]),
      struct('dst_endpoint', [str('uid'), str('svc_name')]),
      struct('http_request', [
        str('http_method'),
        str('version'),
        str('uid'),
        str('user_agent'),
        struct('url', [str('hostname'), str('path'), str('query_string'), str('url_string')]),
        arrayOf('http_headers', { kind: 'struct', fields: [str('name'), str('value')] }),
      ]),
      struct('http_response', [typed('code', 'int')]),
      struct('firewall_rule', [str('uid'), str('type'), str('name')]),
    ],
  });

/** WAF requests under their OCSF names: no ESCU content names them, so hunt's own sourcetype. */
export const AWS_ASL_WAF = ocsfSourcetype({
  sourcetype: 'aws:asl:waf',
  description: 'Amazon Security Lake AWS WAF logs (OCSF 1.1 HTTP Activity)',
  schema: table(2),
  // WAF gives every request an id
  rawIdentity: "coalesce('metadata.uid', 'http_request.uid')",
});

/** AWS WAF (sourcetype aws:asl:waf); configuration: `sources.security_lake_waf`. */
export const waf = securityLakeClassSource({
  name: 'waf',
  id: 'waf',
  title: 'waf',
  stem: 'waf',
  folder: 'WAF',
  classUids: [4002],
  product: { contains: 'waf' },
  v2: table(2),
  v1: { schema: table(1), rc2: [ACCOUNT_RC2] },
  configKey: 'security_lake_waf',
  sourcetypes: [AWS_ASL_WAF],
});
