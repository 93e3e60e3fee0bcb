import { field, raw, sqlString } from '../import-sql.js';
import { type LakeTableDef, lakeTable } from '../source.js';
import type { Rc2Field } from '../security-lake/rc2-fields.js';
import { eitherVersion, rc2ColumnOverrides, rc2RawColumns } from '../security-lake/rc2-sql.js';
import { storedOf } from '../stored.js';
import type { TableSchema } from '../table-schema.js';

/** What the local lake needs to know of one Security Lake source table. */
export interface ClassLakeSpec<Id extends string> {
  id: Id;
  /** for people, in import summaries: "vpc flow: 3 added, 0 already present" */
  title: string;
  /** Security Lake's table stem: `vpc_flow` → view security_lake_vpc_flow_2_0 */
  stem: string;
  /** the OCSF classes of the table */
  classUids: readonly number[];
  /** lower-case text metadata.product.name contains for a record of this source */
  product: string;
  v2: TableSchema;
  v1: TableSchema;
  rc2: readonly Rc2Field[];
}

/**
 * A Security Lake source table in the local lake: the v2 (OCSF 1.1) columns, Hive-style as
 * region=/accountid=/time_dt_day=YYYY-MM-DD/ as the CloudTrail table (security-lake/lake.ts).
 * A record is this table's when its class is one of the table's and its product names the
 * source (per record: one file may hold several sources); rc.2 records (source version 1) are
 * converted to the 1.1 columns by the source's own rc.2 field table. The key is metadata.uid,
 * which flow and DNS records seldom carry: then a hash of the row.
 */
export function classLake<Id extends string>(s: ClassLakeSpec<Id>): LakeTableDef<Id, 'ocsf'> {
  const prefix = `hunt_${s.stem}`;
  const ms = raw(`${prefix}_ms`);
  const timeMs = `hunt_epoch_ms(TRY_CAST(${raw('time')} AS BIGINT))`;
  const classUid = `TRY_CAST(${raw('class_uid')} AS INTEGER)`;
  const product = field(raw('metadata'), 'product', 'name');
  const accountid = `coalesce(${raw('accountid')}, ${raw('hunt_path_account')}, ${eitherVersion('cloud.account.uid', s.v1.columns, s.rc2)})`;
  const region = `coalesce(${raw('region')}, ${raw('hunt_path_region')}, ${field(raw('cloud'), 'region')})`;
  return lakeTable({
    id: s.id,
    // one format with the other Security Lake tables: importRecords' `ocsf` list fills them all
    format: 'ocsf',
    // the format for people: every Security Lake table reads OCSF records
    label: 'OCSF',
    title: s.title,
    view: `security_lake_${s.stem}_2_0`,
    dir: `security_lake/${s.stem}_2_0`,
    schema: s.v2,
    partitionRules: [{ kind: 'day-range', columns: ['time_dt_day'], format: 'yyyy-MM-dd' }],
    naming: 'column',
    import: {
      // what any OCSF table needs: which class and product is the table's choice, not the record's fault
      needs: 'an OCSF record (class_uid, time)',
      recognise:
        `(${classUid} IN (${s.classUids.join(', ')}) AND ${raw('time')} IS NOT NULL ` +
        `AND coalesce(contains(lower(${product}), ${sqlString(s.product)}), false))`,
      derived: [{ name: `${prefix}_ms`, expr: timeMs }],
      problem: `CASE WHEN ${ms} IS NULL THEN 'time ' || hunt_describe(${raw('time')}) || ' is not epoch milliseconds' END`,
      // time_dt is the record's own when it parses, else derived from `time` (rc.2 has none);
      // columns are written in another pass than `derived`, so they cannot read it
      columns: {
        ...rc2ColumnOverrides(storedOf(s.v2), s.v1.columns, s.rc2),
        time_dt: `coalesce(hunt_ts(${raw('time_dt')}), ${timeMs})`,
      },
      partitions: [region, accountid, `strftime(coalesce(hunt_ts(${raw('time_dt')}), ${ms}), '%Y-%m-%d')`],
      naturalKey: `nullif(${field(raw('metadata'), 'uid')}, '')`,
      metaKeys: ['class_uid', 'time', 'time_dt', 'region', 'accountid', 'cloud', 'metadata'],
      // the rc.2 keys the field table reads (merged with the 1.1 ones of the same name)
      extraRaw: rc2RawColumns(s.v1.columns, s.rc2),
    },
  });
}
