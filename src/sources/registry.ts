import { cloudtrail } from './cloudtrail/index.js';
import { securityLake } from './security-lake/index.js';

/**
 * Every source hunt knows, one line each: the planner, the local lake, configuration and the
 * Athena bindings all loop over this list. Adding a source is a folder under src/sources/ and
 * a line here. The order is the order records are classified in on import and sourcetypes are
 * listed in messages.
 */
export const REGISTRY = [cloudtrail, securityLake] as const;

export type RegisteredSource = (typeof REGISTRY)[number];
/** The local lake's table ids ('cloudtrail', 'securityLake'), from the registry. */
export type LocalTableId = RegisteredSource['lake']['id'];
/** The import formats ('cloudtrail', 'ocsf'), from the registry. */
export type RecordFormat = RegisteredSource['lake']['format'];
