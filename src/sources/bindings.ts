/**
 * Where each source's table lives for a storage target, and how a time window prunes its
 * partitions. The planner emits exactly these predicates; values are bound parameters.
 */
export type PartitionRule =
  /** string partition columns whose concatenation is a day in `format` (luxon), pruned with BETWEEN */
  | { kind: 'day-range'; columns: string[]; format: string }
  /** a timestamp column the engine prunes on itself (Iceberg time_dt) */
  | { kind: 'timestamp-range'; column: string };

export interface TableBinding {
  /** identifier parts: [table], [database, table] or [catalog, database, table] */
  table: string[];
  partitions: PartitionRule[];
}

export type StorageTarget = Record<string, TableBinding>;

/** The local lake (src/lake): Hive-style partitions DuckDB prunes from the paths. */
export const LOCAL_LAKE: StorageTarget = {
  'aws:cloudtrail': {
    table: ['cloudtrail'],
    partitions: [{ kind: 'day-range', columns: ['year', 'month', 'day'], format: 'yyyyMMdd' }],
  },
  'aws:asl': {
    table: ['security_lake_cloud_trail_mgmt_2_0'],
    partitions: [{ kind: 'day-range', columns: ['time_dt_day'], format: 'yyyy-MM-dd' }],
  },
};

/** Athena defaults: a CloudTrail table with partition projection on `timestamp`, Security Lake v2. */
export const ATHENA_DEFAULT: StorageTarget = {
  'aws:cloudtrail': {
    table: ['default', 'cloudtrail_logs'],
    partitions: [{ kind: 'day-range', columns: ['timestamp'], format: 'yyyy/MM/dd' }],
  },
  'aws:asl': {
    table: ['amazon_security_lake_glue_db_us_east_1', 'amazon_security_lake_table_us_east_1_cloud_trail_mgmt_2_0'],
    partitions: [{ kind: 'timestamp-range', column: 'time_dt' }],
  },
};
