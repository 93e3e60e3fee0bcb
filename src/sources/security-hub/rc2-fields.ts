import type { Rc2Field } from '../security-lake/rc2-fields.js';

/**
 * OCSF 1.1 Detection / Compliance Finding (Security Lake source version 2) ← OCSF 1.0.0-rc.2
 * Security Finding 2001 (source version 1): where an rc.2 finding keeps what the 1.1 name
 * means, as data. The local lake's import converts rc.2 records to the 1.1 columns from it,
 * and the Athena v1 table is read through aliases derived from it (rc2Aliases), as for the
 * CloudTrail table (security-lake/rc2-fields.ts). rc.2 names from the real rc.2 Parquet sample
 * (shared/reference); 1.1 names from schema.ocsf.io 1.1.0: rc.2's `finding` object became
 * `finding_info` with `_dt` timestamps, `state` became `status`, `confidence` `confidence_score`,
 * a resource's `details` (JSON text) became `data`.
 */
export const SH_RC2_FIELDS: readonly Rc2Field[] = [
  { v11: 'finding_info.uid', rc2: 'finding.uid' },
  { v11: 'finding_info.title', rc2: 'finding.title' },
  { v11: 'finding_info.desc', rc2: 'finding.desc' },
  { v11: 'finding_info.types', rc2: 'finding.types' },
  { v11: 'finding_info.src_url', rc2: 'finding.src_url' },
  { v11: 'finding_info.created_time_dt', rc2: 'finding.created_time', convert: 'epoch-ms' },
  { v11: 'finding_info.modified_time_dt', rc2: 'finding.modified_time', convert: 'epoch-ms' },
  { v11: 'finding_info.first_seen_time_dt', rc2: 'finding.first_seen_time', convert: 'epoch-ms' },
  { v11: 'finding_info.last_seen_time_dt', rc2: 'finding.last_seen_time', convert: 'epoch-ms' },
  { v11: 'remediation.desc', rc2: 'finding.remediation.desc' },
  { v11: 'remediation.references', rc2: 'finding.remediation.kb_articles' },
  { v11: 'cloud.account.uid', rc2: 'cloud.account_uid' },
  { v11: 'resources{}.data', rc2: 'resources{}.details' },
  { v11: 'status', rc2: 'state' },
  { v11: 'confidence_score', rc2: 'confidence' },
];
