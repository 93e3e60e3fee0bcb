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
import { type AthenaSourceDef, athenaSource } from '../source.js';
import type { SourceDef } from '../sourcetype.js';
import type { PartitionRule, PhysicalTable, TableBinding } from '../storage.js';

/**
 * A Security Lake source table in Athena, for every one of Security Lake's per-source tables
 * (`cloud_trail_mgmt`, `s3_data`, `lambda_execution`, `sh_findings`, `eks_audit`, `vpc_flow`,
 * `route53`, `waf`): `sources.<key>` of config/hunt.yaml. Names follow Security
 * Lake's own (AWS_FACTS.md): `amazon_security_lake_table_<region>_<stem>_<2_0|1_0>` in
 * `amazon_security_lake_glue_db_<region>`. Version 2 (OCSF 1.1, Iceberg) is pruned on time_dt,
 * version 1 (OCSF 1.0.0-rc.2) on the Hive partition eventday; both on region and accountid.
 */
export interface ClassTableConfig {
  version: 1 | 2;
  regions: { region: string; database?: string; table?: string }[];
  accounts?: string[];
}

export const CLASS_TABLE_DEFAULT: ClassTableConfig = { version: 2, regions: [{ region: 'us-east-1' }] };

/** `sources.<key>` of a Security Lake table; `versions`: the source versions Security Lake had it in. */
export const classTableSchemaFor = (versions: readonly (1 | 2)[]) =>
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
    .superRefine((c, ctx) => {
      for (const r of Object.keys(c.tables ?? {})) {
        if (!c.regions.includes(r))
          ctx.addIssue({ code: 'custom', path: ['tables', r], message: 'names a region that is not in `regions`' });
      }
    })
    .transform(
      (y): ClassTableConfig => ({
        version: y.version,
        regions: [...new Set(y.regions)].map((r) => ({ region: r, ...y.tables?.[r] })),
        ...(y.accounts ? { accounts: [...new Set(y.accounts)] } : {}),
      }),
    );

const underscored = (region: string): string => region.replace(/-/g, '_');

/** Security Lake's table for source `stem` (`vpc_flow`) in a region, per source version. */
export function classTableName(stem: string, region: string, version: 1 | 2): string {
  return `amazon_security_lake_table_${underscored(region)}_${stem}_${version === 2 ? '2_0' : '1_0'}`;
}

/** Configured regions → one branch per distinct table, pruned on time, region and accounts. Pure. */
export function classTables(stem: string, c: ClassTableConfig): PhysicalTable[] {
  // regions naming the same table (a rollup region) are one branch with `region IN (...)`
  const byTable = new Map<string, { name: string[]; regions: string[] }>();
  for (const r of c.regions) {
    const region = checkedRegion(r.region);
    const name = [
      checkedName(r.database ?? `amazon_security_lake_glue_db_${underscored(region)}`),
      checkedName(r.table ?? classTableName(stem, region, c.version)),
    ];
    const entry = byTable.get(name.join('.')) ?? { name, regions: [] };
    if (!entry.regions.includes(region)) entry.regions.push(region);
    byTable.set(name.join('.'), entry);
  }
  const accounts = c.accounts?.map(checkedAccount);
  const time: PartitionRule =
    c.version === 2
      ? { kind: 'timestamp-range', column: 'time_dt' }
      : { kind: 'day-range', columns: ['eventday'], format: 'yyyyMMdd' };
  return [...byTable.values()].map(({ name, regions }) => ({
    name,
    partitions: [
      time,
      { kind: 'values', column: 'region', of: 'region', values: regions },
      ...(accounts?.length
        ? [{ kind: 'values' as const, column: 'accountid', of: 'account' as const, values: accounts }]
        : []),
    ],
  }));
}

/** A sourcetype over a Security Lake table, and its definition on the source version 1 table. */
export interface OnSecurityLakeTable {
  sourcetype: string;
  /** the sourcetype on the v1 (OCSF 1.0.0-rc.2) table; null: Security Lake had no v1 table */
  v1: SourceDef | null;
}

/**
 * One Security Lake table's Athena part, the same for every table: `sources.<configKey>` binds
 * each sourcetype over the table (the table's own first) to the configured regions' tables of
 * Security Lake's `stem`. On version 1 a sourcetype reads through its v1 definition; a table
 * whose own sourcetype has none refuses `version: 1`.
 */
export function securityLakeAthenaOf(spec: {
  configKey: string;
  stem: string;
  sourcetypes: readonly [OnSecurityLakeTable, ...OnSecurityLakeTable[]];
}): AthenaSourceDef {
  const [own, ...others] = spec.sourcetypes;
  const binding = (on: OnSecurityLakeTable, c: ClassTableConfig): TableBinding => {
    const tables = classTables(spec.stem, c);
    return c.version === 1 && on.v1 ? { tables, source: on.v1 } : { tables };
  };
  return athenaSource({
    configKey: spec.configKey,
    sourcetype: own.sourcetype,
    schema: classTableSchemaFor(own.v1 ? [1, 2] : [2]),
    defaults: CLASS_TABLE_DEFAULT,
    binding: (c) => binding(own, c),
    ...(others.length
      ? { more: (c: ClassTableConfig) => Object.fromEntries(others.map((on) => [on.sourcetype, binding(on, c)])) }
      : {}),
  });
}
