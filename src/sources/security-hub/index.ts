import { defineSource } from '../source.js';
import { securityHubAthena } from './athena.js';
import { AWS_SECURITYHUB_FINDING } from './fields.js';
import { securityHubLake } from './lake.js';

/**
 * AWS Security Hub findings from Security Lake (sh_findings): v2 OCSF 1.1 Detection /
 * Compliance / Vulnerability Finding, v1 OCSF 1.0.0-rc.2 Security Finding, searched as the
 * Splunk add-on's sourcetype aws:securityhub:finding.
 */
export const securityHub = defineSource({
  name: 'security-hub',
  sourcetypes: [AWS_SECURITYHUB_FINDING],
  lake: securityHubLake,
  athena: securityHubAthena,
});
