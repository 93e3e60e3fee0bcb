import { ocsfSourcetype } from '../security-lake-class/define.js';
import type { SourceDef } from '../sourcetype.js';
import { K8S_AUDIT_ON_OCSF } from './k8s-names.js';
import { eksAuditTable } from './table.js';

/**
 * EKS audit logs (sourcetype aws:cloudwatchlogs:eks, the Splunk Add-on for AWS's) in Security
 * Lake's EKS audit table: the content's Kubernetes audit names find their values in the OCSF
 * columns through K8S_AUDIT_ON_OCSF. The add-on defines no search-time fields the content reads.
 */
export const AWS_CLOUDWATCHLOGS_EKS: SourceDef = ocsfSourcetype({
  sourcetype: 'aws:cloudwatchlogs:eks',
  description: 'Amazon EKS audit logs in the Security Lake EKS audit table (OCSF 1.1)',
  schema: eksAuditTable,
  rawIdentity: 'auditID . "|" . _time',
  rawNames: K8S_AUDIT_ON_OCSF,
});
