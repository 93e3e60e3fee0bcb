import { raw } from '../import-sql.js';
import { lakeTable } from '../source.js';
import { cloudtrailTable } from './table.js';

const time = raw('hunt_ct_time');

/**
 * CloudTrail in the local lake: region=/year=/month=/day=, as the Athena table's manual
 * partitioning. A record is a CloudTrail event when it has eventTime and eventName; its key is
 * its eventID.
 */
export const cloudtrailLake = lakeTable({
  id: 'cloudtrail',
  format: 'cloudtrail',
  label: 'CloudTrail',
  title: 'cloudtrail',
  view: 'cloudtrail',
  dir: 'cloudtrail',
  schema: cloudtrailTable,
  partitionRules: [{ kind: 'day-range', columns: ['year', 'month', 'day'], format: 'yyyyMMdd' }],
  naming: 'json',
  import: {
    needs: 'a CloudTrail event (eventTime, eventName)',
    recognise: `(${raw('eventTime')} IS NOT NULL AND ${raw('eventName')} IS NOT NULL)`,
    derived: [
      { name: 'hunt_ct_tz', expr: `TRY_CAST(${raw('eventTime')} AS TIMESTAMPTZ)` },
      { name: 'hunt_ct_time', expr: `hunt_finite(${raw('hunt_ct_tz')})` },
    ],
    problem: `CASE WHEN ${time} IS NULL THEN 'eventTime ' || hunt_describe(${raw('eventTime')}) || ' is not an ISO 8601 time' END`,
    partitions: [raw('awsRegion'), `strftime(${time}, '%Y')`, `strftime(${time}, '%m')`, `strftime(${time}, '%d')`],
    naturalKey: `nullif(${raw('eventID')}, '')`,
    metaKeys: ['eventTime', 'eventName', 'awsRegion', 'eventID'],
  },
});
