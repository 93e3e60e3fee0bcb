import { securityLakeAthenaOf } from '../security-lake/athena.js';
import { AWS_SECURITYHUB_FINDING_V1 } from './fields.js';

/**
 * Security Lake's Security Hub findings tables in Athena: `sources.security_lake_sh_findings`, named
 * amazon_security_lake_table_<region>_sh_findings_<2_0|1_0> and pruned as the CloudTrail table.
 */
export const securityHubAthena = securityLakeAthenaOf(
  'security_lake_sh_findings',
  'aws:securityhub:finding',
  'sh_findings',
  AWS_SECURITYHUB_FINDING_V1,
);
