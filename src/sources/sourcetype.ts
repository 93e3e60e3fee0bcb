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
  /**
   * Set when the table holds another format's events and the content names them by that
   * format's raw names (CloudTrail detections over Security Lake's OCSF table): where each of
   * those names finds its value here. Without it, raw names are this table's own.
   */
  rawNames?: RawNameMap;
}

/**
 * The raw names of one format read from a table that stores them under other names, as data.
 * A raw name is looked up in order: `fields`, `missing`, `json` (by its first segment), then
 * `rest`; a name none of them covers is absent (null), as a field the event does not have.
 */
export interface RawNameMap {
  /** the format the names are from, for messages: "CloudTrail" */
  of: string;
  /** raw name → an SPL eval expression over this table's own field names */
  fields: Record<string, string>;
  /**
   * raw object → this table's field holding the object as JSON text: its leaves are read by
   * JSON path (`requestParameters.bucketName` → `bucketName` in `api.request.data`)
   */
  json: Record<string, string>;
  /** raw names the table's mapping drops or rewrites beyond recovery → why (a compile warning) */
  missing: Record<string, string>;
  /**
   * this table's map field that keeps every other raw leaf under its dotted path (Security
   * Lake's `unmapped`), for names under one of the format's own top-level keys (`under`): any
   * other name is no field of the format, as on its own table. Names with `{}` are never there.
   */
  rest?: { field: string; under: string[] };
}
