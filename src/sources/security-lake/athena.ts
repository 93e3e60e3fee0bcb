import { securityLakeAthenaOf } from '../security-lake-class/athena.js';
import { AWS_ASL_V1 } from './fields.js';

/**
 * Security Lake's CloudTrail management tables in Athena: `sources.security_lake` of
 * config/hunt.yaml, named and pruned as every Security Lake table (security-lake-class/athena.ts):
 * `..._cloud_trail_mgmt_<2_0|1_0>`. Source version 2 (OCSF 1.1, Iceberg, pruned on time_dt) is
 * the sourcetype's own table; version 1 (OCSF 1.0.0-rc.2, Hive partition `eventday`) is a second
 * table version of the same sourcetype, read through aliases (AWS_ASL_V1). The data-event tables
 * (data-events.ts) read theirs through the same definition.
 */
export const securityLakeAthena = securityLakeAthenaOf({
  configKey: 'security_lake',
  stem: 'cloud_trail_mgmt',
  sourcetypes: [{ sourcetype: 'aws:asl', v1: AWS_ASL_V1 }],
});
