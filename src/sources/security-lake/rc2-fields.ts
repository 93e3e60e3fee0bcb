/**
 * OCSF 1.1 (Security Lake source version 2) ← OCSF 1.0.0-rc.2 (source version 1): the one table,
 * as data, of where an rc.2 CloudTrail record keeps what the 1.1 name means. The Athena v1 source
 * reads its table through aliases derived from it (`rc2Aliases`), and the local lake's import
 * converts rc.2 records to its 1.1 columns from it (rc2-sql.ts).
 *
 * Sources: the OCSF project's rc.2 CloudTrail dossiers (ocsf/examples, mappings/markdown/AWS,
 * "OCSF Version: 1.0.0-rc.2": API Activity, Account Change, Authentication) against the 1.1.0
 * ones; the real rc.2 Parquet schemas in shared/reference/securitylake_other_sources.schemas.txt
 * (`cloud.account_uid`); AWS's Security Lake example queries for the `cloud_trail_mgmt_1_0`
 * table (awslabs/aws-security-analytics-bootstrap, amazon_security_lake_queries_cloudtrail_
 * management.md), which read request parameters as `unmapped['requestParameters']` (JSON text)
 * and `unmapped['requestParameters.userName']` (flattened keys).
 *
 * A path not listed reads the same path in both versions. Paths are SPL field names: `{}`
 * marks an array's elements; a `.key` after `unmapped` is a map key.
 */

export type Rc2Convert =
  /** rc.2 epoch milliseconds → 1.1 `_dt` timestamp */
  | 'epoch-ms'
  /** rc.2 `status_id` → the 1.1 `status` caption (OCSF: 1 Success, 2 Failure, 99 Other, 0 Unknown) */
  | 'status-id';

export interface Rc2Field {
  /** the OCSF 1.1 name (a column of the lake's v2 table, or a name content reads) */
  v11: string;
  /** where rc.2 keeps that value */
  rc2: string;
  /** how the rc.2 value becomes the 1.1 one; none: the same value */
  convert?: Rc2Convert;
}

/**
 * Several entries for one 1.1 name: the first non-NULL wins (in this order). An entry with a
 * conversion is no alias (an alias only renames; see rc2Aliases).
 */
export const RC2_FIELDS: readonly Rc2Field[] = [
  // rc.2: uid is the principal id and uuid the ARN; 1.1: uid is the ARN, uid_alt the principal id
  { v11: 'actor.user.uid', rc2: 'actor.user.uuid' },
  { v11: 'actor.user.uid_alt', rc2: 'actor.user.uid' },
  { v11: 'actor.user.account.uid', rc2: 'actor.user.account_uid' },
  { v11: 'actor.session.is_mfa', rc2: 'actor.session.mfa' },
  { v11: 'actor.session.created_time_dt', rc2: 'actor.session.created_time', convert: 'epoch-ms' },
  // the target user: the same swap as actor.user (Authentication dossier: user.uid principalId,
  // user.uuid roleArn/arn; the Account Change dossier lists user.uid (principalId/userId/roleId)
  // and no ARN, so such a record has uid_alt and no uid)
  { v11: 'user.uid', rc2: 'user.uuid' },
  { v11: 'user.uid_alt', rc2: 'user.uid' },
  // Authentication: additionalEventData.MFAUsed
  { v11: 'is_mfa', rc2: 'mfa' },
  // rc.2 resource_details.account_uid; 1.1 moved it to the owner (v2 Glue schema). Not seen in an
  // rc.2 CloudTrail sample: the rc.2 Security Hub Parquet's resources have no account at all
  { v11: 'resources{}.owner.account.uid', rc2: 'resources{}.account_uid' },
  // rc.2 has no api.request.data / api.response.data: the bodies stay in `unmapped` as JSON text
  { v11: 'api.request.data', rc2: 'unmapped.requestParameters' },
  { v11: 'api.response.data', rc2: 'unmapped.responseElements' },
  // the account of the record; the lake keeps it as the `accountid` partition only
  { v11: 'cloud.account.uid', rc2: 'cloud.account_uid' },
  // rc.2 fills both from errorCode; a record with only the id still says Success/Failure
  { v11: 'status', rc2: 'status' },
  { v11: 'status', rc2: 'status_id', convert: 'status-id' },
];

/** The OCSF status captions by status_id. */
export const STATUS_CAPTIONS: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Success',
  2: 'Failure',
  99: 'Other',
};

/**
 * The planner's aliases for the Athena v1 source (SourceDef.aliases): each 1.1 name → its rc.2
 * name, first entry per name. Left out: entries with a conversion (an alias cannot convert:
 * `actor.session.created_time_dt` stays missing on v1, as it was) and same-name entries.
 */
export function rc2Aliases(fields: readonly Rc2Field[] = RC2_FIELDS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    if (f.convert !== undefined || f.v11 === f.rc2 || f.v11 in out) continue;
    out[f.v11] = f.rc2;
  }
  return out;
}

/** The entries for one 1.1 name, in order. */
export function rc2Sources(v11: string, fields: readonly Rc2Field[] = RC2_FIELDS): Rc2Field[] {
  return fields.filter((f) => f.v11 === v11);
}
