import { z } from 'zod';
import {
  accountSchema,
  checkedAccount,
  checkedName,
  checkedRegion,
  identifierSchema,
  nonEmptyList,
  regionSchema,
} from '../athena-names.js';
import type { SourceDef } from '../sourcetype.js';
import type { PartitionRule, PhysicalTable, TableBinding } from '../storage.js';
import { type AthenaSourceDef, athenaSource } from '../source.js';
import { AWS_ASL_V1 } from './fields.js';

/**
 * Security Lake's CloudTrail management tables in Athena: `sources.security_lake` of
 * config/hunt.yaml. Names follow Security Lake's own (AWS_FACTS.md). Source version 2 (OCSF 1.1,
 * Iceberg, pruned on time_dt) is the sourcetype's own table; version 1 (OCSF 1.0.0-rc.2, Hive
 * partition `eventday`) is a second table version of the same sourcetype, read through aliases.
 */

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

export const SECURITY_LAKE_DEFAULT: SecurityLakeSource = { version: 2, regions: [{ region: 'us-east-1' }] };

/** `sources.<key>` of a Security Lake table; `versions`: the source versions Security Lake had it in. */
const yamlSchemaFor = (versions: readonly (1 | 2)[]) =>
  z
    .object({
      version: z
        .union([z.literal(1), z.literal(2)], {
          errorMap: () => ({ message: 'must be 1 or 2 (the Security Lake source version)' }),
        })
        .default(2)
        .refine((v) => versions.includes(v), {
          message: `Security Lake has this source only in source version ${versions.join(' and ')}`,
        }),
      regions: nonEmptyList(regionSchema, 'region'),
      accounts: nonEmptyList(accountSchema, 'account').optional(),
      // only where a region's table is not where Security Lake puts it
      tables: z
        .record(
          regionSchema,
          z.object({ database: identifierSchema.optional(), table: identifierSchema.optional() }).strict(),
        )
        .optional(),
    })
    .strict()
    .superRefine((sl, ctx) => {
      for (const r of Object.keys(sl.tables ?? {})) {
        if (!sl.regions.includes(r))
          ctx.addIssue({ code: 'custom', path: ['tables', r], message: `names a region that is not in \`regions\`` });
      }
    });

const yamlSchema = yamlSchemaFor([1, 2]);

function fromYaml(y: z.infer<typeof yamlSchema>): SecurityLakeSource {
  return {
    version: y.version,
    regions: [...new Set(y.regions)].map((r) => ({ region: r, ...y.tables?.[r] })),
    ...(y.accounts ? { accounts: [...new Set(y.accounts)] } : {}),
  };
}

const underscored = (region: string): string => region.replace(/-/g, '_');

export function securityLakeDatabase(region: string): string {
  return `amazon_security_lake_glue_db_${underscored(region)}`;
}

/**
 * Security Lake's tables (AWS_FACTS.md), by the source's part of the name: CloudTrail management
 * events, S3 and Lambda data events, Security Hub findings, EKS audit logs.
 */
export type SecurityLakeTableKind = 'cloud_trail_mgmt' | 's3_data' | 'lambda_execution' | 'sh_findings' | 'eks_audit';

export function securityLakeTableName(
  region: string,
  version: 1 | 2,
  kind: SecurityLakeTableKind = 'cloud_trail_mgmt',
): string {
  return `amazon_security_lake_table_${underscored(region)}_${kind}_${version === 2 ? '2_0' : '1_0'}`;
}

/** Configured regions → one branch per distinct table, pruned on time, region and accounts. Pure. */
export function securityLakeBinding(
  sl: SecurityLakeSource,
  kind: SecurityLakeTableKind = 'cloud_trail_mgmt',
  /** the v1 (OCSF 1.0.0-rc.2) table's source definition: the CloudTrail one unless said */
  v1: SourceDef = AWS_ASL_V1,
): TableBinding {
  // regions that name the same table (a rollup region's table holds its contributors' data)
  // are one branch with `region IN (...)`, so no table is read twice
  const byTable = new Map<string, { name: string[]; regions: string[] }>();
  for (const r of sl.regions) {
    const name = [
      checkedName(r.database ?? securityLakeDatabase(checkedRegion(r.region))),
      checkedName(r.table ?? securityLakeTableName(r.region, sl.version, kind)),
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
  return sl.version === 2 ? { tables } : { tables, source: v1 };
}

/**
 * One Security Lake table kind's Athena part: the same configuration shape for each. `v1`: the
 * source definition of its v1 table (default the CloudTrail one); `null`: Security Lake had no
 * v1 table of it, and `version: 1` is refused.
 */
export function securityLakeAthenaOf(
  configKey: string,
  sourcetype: string,
  kind: SecurityLakeTableKind,
  v1: SourceDef | null = AWS_ASL_V1,
): AthenaSourceDef {
  return athenaSource({
    configKey,
    sourcetype,
    schema: yamlSchemaFor(v1 ? [1, 2] : [2]).transform(fromYaml),
    defaults: SECURITY_LAKE_DEFAULT,
    binding: (sl: SecurityLakeSource) => securityLakeBinding(sl, kind, v1 ?? undefined),
  });
}

export const securityLakeAthena = securityLakeAthenaOf('security_lake', 'aws:asl', 'cloud_trail_mgmt');
