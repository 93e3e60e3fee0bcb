import { defineSource } from '../source.js';
import { cloudtrailAthena } from './athena.js';
import { AWS_CLOUDTRAIL } from './fields.js';
import { cloudtrailLake } from './lake.js';

/** AWS CloudTrail (sourcetype aws:cloudtrail): the Athena CloudTrail table, or its local copy. */
export const cloudtrail = defineSource({
  name: 'cloudtrail',
  sourcetypes: [AWS_CLOUDTRAIL],
  lake: cloudtrailLake,
  athena: cloudtrailAthena,
});
