import { securityLakeAthenaOf } from '../security-lake/athena.js';

/**
 * Security Lake's EKS audit tables in Athena: `sources.security_lake_eks_audit`, named
 * amazon_security_lake_table_<region>_eks_audit_2_0 and pruned as the CloudTrail table. Source
 * version 2 only: `version: 1` is refused.
 */
export const eksAuditAthena = securityLakeAthenaOf(
  'security_lake_eks_audit',
  'aws:cloudwatchlogs:eks',
  'eks_audit',
  null,
);
