import { z } from 'zod';
import {
  checkedName,
  checkedRegion,
  identifierSchema,
  nonEmptyList,
  qualifiedSchema,
  regionSchema,
} from '../athena-names.js';
import type { PhysicalTable, TableBinding } from '../storage.js';
import { athenaSource } from '../source.js';

/**
 * The Athena CloudTrail table(s), as the AWS docs create them: `sources.cloudtrail` of
 * config/hunt.yaml, and how it becomes tables and partition predicates.
 */

export type CloudTrailPartitioning = 'projection' | 'region-year-month-day';

export interface CloudTrailSource {
  tables: { database: string; table: string }[];
  /** `"timestamp"` 'yyyy/MM/dd' (partition projection) or string columns region, year, month, day */
  partitioning: CloudTrailPartitioning;
  /** prune on `region` (region-year-month-day only); absent: every region */
  regions?: string[];
}

export const CLOUDTRAIL_DEFAULT: CloudTrailSource = {
  tables: [{ database: 'default', table: 'cloudtrail_logs' }],
  partitioning: 'projection',
};

const yamlSchema = z
  .object({
    database: identifierSchema.default('default'),
    table: qualifiedSchema.optional(),
    tables: nonEmptyList(qualifiedSchema, 'table').optional(),
    partitioning: z
      .enum(['projection', 'region-year-month-day'], {
        errorMap: () => ({ message: 'must be projection or region-year-month-day' }),
      })
      .default('projection'),
    regions: nonEmptyList(regionSchema, 'region').optional(),
    accounts: z.unknown().optional(),
  })
  .strict()
  .superRefine((ct, ctx) => {
    if (ct.table !== undefined && ct.tables !== undefined)
      ctx.addIssue({ code: 'custom', path: ['tables'], message: 'give `table` or `tables`, not both' });
    if (ct.regions && ct.partitioning === 'projection') {
      ctx.addIssue({
        code: 'custom',
        path: ['regions'],
        message: 'the projection layout has no region partition to prune on (use partitioning: region-year-month-day)',
      });
    }
    if (ct.accounts !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts'],
        message:
          'neither CloudTrail layout (projection, region-year-month-day) has an account partition; list one table per account in `tables`',
      });
    }
  });

function fromYaml(y: z.infer<typeof yamlSchema>): CloudTrailSource {
  const names = y.tables ?? [y.table ?? 'cloudtrail_logs'];
  const tables = [...new Set(names)].map((n) => {
    const [a, b] = n.split('.') as [string, string | undefined];
    return b === undefined ? { database: y.database, table: a } : { database: a, table: b };
  });
  return { tables, partitioning: y.partitioning, ...(y.regions ? { regions: [...new Set(y.regions)] } : {}) };
}

function physicalTable(t: { database: string; table: string }, ct: CloudTrailSource): PhysicalTable {
  const name = [checkedName(t.database), checkedName(t.table)];
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

/** Configured CloudTrail tables → one UNION ALL branch per table, each pruned on its own. Pure. */
export function cloudtrailBinding(ct: CloudTrailSource): TableBinding {
  return { tables: ct.tables.map((t) => physicalTable(t, ct)) };
}

export const cloudtrailAthena = athenaSource({
  configKey: 'cloudtrail',
  sourcetype: 'aws:cloudtrail',
  schema: yamlSchema.transform(fromYaml),
  defaults: CLOUDTRAIL_DEFAULT,
  binding: cloudtrailBinding,
});
