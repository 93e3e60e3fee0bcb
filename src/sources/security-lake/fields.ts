import { AWS_CLOUDTRAIL } from '../cloudtrail/fields.js';
import type { SourceDef } from '../source.js';
import { CLOUDTRAIL_ON_OCSF } from './cloudtrail-names.js';
import { rc2Aliases } from './rc2-fields.js';
import { securityLakeV1Table } from './table-v1.js';
import { securityLakeTable } from './table-v2.js';

/** Amazon Security Lake (OCSF 1.1, source version 2), sourcetype aws:asl: OCSF dotted names. */
export const AWS_ASL: SourceDef = {
  sourcetype: 'aws:asl',
  description: 'Amazon Security Lake CloudTrail management events (OCSF 1.1)',
  schema: securityLakeTable,
  naming: 'column',
  time: { kind: 'epoch-ms', column: 'time' },
  raw: 'not available: Security Lake keeps no raw event text',
  rawIdentity: "'metadata.uid'",
  derived: {},
};

/**
 * A Security Lake source version 1 table (OCSF 1.0.0-rc.2) under the same sourcetype: its own
 * columns, read under the OCSF 1.1 names ESCU's content uses where rc.2 has the same value.
 * Chosen by configuration (`sources.security_lake.version: 1`), never by the search.
 */
export const AWS_ASL_V1: SourceDef = {
  ...AWS_ASL,
  description: 'Amazon Security Lake CloudTrail management events, source version 1 (OCSF 1.0.0-rc.2)',
  schema: securityLakeV1Table,
  aliases: rc2Aliases(),
};

/**
 * The CloudTrail detections (sourcetype aws:cloudtrail, the add-on's field names) on Security
 * Lake's CloudTrail table: the add-on's search-time fields as on raw CloudTrail, over CloudTrail's
 * raw names, which find their values in the OCSF columns through CLOUDTRAIL_ON_OCSF. Chosen by
 * configuration or `--source security_lake`, never by the search.
 */
export const AWS_CLOUDTRAIL_ON_ASL: SourceDef = {
  ...AWS_CLOUDTRAIL,
  description: 'AWS CloudTrail events in the Security Lake CloudTrail table (OCSF 1.1)',
  schema: AWS_ASL.schema,
  naming: AWS_ASL.naming,
  time: AWS_ASL.time,
  raw: AWS_ASL.raw,
  rawNames: CLOUDTRAIL_ON_OCSF,
};

/** The same on a Security Lake source version 1 table: its rc.2 columns under the OCSF 1.1 names. */
export const AWS_CLOUDTRAIL_ON_ASL_V1: SourceDef = {
  ...AWS_CLOUDTRAIL_ON_ASL,
  description: 'AWS CloudTrail events in the Security Lake CloudTrail table, source version 1 (OCSF 1.0.0-rc.2)',
  schema: AWS_ASL_V1.schema,
  aliases: rc2Aliases(),
};
