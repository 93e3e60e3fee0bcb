import type { z } from 'zod';
import type { SourceDef } from './sourcetype.js';
import type { PartitionRule, TableBinding } from './storage.js';
import type { Column, TableSchema } from './table-schema.js';

export type { SourceDef } from './sourcetype.js';

/**
 * What one source is, as data: everything hunt knows about it lives in its folder under
 * src/sources/ and is listed once in registry.ts. The planner reads `sourcetypes`, the local
 * lake reads `lake`, configuration and the Athena bindings read `athena`.
 */
export interface Source<Id extends string = string, Format extends string = string> {
  /** folder name, for messages */
  name: string;
  /** the sourcetypes a search can name, each with its table and field map */
  sourcetypes: SourceDef[];
  lake: LakeTableDef<Id, Format>;
  athena: AthenaSourceDef;
}

/**
 * The source's table in the local lake (src/lake): where its Parquet files go, how DuckDB prunes
 * them, and how an imported record is recognised and normalised into a row.
 */
export interface LakeTableDef<Id extends string = string, Format extends string = string> {
  /** the table's key in import summaries and LOCAL_TABLES */
  id: Id;
  /** the record format, as import reports name it; also importRecords' key */
  format: Format;
  /** the format for people: "no recognisable CloudTrail or OCSF records" */
  label: string;
  /** the table for people, in import summaries: "security lake: 3 added, 0 already present" */
  title: string;
  /** DuckDB view name, which is also the table name the planner reads */
  view: string;
  /** directory relative to the lake root */
  dir: string;
  /** the table's columns; `schema.partitions` is the Hive directory layout, outermost first */
  schema: TableSchema;
  /** the partition predicates that prune the view for a window */
  partitionRules: PartitionRule[];
  /** how a raw record's keys find columns: the JSON name (`json`) or the column name */
  naming: 'json' | 'column';
  import: ImportRule;
  /**
   * The source's folder in a Security Lake bucket (`aws/<folder>/<version>/region=R/…`), as AWS
   * names the source (`CLOUD_TRAIL_MGMT`, `VPC_FLOW`): `hunt lake import s3://` lists the
   * folders of these and no others. Absent: not a Security Lake table.
   */
  securityLakeFolder?: string;
}

/**
 * How an imported record becomes a row of the table, as DuckDB SQL text over the raw record
 * (alias `r`, each raw key a column: see import-sql.ts for the helpers that write it). The
 * expressions may call the lake's macros: hunt_epoch_ms(ms), hunt_finite(tstz), hunt_iso(v),
 * hunt_ts(v) (ISO or epoch ms), hunt_describe(v) (a value quoted for a message).
 */
export interface ImportRule {
  /** what a record must have to be one of the table, for problem messages */
  needs: string;
  /** true when the record has this table's identifying keys */
  recognise: string;
  /**
   * Values `problem` and `partitions` read more than once, computed once per record before them
   * (each may read the earlier ones as `r.<name>`). Parsing a time is the costliest step of the
   * narrow pass, and DuckDB does not share it between CASE arms. Names must be unique over all
   * sources: prefix them with the source's own (`hunt_ct_`).
   */
  derived: { name: string; expr: string }[];
  /** for a recognised record: why it is unusable, or NULL */
  problem: string;
  /**
   * For a recognised record hunt deliberately does not store (an OCSF class it has no table
   * for): the reason, the same text for every record of a kind so reports can count them, or
   * NULL. Such records are skipped, and a file of nothing else is not an error.
   */
  unsupported?: string;
  /** partition values (VARCHAR), in `schema.partitions` order */
  partitions: string[];
  /** the record's own id, or NULL (then the key is a hash of the row) */
  naturalKey: string;
  /** raw keys `recognise`, `derived`, `problem`, `partitions` and `naturalKey` read (the narrow pass) */
  metaKeys: string[];
  /** a stored column computed otherwise than by converting the raw key of the same name */
  columns?: Record<string, string>;
  /** raw-only keys the expressions read, although the table has no column for them */
  extraRaw?: Column[];
}

/**
 * A source's Athena configuration once parsed: `sources.<key>` of config/hunt.yaml. The parsed
 * value stays the source's own business; everything else only asks it for its tables.
 */
export interface AthenaConfigured {
  /** the tables and partition predicates; throws naming the bad name or value */
  binding(): TableBinding;
  /** further sourcetypes the same configuration binds (its tables read under another format's names) */
  more?(): Record<string, TableBinding>;
}

export interface AthenaSourceDef {
  /** the key under `sources:` in config/hunt.yaml */
  configKey: string;
  /** the sourcetype whose tables this configures */
  sourcetype: string;
  /** `sources.<configKey>` as written → the parsed configuration */
  schema: z.ZodType<AthenaConfigured, z.ZodTypeDef, unknown>;
  /** what Athena reads when nothing is configured (config/hunt.yaml ships the same) */
  defaults: AthenaConfigured;
}

/**
 * An Athena source from its typed parts: the config schema, the default and how a configuration
 * becomes tables. The configuration's type stays inside the source.
 */
export function athenaSource<C>(def: {
  configKey: string;
  sourcetype: string;
  schema: z.ZodType<C, z.ZodTypeDef, unknown>;
  defaults: C;
  binding(config: C): TableBinding;
  more?(config: C): Record<string, TableBinding>;
}): AthenaSourceDef {
  const { more } = def;
  const configured = (config: C): AthenaConfigured => ({
    binding: () => def.binding(config),
    ...(more ? { more: () => more(config) } : {}),
  });
  return {
    configKey: def.configKey,
    sourcetype: def.sourcetype,
    schema: def.schema.transform(configured),
    defaults: configured(def.defaults),
  };
}

/** A lake table definition, keeping its id and format as literal types (LOCAL_TABLES is keyed by them). */
export function lakeTable<Id extends string, Format extends string>(
  def: LakeTableDef<Id, Format>,
): LakeTableDef<Id, Format> {
  return def;
}

/** A source, keeping its table's id and format as literal types. */
export function defineSource<Id extends string, Format extends string>(def: Source<Id, Format>): Source<Id, Format> {
  return def;
}
