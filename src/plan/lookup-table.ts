/**
 * A lookup table as the compiler sees it: plain data, loaded at the edges (detections/lookups.ts
 * reads a security_content `lookups/` directory; the store holds what `outputlookup` wrote).
 */
export interface LookupTable {
  name: string;
  /** csv: rows from its file; kvstore: the rows `outputlookup` stored (none at first) */
  kind: 'csv' | 'kvstore';
  /** where it is defined, for messages */
  file: string;
  /** column names, in file order */
  fields: string[];
  /** the rows in file order; a value is text, a list (a multivalue field) or missing */
  rows: LookupValue[][];
  /** Splunk's default for CSV lookups is case-sensitive matching */
  caseSensitive: boolean;
  /** at most this many matching rows per event, in file order (Splunk's default: 1000) */
  maxMatches: number;
  /** fields matched as wildcard patterns (match_type WILDCARD(field)) */
  wildcardFields: string[];
  /** each output field's value for an event that matches no row (min_matches: 1, default_match) */
  defaultMatch?: string;
}

export type LookupValue = string | string[] | null;

/** The lookups a search may name, by name. */
export type LookupCatalog = ReadonlyMap<string, LookupTable>;

export const NO_LOOKUPS: LookupCatalog = new Map();
