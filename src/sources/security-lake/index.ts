import { defineSource } from '../source.js';
import { securityLakeAthena } from './athena.js';
import { AWS_ASL } from './fields.js';
import { securityLakeLake } from './lake.js';

/**
 * Amazon Security Lake CloudTrail management events (sourcetype aws:asl). One source with two
 * table versions: v2 (OCSF 1.1) is the sourcetype's schema and the local lake's table; v1
 * (OCSF 1.0.0-rc.2) is chosen by configuration and read through aliases (athena.ts).
 */
export const securityLake = defineSource({
  name: 'security-lake',
  sourcetypes: [AWS_ASL],
  lake: securityLakeLake,
  athena: securityLakeAthena,
});
