import type { PartitionRule, PhysicalTable, StorageTarget } from './bindings.js';
import { AWS_ASL_V1 } from './sources.js';

/**
 * The Athena tables hunt reads, as configured (`sources:` in config/hunt.yaml), and how they
 * become a storage target: which tables, and which partition predicates prune each. Names
 * follow Security Lake's own (AWS_FACTS.md); values (regions, accounts) become parameters,
 * names become quoted identifiers, so both are checked against strict patterns first.
 */

/** An AWS region name: `us-east-1`, `us-gov-west-1`, `ap-southeast-2`. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** A 12-digit AWS account id. */
export const ACCOUNT = /^\d{12}$/;
/**
 * A Glue database or table name as Athena takes it: lower-case letters, digits and `_`
 * (Athena lower-cases names; anything else would need quoting rules hunt does not guess at).
 */
export const IDENTIFIER = /^[a-z0-9_]{1,255}$/;

export const REGION_HINT = 'is not an AWS region name (e.g. us-east-1)';
export const ACCOUNT_HINT = 'is not a 12-digit AWS account id';
export const IDENTIFIER_HINT = 'is not a Glue name: 1-255 lower-case letters, digits or _';

export interface SecurityLakeRegion {
  region: string;
  /** default: amazon_security_lake_glue_db_<region> */
  database?: string;
  /** default: amazon_security_lake_table_<region>_cloud_trail_mgmt_<version> */
  table?: string;
}

export interface SecurityLakeSource {
  /** source version 2 (OCSF 1.1, Iceberg) or 1 (OCSF 1.0.0-rc.2, Hive partitions) */
  version: 1 | 2;
  regions: SecurityLakeRegion[];
  /** prune on `accountid`; absent: every account */
  accounts?: string[];
}

export type CloudTrailPartitioning = 'projection' | 'region-year-month-day';

export interface CloudTrailSource {
  tables: { database: string; table: string }[];
  /** `"timestamp"` 'yyyy/MM/dd' (partition projection) or string columns region, year, month, day */
  partitioning: CloudTrailPartitioning;
  /** prune on `region` (region-year-month-day only); absent: every region */
  regions?: string[];
}

export interface AthenaSources {
  securityLake: SecurityLakeSource;
  cloudtrail: CloudTrailSource;
}

/** What config/hunt.yaml ships, and what Athena reads when nothing is configured. */
export const DEFAULT_SOURCES: AthenaSources = {
  securityLake: { version: 2, regions: [{ region: 'us-east-1' }] },
  cloudtrail: { tables: [{ database: 'default', table: 'cloudtrail_logs' }], partitioning: 'projection' },
};

const underscored = (region: string): string => region.replace(/-/g, '_');

export function securityLakeDatabase(region: string): string {
  return `amazon_security_lake_glue_db_${underscored(region)}`;
}

export function securityLakeTable(region: string, version: 1 | 2): string {
  return `amazon_security_lake_table_${underscored(region)}_cloud_trail_mgmt_${version === 2 ? '2_0' : '1_0'}`;
}

/** Configured sources → the tables and partition predicates of each sourcetype. Pure. */
export function athenaTarget(sources: AthenaSources): StorageTarget {
  return {
    'aws:asl': securityLakeBinding(sources.securityLake),
    'aws:cloudtrail': { tables: sources.cloudtrail.tables.map((t) => cloudtrailTable(t, sources.cloudtrail)) },
  };
}

function securityLakeBinding(sl: SecurityLakeSource): StorageTarget[string] {
  // regions that name the same table (a rollup region's table holds its contributors' data)
  // are one branch with `region IN (...)`, so no table is read twice
  const byTable = new Map<string, { name: string[]; regions: string[] }>();
  for (const r of sl.regions) {
    const name = [
      checked(r.database ?? securityLakeDatabase(checkedRegion(r.region))),
      checked(r.table ?? securityLakeTable(r.region, sl.version)),
    ];
    const key = name.join('.');
    const entry = byTable.get(key) ?? { name, regions: [] };
    if (!entry.regions.includes(r.region)) entry.regions.push(checkedRegion(r.region));
    byTable.set(key, entry);
  }
  const accounts = sl.accounts?.map(checkedAccount);
  const tables = [...byTable.values()].map(({ name, regions }): PhysicalTable => {
    const time: PartitionRule =
      sl.version === 2
        ? { kind: 'timestamp-range', column: 'time_dt' }
        : { kind: 'day-range', columns: ['eventday'], format: 'yyyyMMdd' };
    return {
      name,
      partitions: [
        time,
        { kind: 'values', column: 'region', of: 'region', values: regions },
        ...(accounts?.length
          ? [{ kind: 'values' as const, column: 'accountid', of: 'account' as const, values: accounts }]
          : []),
      ],
    };
  });
  return sl.version === 2 ? { tables } : { tables, source: AWS_ASL_V1 };
}

function cloudtrailTable(t: { database: string; table: string }, ct: CloudTrailSource): PhysicalTable {
  const name = [checked(t.database), checked(t.table)];
  if (ct.partitioning === 'projection') {
    if (ct.regions?.length) throw new Error('the CloudTrail projection layout has no region partition');
    return { name, partitions: [{ kind: 'day-range', columns: ['timestamp'], format: 'yyyy/MM/dd' }] };
  }
  const regions = ct.regions?.map(checkedRegion);
  return {
    name,
    partitions: [
      { kind: 'day-range', columns: ['year', 'month', 'day'], format: 'yyyyMMdd' },
      ...(regions?.length
        ? [{ kind: 'values' as const, column: 'region', of: 'region' as const, values: regions }]
        : []),
    ],
  };
}

// The configuration is validated when it is read (src/config); these checks make sure no
// name or value reaches a storage target unchecked, whoever builds the sources.
function checked(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${JSON.stringify(name)} ${IDENTIFIER_HINT}`);
  return name;
}

function checkedRegion(region: string): string {
  if (!REGION.test(region)) throw new Error(`${JSON.stringify(region)} ${REGION_HINT}`);
  return region;
}

function checkedAccount(account: string): string {
  if (!ACCOUNT.test(account)) throw new Error(`${JSON.stringify(account)} ${ACCOUNT_HINT}`);
  return account;
}
