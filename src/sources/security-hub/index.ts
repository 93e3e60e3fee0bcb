import { securityLakeClassSource } from '../security-lake-class/define.js';
import { eitherVersion } from '../security-lake/rc2-sql.js';
import { AWS_SECURITYHUB_FINDING, AWS_SECURITYHUB_FINDING_V1 } from './fields.js';
import { SH_RC2_FIELDS } from './rc2-fields.js';
import { securityHubTable } from './table.js';
import { securityHubV1Table } from './table-v1.js';

/**
 * AWS Security Hub findings from Security Lake (sh_findings): v2 OCSF 1.1 Detection /
 * Compliance / Vulnerability Finding (2002-2004), v1 OCSF 1.0.0-rc.2 Security Finding (2001),
 * searched as the Splunk add-on's sourcetype aws:securityhub:finding. Configuration:
 * `sources.security_lake_sh_findings`.
 *
 * A record is one when its class is a finding class: in Security Lake only Security Hub writes
 * findings (its product is the finding's producer, GuardDuty, Inspector, ..., so the product
 * cannot tell). Key: metadata.uid, else the finding's id with its update time (`time`): Security
 * Hub updates a finding in place, and each update is a record of its own.
 */
export const securityHub = securityLakeClassSource({
  name: 'security-hub',
  id: 'securityHub',
  title: 'security hub findings',
  stem: 'sh_findings',
  folder: 'SH_FINDINGS',
  classUids: [2001, 2002, 2003, 2004],
  keyFallback: eitherVersion('finding_info.uid', securityHubV1Table.columns, SH_RC2_FIELDS),
  keyKeys: ['finding_info', 'finding'],
  v2: securityHubTable,
  v1: { schema: securityHubV1Table, rc2: SH_RC2_FIELDS, own: AWS_SECURITYHUB_FINDING_V1 },
  configKey: 'security_lake_sh_findings',
  sourcetypes: [AWS_SECURITYHUB_FINDING],
});
