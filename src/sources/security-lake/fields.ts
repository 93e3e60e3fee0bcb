import type { SourceDef } from '../source.js';
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
