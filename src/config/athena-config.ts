import { z } from 'zod';
import { durationSchema } from './duration-schema.js';
import { ATHENA_DEFAULTS, type AthenaSettings } from '../engines/athena/settings.js';
import {
  ACCOUNT,
  ACCOUNT_HINT,
  IDENTIFIER,
  IDENTIFIER_HINT,
  REGION,
  REGION_HINT,
  type AthenaSources,
  type CloudTrailSource,
  type SecurityLakeSource,
} from '../sources/athena-sources.js';

/**
 * `engine:`, `athena:` and `sources:` of config/hunt.yaml. Every name that reaches SQL text
 * (databases, tables) and every value that reaches a parameter (regions, accounts) is checked
 * against a strict pattern here, so a bad one is refused naming its field, never quoted or
 * escaped into something else.
 */

const region = z.string().regex(REGION, REGION_HINT);
const account = z.string().regex(ACCOUNT, ACCOUNT_HINT);
const identifier = z.string().regex(IDENTIFIER, IDENTIFIER_HINT);
const qualified = z
  .string()
  .regex(
    /^[a-z0-9_]{1,255}(\.[a-z0-9_]{1,255})?$/,
    'is not a Glue table name (table or database.table; lower-case letters, digits or _)',
  );

// Athena's own limits: workgroup and catalog names (API reference), result reuse up to 7 days
const workgroup = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, 'is not an Athena workgroup name (1-128 letters, digits, ., _ or -)');
const catalog = z
  .string()
  .regex(/^[A-Za-z0-9_@-]{1,127}$/, 'is not a data catalog name (1-127 letters, digits, _, @ or -)');
const s3Location = z
  .string()
  .regex(
    /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\u0000-\u001f\u007f]*)?$/,
    'is not an S3 location (s3://bucket/prefix/)',
  );

const duration = durationSchema('e.g. 90s, 30m, 2h').refine(
  (ms) => ms > 0 && ms <= 24 * 3_600_000,
  'must be more than 0 and at most 24h',
);

const nonEmptyList = <T extends z.ZodTypeAny>(item: T, what: string) =>
  z.array(item).min(1, `list at least one ${what}, or leave the key out`);

export const engineSchema = z.enum(['duckdb', 'athena'], {
  errorMap: () => ({ message: 'must be duckdb or athena' }),
});

export const athenaSchema = z
  .object({
    region: region.optional(),
    workgroup: workgroup.optional(),
    catalog: catalog.optional(),
    database: identifier.optional(),
    output_location: s3Location.optional(),
    result_reuse_minutes: z.number().int().min(0).max(10080).optional(),
    query_timeout: duration.optional(),
    s3_result_rows: z.number().int().min(0).optional(),
  })
  .strict();

const securityLakeSchema = z
  .object({
    version: z
      .union([z.literal(1), z.literal(2)], {
        errorMap: () => ({ message: 'must be 1 or 2 (the Security Lake source version)' }),
      })
      .default(2),
    regions: nonEmptyList(region, 'region'),
    accounts: nonEmptyList(account, 'account').optional(),
    // only where a region's table is not where Security Lake puts it
    tables: z
      .record(region, z.object({ database: identifier.optional(), table: identifier.optional() }).strict())
      .optional(),
  })
  .strict()
  .superRefine((sl, ctx) => {
    for (const r of Object.keys(sl.tables ?? {})) {
      if (!sl.regions.includes(r))
        ctx.addIssue({ code: 'custom', path: ['tables', r], message: `names a region that is not in \`regions\`` });
    }
  });

const cloudtrailSchema = z
  .object({
    database: identifier.default('default'),
    table: qualified.optional(),
    tables: nonEmptyList(qualified, 'table').optional(),
    partitioning: z
      .enum(['projection', 'region-year-month-day'], {
        errorMap: () => ({ message: 'must be projection or region-year-month-day' }),
      })
      .default('projection'),
    regions: nonEmptyList(region, 'region').optional(),
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

export const sourcesSchema = z
  .object({
    security_lake: securityLakeSchema.optional(),
    cloudtrail: cloudtrailSchema.optional(),
  })
  .strict();

export type AthenaYaml = z.infer<typeof athenaSchema>;
export type SourcesYaml = z.infer<typeof sourcesSchema>;

/** `athena:` over the settings so far: each key given replaces that setting. */
export function athenaSettings(base: AthenaSettings, y: AthenaYaml): AthenaSettings {
  const out: AthenaSettings = { ...base };
  if (y.region !== undefined) out.region = y.region;
  if (y.workgroup !== undefined) out.workgroup = y.workgroup;
  if (y.catalog !== undefined) out.catalog = y.catalog;
  if (y.database !== undefined) out.database = y.database;
  if (y.output_location !== undefined) out.outputLocation = y.output_location;
  if (y.result_reuse_minutes !== undefined) out.resultReuseMinutes = y.result_reuse_minutes;
  if (y.query_timeout !== undefined) out.queryTimeoutMs = y.query_timeout;
  if (y.s3_result_rows !== undefined) out.s3ResultRows = y.s3_result_rows;
  return out;
}

export const DEFAULT_ATHENA_SETTINGS: AthenaSettings = { ...ATHENA_DEFAULTS };

/** `sources:` over the sources so far: a source kind given replaces that source entirely. */
export function athenaSources(base: AthenaSources, y: SourcesYaml): AthenaSources {
  return {
    securityLake: y.security_lake ? securityLake(y.security_lake) : base.securityLake,
    cloudtrail: y.cloudtrail ? cloudtrail(y.cloudtrail) : base.cloudtrail,
  };
}

function securityLake(y: NonNullable<SourcesYaml['security_lake']>): SecurityLakeSource {
  return {
    version: y.version,
    regions: [...new Set(y.regions)].map((r) => ({ region: r, ...y.tables?.[r] })),
    ...(y.accounts ? { accounts: [...new Set(y.accounts)] } : {}),
  };
}

function cloudtrail(y: NonNullable<SourcesYaml['cloudtrail']>): CloudTrailSource {
  const names = y.tables ?? [y.table ?? 'cloudtrail_logs'];
  const tables = [...new Set(names)].map((n) => {
    const [a, b] = n.split('.') as [string, string | undefined];
    return b === undefined ? { database: y.database, table: a } : { database: a, table: b };
  });
  return { tables, partitioning: y.partitioning, ...(y.regions ? { regions: [...new Set(y.regions)] } : {}) };
}
