import type { RawNameMap } from '../sourcetype.js';

/**
 * Security Hub's ASFF names, as the Splunk Add-on for AWS indexes a finding
 * (sourcetype aws:securityhub:finding: the finding's JSON, arrays as `{}`), on Security Lake's
 * findings table (OCSF 1.1): where Security Lake's mapping put each value, as SPL eval text
 * over the table's OCSF names. After the ASFF reference (AWS Security Hub API, AwsSecurityFinding)
 * and OCSF 1.1's finding classes; Security Lake fills `time` from the finding's UpdatedAt.
 */
const FINDING: Record<string, string> = {
  Id: "'finding_info.uid'",
  Title: "'finding_info.title'",
  Description: "'finding_info.desc'",
  'Types{}': "'finding_info.types{}'",
  SourceUrl: "'finding_info.src_url'",
  AwsAccountId: "'cloud.account.uid'",
  Region: "'cloud.region'",
  ProductArn: "'metadata.product.uid'",
  ProductName: "'metadata.product.name'",
  CompanyName: "'metadata.product.vendor_name'",
  // OCSF's caption (High) is ASFF's label (HIGH) in another case
  'Severity.Label': "upper('severity')",
  'Compliance.Status': "'compliance.status'",
  // OCSF's status caption (New, Notified, Suppressed, Resolved) is ASFF's workflow status
  'Workflow.Status': `upper(replace('status', " ", ""))`,
  'Remediation.Recommendation.Text': "'remediation.desc'",
  'Resources{}.Type': "'resources{}.type'",
  'Resources{}.Id': "'resources{}.uid'",
  'Resources{}.Region': "'resources{}.region'",
  'Resources{}.Partition': "'resources{}.cloud_partition'",
};

const MISSING: Record<string, string> = {
  'Severity.Normalized': 'OCSF keeps the severity caption and id, not the 0-100 normalized score',
  'Severity.Original': "OCSF keeps the severity caption and id, not the product's own severity text",
  RecordState: 'Security Lake keeps no record state (ACTIVE / ARCHIVED) in an OCSF column',
  GeneratorId: 'the OCSF 1.1 finding classes Security Lake fills have no column for the generator',
  'Resources{}.Details': "a resource's details are JSON text in resources{}.data: read them with spath",
};

/**
 * Each name also under `findings{}.`: older add-on inputs index the EventBridge event's
 * `detail`, whose `findings` array holds the finding (ESCU's user spike detection reads
 * `findings{}.Resources{}.Type`). Security Lake has one finding per record, so both read the same.
 */
const withEnvelope = (names: Record<string, string>): Record<string, string> => {
  const out: Record<string, string> = { ...names };
  for (const [name, value] of Object.entries(names)) out[`findings{}.${name}`] = value;
  return out;
};

export const ASFF_ON_OCSF: RawNameMap = {
  of: 'Security Hub (ASFF)',
  fields: withEnvelope(FINDING),
  json: {},
  missing: { _raw: 'Security Lake keeps no raw event text', ...withEnvelope(MISSING) },
};
