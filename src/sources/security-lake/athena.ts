import {
  CLASS_TABLE_DEFAULT,
  type ClassTableConfig,
  classTableSchemaFor,
  classTables,
} from '../security-lake-class/athena.js';
import type { SourceDef } from '../sourcetype.js';
import type { TableBinding } from '../storage.js';
import { type AthenaSourceDef, athenaSource } from '../source.js';
import { AWS_ASL_V1 } from './fields.js';

/**
 * Security Lake's CloudTrail tables in Athena: `sources.security_lake` of config/hunt.yaml (and
 * the data-event tables' keys). Names follow Security Lake's own (AWS_FACTS.md), as for its
 * other tables (security-lake-class/athena.ts): `..._<kind>_<2_0|1_0>`. Source version 2 (OCSF
 * 1.1, Iceberg, pruned on time_dt) is the sourcetype's own table; version 1 (OCSF 1.0.0-rc.2,
 * Hive partition `eventday`) is a second table version of the same sourcetype, read through aliases.
 */
export type SecurityLakeSource = ClassTableConfig;

export const SECURITY_LAKE_DEFAULT: SecurityLakeSource = CLASS_TABLE_DEFAULT;

/**
 * Security Lake's tables (AWS_FACTS.md), by the source's part of the name: CloudTrail management
 * events, S3 and Lambda data events, Security Hub findings, EKS audit logs.
 */
export type SecurityLakeTableKind = 'cloud_trail_mgmt' | 's3_data' | 'lambda_execution' | 'sh_findings' | 'eks_audit';

/** Configured regions → one branch per distinct table, pruned on time, region and accounts. Pure. */
export function securityLakeBinding(
  sl: SecurityLakeSource,
  kind: SecurityLakeTableKind = 'cloud_trail_mgmt',
  /** the v1 (OCSF 1.0.0-rc.2) table's source definition: the CloudTrail one unless said */
  v1: SourceDef = AWS_ASL_V1,
): TableBinding {
  const tables = classTables(kind, sl);
  return sl.version === 2 ? { tables } : { tables, source: v1 };
}

/**
 * One Security Lake table kind's Athena part: the same configuration shape for each. `v1`: the
 * source definition of its v1 table (default the CloudTrail one); `null`: Security Lake had no
 * v1 table of it, and `version: 1` is refused.
 */
export function securityLakeAthenaOf(
  configKey: string,
  sourcetype: string,
  kind: SecurityLakeTableKind,
  v1: SourceDef | null = AWS_ASL_V1,
): AthenaSourceDef {
  return athenaSource({
    configKey,
    sourcetype,
    schema: classTableSchemaFor(v1 ? [1, 2] : [2]),
    defaults: SECURITY_LAKE_DEFAULT,
    binding: (sl: SecurityLakeSource) => securityLakeBinding(sl, kind, v1 ?? undefined),
  });
}

export const securityLakeAthena = securityLakeAthenaOf('security_lake', 'aws:asl', 'cloud_trail_mgmt');
