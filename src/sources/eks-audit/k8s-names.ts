import type { RawNameMap } from '../sourcetype.js';

/**
 * The Kubernetes audit event's names (audit.k8s.io/v1 Event), as the Splunk Add-on for AWS
 * indexes EKS control plane logs from CloudWatch Logs (sourcetype aws:cloudwatchlogs:eks: the
 * event's JSON, arrays as `{}`), on Security Lake's EKS audit table (OCSF 1.1 API Activity):
 * where the mapping put each value, as SPL eval text over the table's OCSF names (column names
 * from the real 1.1.0 EKS Parquet sample).
 */
export const K8S_AUDIT_ON_OCSF: RawNameMap = {
  of: 'Kubernetes audit',
  fields: {
    auditID: "'api.request.uid'",
    verb: "'api.operation'",
    requestURI: "'http_request.url.path'",
    userAgent: "'http_request.user_agent'",
    level: "'metadata.log_level'",
    'user.username': "'actor.user.name'",
    'user.uid': "'actor.user.uid'",
    'user.groups{}': "'actor.user.groups{}'",
    // the first address is the client's (src_endpoint.ip), the rest the proxies it came through
    'sourceIPs{}': "mvappend('src_endpoint.ip', 'src_endpoint.intermediate_ips{}')",
    'objectRef.resource': "mvindex('resources{}.type', 0)",
    'objectRef.name': "mvindex('resources{}.name', 0)",
    'objectRef.namespace': "mvindex('resources{}.namespace', 0)",
    'objectRef.uid': "mvindex('resources{}.uid', 0)",
    'objectRef.apiVersion': "mvindex('resources{}.version', 0)",
    'objectRef.apiGroup': "'api.group.name'",
    'responseStatus.code': "'api.response.code'",
    'responseStatus.reason': "'api.response.error'",
    'responseStatus.message': "coalesce('api.response.message', 'api.response.error_message')",
  },
  json: {},
  missing: {
    _raw: 'Security Lake keeps no raw event text',
    // the add-on's `source` is the CloudWatch Logs group (/aws/eks/<cluster>/cluster): the
    // record Security Lake writes names no log group and no cluster
    source: "Security Lake's EKS audit records name no CloudWatch log group and no cluster",
    stage: 'Security Lake keeps no audit stage column (its records are the completed requests)',
    'annotations.authorization.k8s.io/decision': 'Security Lake keeps no audit annotations column',
  },
};
