import { field, raw, sqlString } from '../import-sql.js';

/**
 * Which OCSF records are Security Lake's CloudTrail management events, the lake's one OCSF
 * table. Security Lake keeps each source in its own table (AWS_FACTS.md): Security Hub findings
 * (2001/2003/2004), VPC Flow (4001), Route 53 (4003), EKS audit (6003 from `Amazon EKS`), and
 * CloudTrail's S3 and Lambda data events, which are 6003 from `CloudTrail` too: they differ
 * only by `metadata.product.feature.name`, CloudTrail's eventCategory (`Management`, `Data`),
 * after the OCSF CloudTrail dossiers. So a record is this table's when it is class 3001, 3002
 * or 6003, its product is CloudTrail, and its feature is not `Data` (a missing feature counts as
 * management: the dossiers' example without eventCategory still is a management event).
 * VPC Flow, Route 53 and WAF records reach this rule only when their own tables (registered
 * before this one) did not take them: another product's Network, DNS or HTTP Activity.
 */
export const MANAGEMENT_CLASSES = [3001, 3002, 6003] as const;

/** OCSF class captions for the skip message (its text must not vary by record: it is grouped). */
export const OCSF_CLASS_NAMES: Readonly<Record<number, string>> = {
  2001: 'Security Finding',
  2003: 'Compliance Finding',
  2004: 'Detection Finding',
  2002: 'Vulnerability Finding',
  3001: 'Account Change',
  3002: 'Authentication',
  4001: 'Network Activity',
  4002: 'HTTP Activity',
  4003: 'DNS Activity',
  6003: 'API Activity',
};

const classUid = `TRY_CAST(${raw('class_uid')} AS INTEGER)`;
const product = field(raw('metadata'), 'product', 'name');
const isData = `coalesce(lower(${field(raw('metadata'), 'product', 'feature', 'name')}) = 'data', false)`;

/** True for a CloudTrail management record. */
export const IS_MANAGEMENT =
  `(${classUid} IN (${MANAGEMENT_CLASSES.join(', ')}) AND coalesce(${product} = 'CloudTrail', false) ` +
  `AND NOT ${isData})`;

const className = `CASE ${classUid} ${Object.entries(OCSF_CLASS_NAMES)
  .map(([uid, name]) => `WHEN ${uid} THEN ${sqlString(` (${name})`)}`)
  .join(' ')} ELSE '' END`;
const productName = `coalesce(${product}, 'an unknown product') || CASE WHEN ${isData} THEN ' data events' ELSE '' END`;

/** Why a recognised OCSF record of another class or product is skipped. */
export const OTHER_CLASS_PROBLEM =
  `'OCSF class ' || coalesce(CAST(${classUid} AS VARCHAR), hunt_describe(${raw('class_uid')})) || ${className} || ` +
  `' from ' || ${productName} || ': hunt has no local table for it'`;

const service = field(raw('api'), 'service', 'name');

/**
 * True for a CloudTrail data event of one AWS service (api.service.name, CloudTrail's
 * eventSource): Security Lake keeps S3 and Lambda data events in their own tables (`s3_data`,
 * `lambda_execution`), as API Activity records like the management ones.
 */
export function isDataEventOf(eventSource: string): string {
  return `(${classUid} = 6003 AND coalesce(${product} = 'CloudTrail', false) AND ${isData} AND coalesce(${service} = ${sqlString(eventSource)}, false))`;
}
