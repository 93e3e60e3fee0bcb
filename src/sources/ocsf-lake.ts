import { field, raw } from './import-sql.js';
import { type LakeTableDef, lakeTable } from './source.js';
import { CLOUD_ACCOUNT_RAW } from './security-lake/lake.js';
import type { Rc2Field } from './security-lake/rc2-fields.js';
import { eitherVersion, rc2ColumnOverrides, rc2RawColumns } from './security-lake/rc2-sql.js';
import { storedOf } from './stored.js';
import type { Column, TableSchema } from './table-schema.js';

/**
 * The local lake table of one more Security Lake source (Security Hub findings, EKS audit, ...),
 * laid out as the CloudTrail one is: region=/accountid=/time_dt_day=YYYY-MM-DD/, `time` epoch
 * ms, `time_dt` the record's own or derived from `time`, partitions from the record, then the
 * input path, then its data. Records of source version 1 (OCSF 1.0.0-rc.2, by
 * `metadata.version`) are converted to the 1.1 columns by the source's rc.2 field table.
 */
export interface OcsfLakeDef<Id extends string> {
  id: Id;
  title: string;
  /** Security Lake's name for the source, `sh_findings`: the view is security_lake_<kind>_2_0 */
  kind: string;
  /** the v2 (OCSF 1.1) table */
  schema: TableSchema;
  /** SQL over the raw record (alias r): true for this table's records (class_uid, product) */
  recognise: string;
  /** SQL: the record's own id or NULL (then the key is a hash of the row) */
  naturalKey: string;
  /** raw keys `recognise` and `naturalKey` read, besides those every OCSF table reads */
  metaKeys: string[];
  /** the v1 table and its rc.2 → 1.1 field table; absent: Security Lake had no v1 table */
  rc2?: { columns: Column[]; fields: readonly Rc2Field[] };
  /** raw-only keys the expressions read */
  extraRaw?: Column[];
}

/** Every OCSF table reads these to place a record. */
const COMMON_META = ['class_uid', 'time', 'time_dt', 'region', 'accountid', 'cloud', 'metadata'];

export function ocsfLakeTable<Id extends string>(def: OcsfLakeDef<Id>): LakeTableDef<Id, 'ocsf'> {
  // derived names are global over all sources: prefixed with the table's id
  const msName = `hunt_${def.id}_time_ms`;
  const timeMs = `hunt_epoch_ms(TRY_CAST(${raw('time')} AS BIGINT))`;
  const derivedMs = raw(msName);
  const account = def.rc2
    ? eitherVersion('cloud.account.uid', def.rc2.columns, def.rc2.fields)
    : field(raw('cloud'), 'account', 'uid');
  const accountid = `coalesce(${raw('accountid')}, ${raw('hunt_path_account')}, ${account})`;
  const region = `coalesce(${raw('region')}, ${raw('hunt_path_region')}, ${field(raw('cloud'), 'region')})`;
  const rc2Columns = def.rc2
    ? rc2ColumnOverrides(storedOf(def.schema), def.rc2.columns, def.rc2.fields)
    : ({} as Record<string, string>);
  return lakeTable({
    id: def.id,
    // one format with Security Lake's other tables: import reports and pinning name it once
    format: 'ocsf',
    label: 'OCSF',
    title: def.title,
    view: `security_lake_${def.kind}_2_0`,
    dir: `security_lake/${def.kind}_2_0`,
    schema: def.schema,
    partitionRules: [{ kind: 'day-range', columns: ['time_dt_day'], format: 'yyyy-MM-dd' }],
    naming: 'column',
    import: {
      needs: 'an OCSF record (class_uid, time)',
      recognise: `(${def.recognise} AND ${raw('time')} IS NOT NULL)`,
      derived: [{ name: msName, expr: timeMs }],
      problem: `CASE WHEN ${derivedMs} IS NULL THEN 'time ' || hunt_describe(${raw('time')}) || ' is not epoch milliseconds' END`,
      columns: { ...rc2Columns, time_dt: `coalesce(hunt_ts(${raw('time_dt')}), ${timeMs})` },
      partitions: [region, accountid, `strftime(coalesce(hunt_ts(${raw('time_dt')}), ${derivedMs}), '%Y-%m-%d')`],
      naturalKey: def.naturalKey,
      metaKeys: [...new Set([...COMMON_META, ...def.metaKeys])],
      extraRaw: [
        // accountid falls back to cloud.account.uid; the rc.2 keys the field table reads
        CLOUD_ACCOUNT_RAW,
        ...(def.rc2 ? rc2RawColumns(def.rc2.columns, def.rc2.fields) : []),
        ...(def.extraRaw ?? []),
      ],
    },
  });
}
