import { defineSource } from '../source.js';
import { eksAuditAthena } from './athena.js';
import { AWS_CLOUDWATCHLOGS_EKS } from './fields.js';
import { eksAuditLake } from './lake.js';

/**
 * Amazon EKS audit logs from Security Lake (eks_audit, source version 2: OCSF 1.1 API
 * Activity), searched as the Splunk add-on's sourcetype aws:cloudwatchlogs:eks.
 */
export const eksAudit = defineSource({
  name: 'eks-audit',
  sourcetypes: [AWS_CLOUDWATCHLOGS_EKS],
  lake: eksAuditLake,
  athena: eksAuditAthena,
});
