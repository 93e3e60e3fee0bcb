import type { SourceDef } from './sourcetype.js';

/**
 * Where each source's table lives for a storage target, and how a time window (and the
 * configured regions and accounts) prune its partitions. The planner emits exactly these
 * predicates; every value in them is a bound parameter.
 */
export type PartitionRule =
  /** string partition columns whose concatenation is a day in `format` (luxon), pruned with BETWEEN */
  | { kind: 'day-range'; columns: string[]; format: string }
  /** a timestamp column the engine prunes on itself (Iceberg time_dt) */
  | { kind: 'timestamp-range'; column: string }
  /** a string partition column kept to configured values: `column IN (?, ...)` */
  | { kind: 'values'; column: string; of: 'region' | 'account'; values: string[] };

/** One physical table and the partition predicates that prune it. */
export interface PhysicalTable {
  /** identifier parts: [table], [database, table] or [catalog, database, table] */
  name: string[];
  partitions: PartitionRule[];
}

export interface TableBinding {
  /**
   * The tables that hold the sourcetype. Several (one per Security Lake region, one per
   * CloudTrail table) are read as one source: a UNION ALL, each branch pruned on its own.
   */
  tables: PhysicalTable[];
  /**
   * The source definition of these tables when it is not the sourcetype's own: a Security
   * Lake v1 table has OCSF 1.0.0-rc.2 columns under the same sourcetype `aws:asl`.
   */
  source?: SourceDef;
}

export type StorageTarget = Record<string, TableBinding>;
