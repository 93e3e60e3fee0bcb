import { field, raw } from '../import-sql.js';
import { lakeTable } from '../source.js';
import { securityLakeTable } from './table-v2.js';

const timeMs = `hunt_epoch_ms(TRY_CAST(${raw('time')} AS BIGINT))`;
const derivedTimeMs = raw('hunt_sl_time_ms');
// time_dt is the record's own (offset-bearing) time when it parses, else derived from `time`.
const timeDt = `coalesce(hunt_ts(${raw('time_dt')}), ${timeMs})`;
const accountid = `coalesce(${raw('accountid')}, ${field(raw('cloud'), 'account', 'uid')}, ${field(raw('actor'), 'user', 'account', 'uid')}, ${raw('unmapped')}['recipientAccountId'])`;
const region = `coalesce(${raw('region')}, ${field(raw('cloud'), 'region')})`;

/**
 * Security Lake (v2, OCSF 1.1) in the local lake: the same data Hive-style as
 * region=/accountid=/time_dt_day=YYYY-MM-DD/ (Iceberg's own naming of the day transform), since
 * DuckDB has no Iceberg metadata to prune with. A record is OCSF when it has class_uid and time;
 * its key is metadata.uid.
 */
export const securityLakeLake = lakeTable({
  id: 'securityLake',
  format: 'ocsf',
  label: 'OCSF',
  title: 'security lake',
  view: 'security_lake_cloud_trail_mgmt_2_0',
  dir: 'security_lake/cloud_trail_mgmt_2_0',
  schema: securityLakeTable,
  partitionRules: [{ kind: 'day-range', columns: ['time_dt_day'], format: 'yyyy-MM-dd' }],
  naming: 'column',
  import: {
    needs: 'an OCSF record (class_uid, time)',
    recognise: `(${raw('class_uid')} IS NOT NULL AND ${raw('time')} IS NOT NULL)`,
    derived: [{ name: 'hunt_sl_time_ms', expr: timeMs }],
    problem: `CASE WHEN ${derivedTimeMs} IS NULL THEN 'time ' || hunt_describe(${raw('time')}) || ' is not epoch milliseconds' END`,
    columns: { time_dt: timeDt },
    partitions: [region, accountid, `strftime(coalesce(hunt_ts(${raw('time_dt')}), ${derivedTimeMs}), '%Y-%m-%d')`],
    naturalKey: `nullif(${field(raw('metadata'), 'uid')}, '')`,
    metaKeys: ['class_uid', 'time', 'time_dt', 'region', 'accountid', 'cloud', 'actor', 'unmapped', 'metadata'],
    // Security Lake's accountid falls back to cloud.account.uid, which the table has no column for
    extraRaw: [
      {
        name: 'cloud',
        type: {
          kind: 'struct',
          fields: [{ name: 'account', type: { kind: 'struct', fields: [{ name: 'uid', type: { kind: 'string' } }] } }],
        },
      },
    ],
  },
});
