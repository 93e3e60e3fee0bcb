import { ocsfSourcetype } from '../security-lake-class/define.js';
import type { SourceDef } from '../sourcetype.js';
import { rc2Aliases } from '../security-lake/rc2-fields.js';
import { ASFF_ON_OCSF } from './asff-names.js';
import { SH_RC2_FIELDS } from './rc2-fields.js';
import { securityHubTable } from './table.js';
import { securityHubV1Table } from './table-v1.js';

/**
 * Security Hub findings (sourcetype aws:securityhub:finding, the Splunk Add-on for AWS's) in
 * Security Lake's findings table: the content's ASFF names find their values in the OCSF
 * columns through ASFF_ON_OCSF, and the add-on's search-time fields are written over them.
 * The add-on's CIM (Alerts) fields: `dest` the finding's resources, `vendor_account` /
 * `vendor_region` the finding's account and region, `severity` its label in lower case.
 */
export const AWS_SECURITYHUB_FINDING: SourceDef = ocsfSourcetype({
  sourcetype: 'aws:securityhub:finding',
  description: 'AWS Security Hub findings in the Security Lake findings table (OCSF 1.1)',
  schema: securityHubTable,
  // a finding is updated in place: its id and update time name one version of it
  rawIdentity: 'Id . "|" . _time',
  derived: {
    dest: "'Resources{}.Id'",
    vendor_account: 'AwsAccountId',
    vendor_region: 'Region',
    severity: "lower('Severity.Label')",
    signature: 'Title',
  },
  rawNames: ASFF_ON_OCSF,
});

/** The same on a source version 1 table (OCSF 1.0.0-rc.2 Security Finding), through its aliases. */
export const AWS_SECURITYHUB_FINDING_V1: SourceDef = {
  ...AWS_SECURITYHUB_FINDING,
  description: 'AWS Security Hub findings in the Security Lake findings table, source version 1 (OCSF 1.0.0-rc.2)',
  schema: securityHubV1Table,
  // the field table converts the array whole at import; content reads its elements (`Types{}`)
  aliases: { ...rc2Aliases(SH_RC2_FIELDS), 'finding_info.types{}': 'finding.types{}' },
};
