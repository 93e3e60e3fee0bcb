import type { StorageTarget, TableBinding } from '../storage.js';
import { AWS_ASL_LAMBDA_EXECUTION, AWS_ASL_S3_DATA } from './data-events.js';
import { AWS_ASL, AWS_ASL_V1, AWS_CLOUDTRAIL_ON_ASL, AWS_CLOUDTRAIL_ON_ASL_V1 } from './fields.js';

/** Security Lake's tables of CloudTrail events, by sourcetype: management, then data events. */
export const SECURITY_LAKE_CLOUDTRAIL_SOURCETYPES = [
  AWS_ASL.sourcetype,
  AWS_ASL_S3_DATA.sourcetype,
  AWS_ASL_LAMBDA_EXECUTION.sourcetype,
] as const;

/**
 * CloudTrail detections on Security Lake: its management and data-event tables of a storage
 * target read as one source (UNION ALL, each table pruned as for its own sourcetype) under
 * CloudTrail's raw names. Security Lake versions cannot mix: a v1 table has other columns.
 * Pure; throws naming the sourcetypes when the target lacks a table or mixes versions.
 */
export function cloudtrailOnSecurityLake(target: StorageTarget): TableBinding {
  const bindings = SECURITY_LAKE_CLOUDTRAIL_SOURCETYPES.map((st) => {
    const b = target[st];
    if (!b) throw new Error(`no tables for ${st}: CloudTrail detections on Security Lake read them`);
    return { st, v1: b.source === AWS_ASL_V1, tables: b.tables };
  });
  const v1 = bindings.filter((b) => b.v1).map((b) => b.st);
  if (v1.length > 0 && v1.length < bindings.length) {
    const v2 = bindings.filter((b) => !b.v1).map((b) => b.st);
    throw new Error(
      `Security Lake version 1 for ${v1.join(', ')} but 2 for ${v2.join(', ')}: CloudTrail detections on Security Lake read them together, so give them one version`,
    );
  }
  return {
    tables: bindings.flatMap((b) => b.tables),
    source: v1.length > 0 ? AWS_CLOUDTRAIL_ON_ASL_V1 : AWS_CLOUDTRAIL_ON_ASL,
  };
}
