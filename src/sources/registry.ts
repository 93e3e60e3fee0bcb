import { cloudtrail } from './cloudtrail/index.js';
import { eksAudit } from './eks-audit/index.js';
import { securityHub } from './security-hub/index.js';
import { route53 } from './route53/index.js';
import { securityLakeLambdaExecution, securityLakeS3Data } from './security-lake/data-events.js';
import { securityLake } from './security-lake/index.js';
import { vpcFlow } from './vpc-flow/index.js';
import { waf } from './waf/index.js';

/**
 * Every source hunt knows, one line each: the planner, the local lake, configuration and the
 * Athena bindings all loop over this list. The order is the order records are classified in on
 * import and sourcetypes are listed in messages.
 *
 * Adding a source: a folder src/sources/<name>/ whose index.ts exports `defineSource({...})`
 * (source.ts): its sourcetype (table schema and field map), its lake table (view, directory,
 * partitions and import rule) and its Athena part (config schema, default, binding), then one
 * line here. test/sources/registry.test.ts checks the definition's invariants.
 */
// Security Lake's other tables (VPC Flow, Route 53, WAF, data events, findings, EKS audit)
// before its management table: the first table that recognises a record takes it, and the
// management table takes every other OCSF record (and skips the classes no table takes).
export const REGISTRY = [
  cloudtrail,
  vpcFlow,
  route53,
  waf,
  securityLakeS3Data,
  securityLakeLambdaExecution,
  securityHub,
  eksAudit,
  securityLake,
] as const;

export type RegisteredSource = (typeof REGISTRY)[number];
/** The local lake's table ids ('cloudtrail', 'securityLake'), from the registry. */
export type LocalTableId = RegisteredSource['lake']['id'];
/** The import formats ('cloudtrail', 'ocsf'), from the registry. */
export type RecordFormat = RegisteredSource['lake']['format'];
