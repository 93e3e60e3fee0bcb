import { field, raw } from '../import-sql.js';
import { securityLakeClassSource } from '../security-lake-class/define.js';
import { AWS_CLOUDWATCHLOGS_EKS } from './fields.js';
import { eksAuditTable } from './table.js';

/**
 * Amazon EKS audit logs from Security Lake (eks_audit, source version 2 only: OCSF 1.1 API
 * Activity 6003 whose product is EKS; CloudTrail's API Activity is the CloudTrail table's),
 * searched as the Splunk add-on's sourcetype aws:cloudwatchlogs:eks. Configuration:
 * `sources.security_lake_eks_audit`; `version: 1` is refused. Key: metadata.uid, else the audit
 * id with the event time (a request's stages share its audit id).
 */
export const eksAudit = securityLakeClassSource({
  name: 'eks-audit',
  id: 'eksAudit',
  title: 'eks audit',
  stem: 'eks_audit',
  folder: 'EKS_AUDIT',
  classUids: [6003],
  product: { oneOf: ['amazon eks', 'eks'] },
  keyFallback: field(raw('api'), 'request', 'uid'),
  keyKeys: ['api'],
  v2: eksAuditTable,
  v1: null,
  configKey: 'security_lake_eks_audit',
  sourcetypes: [AWS_CLOUDWATCHLOGS_EKS],
});
