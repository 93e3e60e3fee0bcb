import { field, raw } from '../import-sql.js';
import { lakeTable } from '../source.js';
import { storedOf } from '../stored.js';
import { IS_MANAGEMENT, OTHER_CLASS_PROBLEM } from './classes.js';
import { eitherVersion, rc2ColumnOverrides, rc2RawColumns } from './rc2-sql.js';
import { securityLakeV1Table } from './table-v1.js';
import { securityLakeTable } from './table-v2.js';

const timeMs = `hunt_epoch_ms(TRY_CAST(${raw('time')} AS BIGINT))`;
const derivedTimeMs = raw('hunt_sl_time_ms');
// time_dt is the record's own (offset-bearing) time when it parses, else derived from `time`
// (rc.2 has no time_dt: always derived).
const timeDt = `coalesce(hunt_ts(${raw('time_dt')}), ${timeMs})`;
const rc2 = securityLakeV1Table.columns;
// The record's own partition value, then the input path's (region=/accountId= of Security
// Lake's S3 layout, NULL when unknown), then what the record's data says.
const accountid = `coalesce(${raw('accountid')}, ${raw('hunt_path_account')}, ${eitherVersion('cloud.account.uid', rc2)}, ${eitherVersion('actor.user.account.uid', rc2)}, ${raw('unmapped')}['recipientAccountId'])`;
const region = `coalesce(${raw('region')}, ${raw('hunt_path_region')}, ${field(raw('cloud'), 'region')})`;

/**
 * Security Lake in the local lake: the CloudTrail management table of source version 2 (OCSF
 * 1.1), Hive-style as region=/accountid=/time_dt_day=YYYY-MM-DD/ (Iceberg's own naming of the
 * day transform), since DuckDB has no Iceberg metadata to prune with. A record is OCSF when it
 * has class_uid and time; its key is metadata.uid. Records of source version 1 (OCSF
 * 1.0.0-rc.2, by `metadata.version`) are converted to the 1.1 columns by rc2-fields.ts; OCSF
 * records of other classes or products are recognised but skipped (classes.ts).
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
    unsupported: `CASE WHEN NOT ${IS_MANAGEMENT} THEN ${OTHER_CLASS_PROBLEM} END`,
    columns: { ...rc2ColumnOverrides(storedOf(securityLakeTable), rc2), time_dt: timeDt },
    partitions: [region, accountid, `strftime(coalesce(hunt_ts(${raw('time_dt')}), ${derivedTimeMs}), '%Y-%m-%d')`],
    naturalKey: `nullif(${field(raw('metadata'), 'uid')}, '')`,
    metaKeys: ['class_uid', 'time', 'time_dt', 'region', 'accountid', 'cloud', 'actor', 'unmapped', 'metadata'],
    extraRaw: [
      // Security Lake's accountid falls back to cloud.account.uid, which the table has no column for
      {
        name: 'cloud',
        type: {
          kind: 'struct',
          fields: [{ name: 'account', type: { kind: 'struct', fields: [{ name: 'uid', type: { kind: 'string' } }] } }],
        },
      },
      // the rc.2 keys the field table reads (merged with the 1.1 ones of the same name)
      ...rc2RawColumns(rc2),
    ],
  },
});
