import { defineSource, type Source, type SourceDef } from '../source.js';
import { rc2Aliases } from '../security-lake/rc2-fields.js';
import { securityLakeAthenaOf } from './athena.js';
import { type ClassLakeSpec, type ClassV1Spec, classLake } from './lake.js';

/**
 * One of Security Lake's per-source tables (VPC Flow, Route 53, WAF, Security Hub, EKS audit,
 * ...) as a registered source, from data: its two table versions (or none of version 1), its
 * rc.2 field table and its sourcetypes. The first sourcetype is the table's own; others read the
 * same table under another format's raw names (SourceDef.rawNames). Configuration
 * (`sources.<configKey>`) binds all of them.
 */
export interface ClassSourceSpec<Id extends string> extends Omit<ClassLakeSpec<Id>, 'v1'> {
  /** folder name, for messages */
  name: string;
  /** the key under `sources:` in config/hunt.yaml: `security_lake_<stem>` */
  configKey: string;
  /** the sourcetypes over the v2 table, the table's own first */
  sourcetypes: [SourceDef, ...SourceDef[]];
  /**
   * the v1 table; `own`: the table's own sourcetype on it where onVersion1 does not make it.
   * null: Security Lake had no v1 table of this source, and `version: 1` is refused.
   */
  v1: (ClassV1Spec & { own?: SourceDef }) | null;
}

/**
 * A sourcetype over a Security Lake table under its OCSF names: `_time` from `time` (epoch ms),
 * no raw text, no search-time fields unless given.
 */
export function ocsfSourcetype(
  def: Omit<SourceDef, 'naming' | 'time' | 'raw' | 'derived'> & Partial<Pick<SourceDef, 'derived'>>,
): SourceDef {
  return {
    ...def,
    naming: 'column',
    time: { kind: 'epoch-ms', column: 'time' },
    raw: 'not available: Security Lake keeps no raw event text',
    derived: def.derived ?? {},
  };
}

/** An eval text distinct when any of the fields is: a missing one counts as empty, not as a null whole. */
export const identityOf = (fields: string[]): string => fields.map((n) => `coalesce(${n}, "")`).join('."|".');

/** The same sourcetype on a source version 1 table: its rc.2 columns under the 1.1 names. */
export function onVersion1(def: SourceDef, v1: ClassV1Spec): SourceDef {
  return {
    ...def,
    description: `${def.description}, source version 1 (OCSF 1.0.0-rc.2)`,
    schema: v1.schema,
    aliases: { ...rc2Aliases(v1.rc2), ...def.aliases },
  };
}

export function securityLakeClassSource<Id extends string>(spec: ClassSourceSpec<Id>): Source<Id, 'ocsf'> {
  const { v1 } = spec;
  const [own, ...others] = spec.sourcetypes;
  // on v2 each sourcetype is its own definition; on v1 the rc.2 columns under the 1.1 names
  const on = (def: SourceDef, first: boolean) => ({
    sourcetype: def.sourcetype,
    v1: v1 ? ((first ? v1.own : undefined) ?? onVersion1(def, v1)) : null,
  });
  return defineSource({
    name: spec.name,
    sourcetypes: spec.sourcetypes,
    lake: classLake(spec),
    athena: securityLakeAthenaOf({
      configKey: spec.configKey,
      stem: spec.stem,
      sourcetypes: [on(own, true), ...others.map((d) => on(d, false))],
    }),
  });
}
