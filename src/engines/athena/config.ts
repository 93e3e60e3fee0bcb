import { z } from 'zod';
import { identifierSchema as identifier, regionSchema as region } from '../../sources/athena-names.js';
import { queryTimeoutSchema } from '../timeout-schema.js';
import { ATHENA_DEFAULTS, type AthenaSettings } from './settings.js';

/**
 * `athena:` of config/hunt.yaml. Every name that reaches the API (workgroup, catalog, database,
 * result location) is checked against a strict pattern here, so a bad one is refused naming its
 * field, never quoted or escaped into something else.
 */

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

export const athenaSchema = z
  .object({
    region: region.optional(),
    workgroup: workgroup.optional(),
    catalog: catalog.optional(),
    database: identifier.optional(),
    output_location: s3Location.optional(),
    result_reuse_minutes: z.number().int().min(0).max(10080).optional(),
    query_timeout: queryTimeoutSchema.optional(),
    s3_result_rows: z.number().int().min(0).optional(),
  })
  .strict();

export type AthenaYaml = z.infer<typeof athenaSchema>;

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
