import type { TableSchema } from './table-schema.js';

/**
 * A Splunk sourcetype hunt can search, as data: the table that holds it, how `_time` is
 * derived, how SPL field names map to columns, and the search-time fields Splunk's add-on
 * defines (written as SPL eval expressions over the raw field names, compiled like any eval).
 */
export interface SourceDef {
  sourcetype: string;
  description: string;
  schema: TableSchema;
  /** how raw SPL names find columns: CloudTrail JSON names (camelCase) or OCSF column names */
  naming: 'json' | 'column';
  time: { kind: 'iso-string'; column: string } | { kind: 'epoch-ms'; column: string };
  /** search-time fields: SPL field → eval expression over raw fields (and other derived fields) */
  derived: Record<string, string>;
  /** what `_raw` means for this source, for documentation and messages */
  raw: string;
  /**
   * `_raw` as text: 'json-columns' rebuilds the event's JSON from the columns, under their JSON
   * names (the columns are the event's keys); absent, there is no text to give.
   */
  rawText?: 'json-columns';
  /**
   * An eval expression over raw fields that is distinct exactly when `_raw` is: the event's
   * id (the lake keeps one event per id), so `dc(_raw)` counts distinct events.
   */
  rawIdentity: string;
  /**
   * Raw names the content uses → the name this table has for the same value (a Security Lake
   * v1 table read with OCSF 1.1 names). A name here is looked up as its target, and only so.
   */
  aliases?: Record<string, string>;
}
