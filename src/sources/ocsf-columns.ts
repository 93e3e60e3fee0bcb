import type { SourceDef } from './sourcetype.js';
import { str, typed, type Column } from './table-schema.js';

/**
 * What every Security Lake table has alike, as data: the OCSF base event's classification
 * columns, and how a sourcetype over such a table reads time and `_raw`.
 */

/** class, category, severity, activity and type; rc.2 Parquet types type_uid as int, 1.1 as bigint. */
export function ocsfClassColumns(typeUid: 'int' | 'bigint' = 'bigint'): Column[] {
  return [
    str('class_name'),
    typed('class_uid', 'int'),
    str('category_name'),
    typed('category_uid', 'int'),
    typed('severity_id', 'int'),
    str('severity'),
    str('activity_name'),
    typed('activity_id', 'int'),
    typed('type_uid', typeUid),
    str('type_name'),
  ];
}

/** A sourcetype over a Security Lake table: OCSF column names, `time` in epoch ms, no raw text. */
export const OCSF_RECORD: Pick<SourceDef, 'naming' | 'time' | 'raw'> = {
  naming: 'column',
  time: { kind: 'epoch-ms', column: 'time' },
  raw: 'not available: Security Lake keeps no raw event text',
};
