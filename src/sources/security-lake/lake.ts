import { field, raw } from '../import-sql.js';
import { lakeTable, type LakeTableDef } from '../source.js';
import { storedOf } from '../stored.js';
import type { Column } from '../table-schema.js';
import { IS_MANAGEMENT, OTHER_CLASS_PROBLEM } from './classes.js';
import { eitherVersion, rc2ColumnOverrides, rc2RawColumns } from './rc2-sql.js';
import { securityLakeV1Table } from './table-v1.js';
import { securityLakeTable } from './table-v2.js';

const timeMs = `hunt_epoch_ms(TRY_CAST(${raw('time')} AS BIGINT))`;
const derivedTimeMs = (prefix: string): string => raw(`${prefix}_time_ms`);
// time_dt is the record's own (offset-bearing) time when it parses, else derived from `time`
// (rc.2 has no time_dt: always derived).
const timeDt = `coalesce(hunt_ts(${raw('time_dt')}), ${timeMs})`;
const rc2 = securityLakeV1Table.columns;
/** the raw keys every Security Lake table's import rule reads in the narrow pass */
const META_KEYS = ['class_uid', 'time', 'time_dt', 'region', 'accountid', 'cloud', 'actor', 'unmapped', 'metadata'];
// The record's own partition value, then the input path's (region=/accountId= of Security
// Lake's S3 layout, NULL when unknown), then what the record's data says.
const accountid = `coalesce(${raw('accountid')}, ${raw('hunt_path_account')}, ${eitherVersion('cloud.account.uid', rc2)}, ${eitherVersion('actor.user.account.uid', rc2)}, ${raw('unmapped')}['recipientAccountId'])`;
const region = `coalesce(${raw('region')}, ${raw('hunt_path_region')}, ${field(raw('cloud'), 'region')})`;

/** Security Lake's accountid falls back to cloud.account.uid, which a table may have no column for. */
export const CLOUD_ACCOUNT_RAW: Column = {
  name: 'cloud',
  type: {
    kind: 'struct',
    fields: [{ name: 'account', type: { kind: 'struct', fields: [{ name: 'uid', type: { kind: 'string' } }] } }],
  },
};

/**
 * A Security Lake CloudTrail table in the local lake, of source version 2 (OCSF 1.1),
 * Hive-style as region=/accountid=/time_dt_day=YYYY-MM-DD/ (Iceberg's own naming of the day
 * transform), since DuckDB has no Iceberg metadata to prune with. A record is OCSF when it has
 * class_uid and time; its key is metadata.uid. Records of source version 1 (OCSF 1.0.0-rc.2, by
 * `metadata.version`) are converted to the 1.1 columns by rc2-fields.ts. The management table
 * and the data-event tables (data-events.ts) differ only in which records they take
 * (classes.ts): all have the API Activity shape.
 */
export function cloudTrailOcsfLake<Id extends string>(def: {
  id: Id;
  title: string;
  view: string;
  dir: string;
  /** the source's folder in a Security Lake bucket, as AWS names the source: `CLOUD_TRAIL_MGMT` */
  folder: string;
  /** which recognised OCSF records are this table's (SQL over the raw record) */
  takes: string;
  /** the raw keys `takes` reads beyond the management table's meta keys */
  takesKeys?: string[];
  /** prefix of the import rule's derived names, unique over all sources (`hunt_sl`) */
  prefix: string;
  /** why a recognised record is skipped, or NULL (the table that takes what no other does) */
  unsupported?: string;
}): LakeTableDef<Id, 'ocsf'> {
  return lakeTable({
    id: def.id,
    format: 'ocsf',
    label: 'OCSF',
    title: def.title,
    view: def.view,
    dir: def.dir,
    schema: securityLakeTable,
    partitionRules: [{ kind: 'day-range', columns: ['time_dt_day'], format: 'yyyy-MM-dd' }],
    naming: 'column',
    securityLakeFolder: def.folder,
    import: {
      needs: 'an OCSF record (class_uid, time)',
      recognise: `(${raw('class_uid')} IS NOT NULL AND ${raw('time')} IS NOT NULL AND ${def.takes})`,
      derived: [{ name: `${def.prefix}_time_ms`, expr: timeMs }],
      problem: `CASE WHEN ${derivedTimeMs(def.prefix)} IS NULL THEN 'time ' || hunt_describe(${raw('time')}) || ' is not epoch milliseconds' END`,
      ...(def.unsupported ? { unsupported: def.unsupported } : {}),
      columns: { ...rc2ColumnOverrides(storedOf(securityLakeTable), rc2), time_dt: timeDt },
      partitions: [
        region,
        accountid,
        `strftime(coalesce(hunt_ts(${raw('time_dt')}), ${derivedTimeMs(def.prefix)}), '%Y-%m-%d')`,
      ],
      naturalKey: `nullif(${field(raw('metadata'), 'uid')}, '')`,
      metaKeys: [...META_KEYS, ...(def.takesKeys ?? [])],
      extraRaw: [
        CLOUD_ACCOUNT_RAW,
        // the rc.2 keys the field table reads (merged with the 1.1 ones of the same name)
        ...rc2RawColumns(rc2),
      ],
    },
  });
}

/**
 * Security Lake's CloudTrail management table (cloud_trail_mgmt_2_0): every recognised OCSF
 * record no data-event table took; records of other classes or products are recognised but
 * skipped (classes.ts). It comes after the data-event tables in the registry.
 */
export const securityLakeLake = cloudTrailOcsfLake({
  id: 'securityLake',
  title: 'security lake',
  view: 'security_lake_cloud_trail_mgmt_2_0',
  dir: 'security_lake/cloud_trail_mgmt_2_0',
  folder: 'CLOUD_TRAIL_MGMT',
  takes: 'true',
  prefix: 'hunt_sl',
  unsupported: `CASE WHEN NOT ${IS_MANAGEMENT} THEN ${OTHER_CLASS_PROBLEM} END`,
});
