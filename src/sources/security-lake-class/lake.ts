import { field, raw, sqlString } from '../import-sql.js';
import { type LakeTableDef, lakeTable } from '../source.js';
import { CLOUD_ACCOUNT_RAW } from '../security-lake/lake.js';
import type { Rc2Field } from '../security-lake/rc2-fields.js';
import { eitherVersion, rc2ColumnOverrides, rc2RawColumns } from '../security-lake/rc2-sql.js';
import { storedOf } from '../stored.js';
import type { TableSchema } from '../table-schema.js';

/** Security Lake's source version 1 (OCSF 1.0.0-rc.2) table of a source, as the local lake converts it. */
export interface ClassV1Spec {
  schema: TableSchema;
  /** OCSF 1.1 name ← where the rc.2 record keeps it */
  rc2: readonly Rc2Field[];
}

/** What the local lake needs to know of one Security Lake source table. */
export interface ClassLakeSpec<Id extends string> {
  id: Id;
  /** for people, in import summaries: "vpc flow: 3 added, 0 already present" */
  title: string;
  /** Security Lake's table stem: `vpc_flow` → view security_lake_vpc_flow_2_0 */
  stem: string;
  /** the source's folder in a Security Lake bucket, as AWS names the source: `VPC_FLOW` (LakeTableDef) */
  folder: string;
  /** the OCSF classes of the table */
  classUids: readonly number[];
  /**
   * metadata.product.name of a record of this source, in lower case: text it contains, or the
   * names it is one of; absent: the class alone tells (only Security Hub writes findings)
   */
  product?: { contains: string } | { oneOf: readonly string[] };
  /**
   * SQL over the raw record: an id that, with the record's `time`, names the record when it has
   * no metadata.uid (then: a hash of the row)
   */
  keyFallback?: string;
  /** the raw keys `keyFallback` reads */
  keyKeys?: string[];
  v2: TableSchema;
  /** null: Security Lake had no v1 table of this source */
  v1: ClassV1Spec | null;
}

/** Every Security Lake table's import rule reads these to place a record. */
const META_KEYS = ['class_uid', 'time', 'time_dt', 'region', 'accountid', 'cloud', 'metadata'];

function productIs(p: NonNullable<ClassLakeSpec<string>['product']>): string {
  const name = `lower(${field(raw('metadata'), 'product', 'name')})`;
  return 'contains' in p
    ? `coalesce(contains(${name}, ${sqlString(p.contains)}), false)`
    : `coalesce(${name} IN (${p.oneOf.map(sqlString).join(', ')}), false)`;
}

/**
 * A Security Lake source table in the local lake: the v2 (OCSF 1.1) columns, Hive-style as
 * region=/accountid=/time_dt_day=YYYY-MM-DD/ as the CloudTrail table (security-lake/lake.ts),
 * `time` epoch ms, `time_dt` the record's own or derived from `time`, partitions from the
 * record, then the input path, then its data. A record is this table's when its class is one of
 * the table's and its product names the source (per record: one file may hold several sources);
 * rc.2 records (source version 1) are converted to the 1.1 columns by the source's own rc.2 field
 * table. The key is metadata.uid, else `keyFallback` with the time, else a hash of the row.
 */
export function classLake<Id extends string>(s: ClassLakeSpec<Id>): LakeTableDef<Id, 'ocsf'> {
  // derived names are global over all sources: prefixed with the table's stem
  const prefix = `hunt_${s.stem}`;
  const ms = raw(`${prefix}_ms`);
  const timeMs = `hunt_epoch_ms(TRY_CAST(${raw('time')} AS BIGINT))`;
  const classUid = `coalesce(TRY_CAST(${raw('class_uid')} AS INTEGER) IN (${s.classUids.join(', ')}), false)`;
  const account = s.v1
    ? eitherVersion('cloud.account.uid', s.v1.schema.columns, s.v1.rc2)
    : field(raw('cloud'), 'account', 'uid');
  const accountid = `coalesce(${raw('accountid')}, ${raw('hunt_path_account')}, ${account})`;
  const region = `coalesce(${raw('region')}, ${raw('hunt_path_region')}, ${field(raw('cloud'), 'region')})`;
  const uid = `nullif(${field(raw('metadata'), 'uid')}, '')`;
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
    securityLakeFolder: s.folder,
    import: {
      // what any OCSF table needs: which class and product is the table's choice, not the record's fault
      needs: 'an OCSF record (class_uid, time)',
      recognise: `(${[classUid, `${raw('time')} IS NOT NULL`, ...(s.product ? [productIs(s.product)] : [])].join(' AND ')})`,
      derived: [{ name: `${prefix}_ms`, expr: timeMs }],
      problem: `CASE WHEN ${ms} IS NULL THEN 'time ' || hunt_describe(${raw('time')}) || ' is not epoch milliseconds' END`,
      // time_dt is the record's own when it parses, else derived from `time` (rc.2 has none);
      // columns are written in another pass than `derived`, so they cannot read it
      columns: {
        ...(s.v1 ? rc2ColumnOverrides(storedOf(s.v2), s.v1.schema.columns, s.v1.rc2) : {}),
        time_dt: `coalesce(hunt_ts(${raw('time_dt')}), ${timeMs})`,
      },
      partitions: [region, accountid, `strftime(coalesce(hunt_ts(${raw('time_dt')}), ${ms}), '%Y-%m-%d')`],
      naturalKey: s.keyFallback
        ? `coalesce(${uid}, nullif(${s.keyFallback}, '') || '|' || CAST(${raw('time')} AS VARCHAR))`
        : uid,
      metaKeys: [...new Set([...META_KEYS, ...(s.keyKeys ?? [])])],
      extraRaw: [
        // accountid falls back to cloud.account.uid; the rc.2 keys the field table reads
        // (merged with the 1.1 ones of the same name)
        CLOUD_ACCOUNT_RAW,
        ...(s.v1 ? rc2RawColumns(s.v1.schema.columns, s.v1.rc2) : []),
      ],
    },
  });
}
