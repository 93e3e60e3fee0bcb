import { athenaSource, defineSource, type Source, type SourceDef } from '../source.js';
import { rc2Aliases } from '../security-lake/rc2-fields.js';
import type { TableBinding } from '../storage.js';
import { CLASS_TABLE_DEFAULT, type ClassTableConfig, classTableSchema, classTables } from './athena.js';
import { type ClassLakeSpec, classLake } from './lake.js';

/**
 * One of Security Lake's per-source tables (VPC Flow, Route 53, WAF, ...) as a registered source,
 * from data: its two table versions, its rc.2 field table and its sourcetypes. The first
 * sourcetype is the table's own (OCSF names); others read the same table under another format's
 * raw names (SourceDef.rawNames). Configuration (`sources.<configKey>`) binds all of them.
 */
export interface ClassSourceSpec<Id extends string> extends ClassLakeSpec<Id> {
  /** folder name, for messages */
  name: string;
  /** the key under `sources:` in config/hunt.yaml */
  configKey: string;
  /** the sourcetypes over the v2 table, the table's own first */
  sourcetypes: [SourceDef, ...SourceDef[]];
}

/**
 * A sourcetype over a Security Lake table under its own OCSF names: `_time` from `time` (epoch
 * ms), no raw text, no search-time fields.
 */
export function ocsfSourcetype(
  def: Pick<SourceDef, 'sourcetype' | 'description' | 'schema' | 'rawIdentity'>,
): SourceDef {
  return {
    ...def,
    naming: 'column',
    time: { kind: 'epoch-ms', column: 'time' },
    raw: 'not available: Security Lake keeps no raw event text',
    derived: {},
  };
}

/** An eval text distinct when any of the fields is: a missing one counts as empty, not as a null whole. */
export const identityOf = (fields: string[]): string => fields.map((n) => `coalesce(${n}, "")`).join('."|".');

/** The same sourcetype on a source version 1 table: its rc.2 columns under the 1.1 names. */
export function onVersion1(def: SourceDef, spec: Pick<ClassLakeSpec<string>, 'v1' | 'rc2'>): SourceDef {
  return {
    ...def,
    description: `${def.description}, source version 1 (OCSF 1.0.0-rc.2)`,
    schema: spec.v1,
    aliases: { ...rc2Aliases(spec.rc2), ...def.aliases },
  };
}

export function securityLakeClassSource<Id extends string>(spec: ClassSourceSpec<Id>): Source<Id, 'ocsf'> {
  const binding = (def: SourceDef, c: ClassTableConfig): TableBinding => {
    const tables = classTables(spec.stem, c);
    // on v2 each sourcetype is its own definition; on v1 the rc.2 columns under the 1.1 names
    return c.version === 1 ? { tables, source: onVersion1(def, spec) } : { tables };
  };
  const [own, ...others] = spec.sourcetypes;
  return defineSource({
    name: spec.name,
    sourcetypes: spec.sourcetypes,
    lake: classLake(spec),
    athena: athenaSource({
      configKey: spec.configKey,
      sourcetype: own.sourcetype,
      schema: classTableSchema,
      defaults: CLASS_TABLE_DEFAULT,
      binding: (c) => binding(own, c),
      more: (c) => Object.fromEntries(others.map((d) => [d.sourcetype, binding(d, c)])),
    }),
  });
}
