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

/** Security Lake's table name; `kind` is the source's part of it (AWS_FACTS.md): cloud_trail_mgmt, sh_findings, ... */
export function securityLakeTableName(region: string, version: 1 | 2, kind = 'cloud_trail_mgmt'): string {
  return `amazon_security_lake_table_${underscored(region)}_${kind}_${version === 2 ? '2_0' : '1_0'}`;
}

/** Which Security Lake table a source reads, and the source definition of its v1 table. */
export interface SecurityLakeKind {
  /** the table name's source part: `sh_findings` */
  kind: string;
  /** the v1 (OCSF 1.0.0-rc.2) table's source definition; absent: Security Lake had no v1 table */
  v1?: SourceDef;
}

const CLOUD_TRAIL_MGMT: SecurityLakeKind = { kind: 'cloud_trail_mgmt', v1: AWS_ASL_V1 };

/** Configured regions → one branch per distinct table, pruned on time, region and accounts. Pure. */
export function securityLakeBinding(sl: SecurityLakeSource, of: SecurityLakeKind = CLOUD_TRAIL_MGMT): TableBinding {
  // regions that name the same table (a rollup region's table holds its contributors' data)
  // are one branch with `region IN (...)`, so no table is read twice
  const byTable = new Map<string, { name: string[]; regions: string[] }>();
  for (const r of sl.regions) {
    const name = [
      checkedName(r.database ?? securityLakeDatabase(checkedRegion(r.region))),
      checkedName(r.table ?? securityLakeTableName(r.region, sl.version, of.kind)),
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
  return sl.version === 2 || !of.v1 ? { tables } : { tables, source: of.v1 };
}

/**
 * The Athena part of a source that is one Security Lake table (`sources.<configKey>`: version,
 * regions, accounts, tables), named and pruned as the CloudTrail management table is.
 */
export function securityLakeAthenaSource(def: {
  configKey: string;
  sourcetype: string;
  table: SecurityLakeKind;
}): AthenaSourceDef {
  const versions: (1 | 2)[] = def.table.v1 ? [1, 2] : [2];
  return athenaSource({
    configKey: def.configKey,
    sourcetype: def.sourcetype,
    schema: yamlSchemaFor(versions).transform(fromYaml),
    defaults: SECURITY_LAKE_DEFAULT,
    binding: (sl) => securityLakeBinding(sl, def.table),
  });
}

export const securityLakeAthena = securityLakeAthenaSource({
  configKey: 'security_lake',
  sourcetype: 'aws:asl',
  table: CLOUD_TRAIL_MGMT,
});
