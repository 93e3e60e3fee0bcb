import {
  CLASS_TABLE_DEFAULT,
  type ClassTableConfig,
  classTableSchema,
  classTables,
} from '../security-lake-class/athena.js';
import type { TableBinding } from '../storage.js';
import { athenaSource } from '../source.js';
import { AWS_ASL_V1 } from './fields.js';

/**
 * Security Lake's CloudTrail management tables in Athena: `sources.security_lake` of
 * config/hunt.yaml. Names follow Security Lake's own (AWS_FACTS.md), as for its other tables
 * (security-lake-class/athena.ts): `..._cloud_trail_mgmt_<2_0|1_0>`. Source version 2 (OCSF 1.1,
 * Iceberg, pruned on time_dt) is the sourcetype's own table; version 1 (OCSF 1.0.0-rc.2, Hive
 * partition `eventday`) is a second table version of the same sourcetype, read through aliases.
 */
export type SecurityLakeSource = ClassTableConfig;

export const SECURITY_LAKE_DEFAULT: SecurityLakeSource = CLASS_TABLE_DEFAULT;

/** Configured regions → one branch per distinct table, pruned on time, region and accounts. Pure. */
export function securityLakeBinding(sl: SecurityLakeSource): TableBinding {
  const tables = classTables('cloud_trail_mgmt', sl);
  return sl.version === 2 ? { tables } : { tables, source: AWS_ASL_V1 };
}

export const securityLakeAthena = athenaSource({
  configKey: 'security_lake',
  sourcetype: 'aws:asl',
  schema: classTableSchema,
  defaults: SECURITY_LAKE_DEFAULT,
  binding: securityLakeBinding,
});
