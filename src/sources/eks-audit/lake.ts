import { field, raw } from '../import-sql.js';
import { ocsfLakeTable } from '../ocsf-lake.js';
import { eksAuditTable } from './table.js';

const product = `lower(${field(raw('metadata'), 'product', 'name')})`;

/**
 * EKS audit logs in the local lake: API Activity (6003) whose product is EKS (CloudTrail's API
 * Activity is the CloudTrail table's). Key: metadata.uid, else the audit id with the event time
 * (a request's stages share its audit id).
 */
export const eksAuditLake = ocsfLakeTable({
  id: 'eksAudit',
  title: 'eks audit',
  kind: 'eks_audit',
  schema: eksAuditTable,
  recognise: `(TRY_CAST(${raw('class_uid')} AS INTEGER) = 6003 AND coalesce(${product} IN ('amazon eks', 'eks'), false))`,
  naturalKey: `coalesce(nullif(${field(raw('metadata'), 'uid')}, ''), nullif(${field(raw('api'), 'request', 'uid')}, '') || '|' || CAST(${raw('time')} AS VARCHAR))`,
  metaKeys: ['api'],
});
