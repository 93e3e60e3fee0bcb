import { athenaTarget, DEFAULT_SOURCES } from './athena-sources.js';
import { REGISTRY } from './registry.js';
import type { StorageTarget } from './storage.js';

export type { PartitionRule, PhysicalTable, StorageTarget, TableBinding } from './storage.js';

/** The local lake (src/lake): Hive-style partitions DuckDB prunes from the paths. */
export const LOCAL_LAKE: StorageTarget = Object.fromEntries(
  REGISTRY.flatMap(({ lake, sourcetypes }) =>
    sourcetypes.map((s) => [s.sourcetype, { tables: [{ name: [lake.view], partitions: lake.partitionRules }] }]),
  ),
);

/**
 * Athena without configuration (config/hunt.yaml ships the same): a CloudTrail table with
 * partition projection on `timestamp`, and Security Lake v2 in us-east-1.
 */
export const ATHENA_DEFAULT: StorageTarget = athenaTarget(DEFAULT_SOURCES);
