import { REGISTRY } from './registry.js';
import type { SourceDef } from './sourcetype.js';

export type { SourceDef } from './sourcetype.js';

/**
 * The sourcetypes a search can name, from the registry (a table version such as Security Lake
 * v1 is chosen by configuration, not named by a search, so it is not here).
 */
export const SOURCES: SourceDef[] = REGISTRY.flatMap((s) => s.sourcetypes);

export function sourceFor(sourcetype: string): SourceDef | undefined {
  return SOURCES.find((s) => s.sourcetype === sourcetype.toLowerCase());
}
