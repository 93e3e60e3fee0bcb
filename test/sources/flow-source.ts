/**
 * A toy flow-log source, written as a source folder would be (src/sources/<name>/index.ts), for
 * extra-source.test.ts: a table, a field map, a lake layout and import rule, an Athena binding
 * and its config schema. Only the registry's own types and helpers are used.
 */
import { z } from 'zod';
import { checkedName, identifierSchema } from '../../src/sources/athena-names.js';
import { raw } from '../../src/sources/import-sql.js';
import { athenaSource, defineSource, lakeTable, type SourceDef } from '../../src/sources/source.js';
import { str, type TableSchema, typed } from '../../src/sources/table-schema.js';

const table: TableSchema = {
  partitions: ['day'],
  columns: [
    str('flow_id'),
    typed('time', 'bigint'),
    str('srcaddr'),
    str('dstaddr'),
    str('action'),
    typed('bytes', 'bigint'),
    str('day'),
  ],
};

const fields: SourceDef = {
  sourcetype: 'test:flow',
  description: 'a toy flow log',
  schema: table,
  naming: 'column',
  time: { kind: 'epoch-ms', column: 'time' },
  raw: 'not available',
  rawIdentity: 'flow_id',
  derived: { src: 'srcaddr' },
};

const ms = raw('hunt_flow_ms');

export const flowSource = defineSource({
  name: 'test-flow',
  sourcetypes: [fields],
  lake: lakeTable({
    id: 'flow',
    format: 'flow',
    label: 'flow log',
    title: 'flow log',
    view: 'test_flow',
    dir: 'test_flow',
    schema: table,
    partitionRules: [{ kind: 'day-range', columns: ['day'], format: 'yyyy-MM-dd' }],
    naming: 'column',
    import: {
      needs: 'a flow record (flow_id, time)',
      recognise: `(${raw('flow_id')} IS NOT NULL AND ${raw('time')} IS NOT NULL)`,
      derived: [{ name: 'hunt_flow_ms', expr: `hunt_epoch_ms(TRY_CAST(${raw('time')} AS BIGINT))` }],
      problem: `CASE WHEN ${ms} IS NULL THEN 'time ' || hunt_describe(${raw('time')}) || ' is not epoch milliseconds' END`,
      partitions: [`strftime(${ms}, '%Y-%m-%d')`],
      naturalKey: `nullif(${raw('flow_id')}, '')`,
      metaKeys: ['flow_id', 'time'],
    },
  }),
  athena: athenaSource({
    configKey: 'test_flow',
    sourcetype: 'test:flow',
    schema: z
      .object({ database: identifierSchema.default('default'), table: identifierSchema.default('flows') })
      .strict(),
    defaults: { database: 'default', table: 'flows' },
    binding: (c) => ({
      tables: [
        {
          name: [checkedName(c.database), checkedName(c.table)],
          partitions: [{ kind: 'day-range', columns: ['day'], format: 'yyyy-MM-dd' }],
        },
      ],
    }),
  }),
});
