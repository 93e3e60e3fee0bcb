/**
 * The registry is the one list of sources: what the lake, the planner and configuration derive
 * from it must be consistent, so a new source that breaks an invariant fails here, by name.
 */
import { describe, expect, test } from 'vitest';
import { duckdb } from '../../src/duckdb.js';
import { LAKE_TABLES, LOCAL_TABLES } from '../../src/lake/layout.js';
import { prepareConnection, tableSql, TABLE_IDS } from '../../src/lake/normalise-sql.js';
import { structureSql } from '../../src/lake/raw-sql.js';
import { ATHENA_DEFAULT, LOCAL_LAKE } from '../../src/sources/bindings.js';
import { DEFAULT_SOURCES, sourcesSchema } from '../../src/sources/athena-sources.js';
import { REGISTRY } from '../../src/sources/registry.js';
import { SOURCES } from '../../src/sources/sources.js';
import type { Column } from '../../src/sources/table-schema.js';

const distinct = (values: string[]): boolean => new Set(values).size === values.length;

describe('the source registry', () => {
  test('names each table, format, view, directory, config key and sourcetype once', () => {
    expect(distinct(REGISTRY.map((s) => s.name))).toBe(true);
    expect(distinct(REGISTRY.map((s) => s.lake.id))).toBe(true);
    // a format may fill several tables (Security Lake's OCSF tables): each but the last of them
    // recognises only its own records, and only the last skips what no table of it takes
    for (const format of new Set(REGISTRY.map((s) => s.lake.format))) {
      const tables = REGISTRY.filter((s) => s.lake.format === format);
      for (const t of tables.slice(0, -1)) expect(t.lake.import.unsupported, t.name).toBeUndefined();
    }
    expect(distinct(REGISTRY.map((s) => s.lake.view))).toBe(true);
    expect(distinct(REGISTRY.map((s) => s.lake.title))).toBe(true);
    expect(distinct(REGISTRY.map((s) => s.athena.configKey))).toBe(true);
    expect(distinct(SOURCES.map((s) => s.sourcetype))).toBe(true);
    // no table's directory inside another's (a view's glob would read both)
    for (const a of REGISTRY) {
      for (const b of REGISTRY) {
        if (a !== b) expect(`${b.lake.dir}/`.startsWith(`${a.lake.dir}/`), `${a.name} / ${b.name}`).toBe(false);
      }
    }
  });

  test.each(REGISTRY.map((s) => [s.name, s] as const))('%s: a consistent definition', (_, source) => {
    const { lake, athena } = source;
    // the local table's partition rules prune on its own Hive partitions
    const ruled = lake.partitionRules.flatMap((r) => (r.kind === 'day-range' ? r.columns : [r.column]));
    for (const c of ruled) expect(lake.schema.partitions).toContain(c);
    // the import rule fills every partition and reads only keys the table has
    expect(lake.import.partitions).toHaveLength(lake.schema.partitions.length);
    expect(() => tableSql(lake)).not.toThrow();
    for (const d of lake.import.derived) expect(d.name).toMatch(/^hunt_/);
    for (const name of Object.keys(lake.import.columns ?? {})) {
      expect(lake.schema.columns.map((c: Column) => c.name)).toContain(name);
    }
    // each sourcetype's time column is a column; the configured one is among the source's
    for (const st of source.sourcetypes) {
      expect(st.schema.columns.map((c: Column) => c.name)).toContain(st.time.column);
      expect(LOCAL_LAKE[st.sourcetype]?.tables[0]?.name).toEqual([lake.view]);
    }
    expect(source.sourcetypes.map((s) => s.sourcetype)).toContain(athena.sourcetype);
    expect(ATHENA_DEFAULT[athena.sourcetype]).toEqual(athena.defaults.binding());
    expect(DEFAULT_SOURCES[athena.configKey]).toBe(athena.defaults);
    expect(Object.keys(sourcesSchema.shape)).toContain(athena.configKey);
  });

  test.each(REGISTRY.map((s) => [s.name, s] as const))(
    '%s: the import rule reads only its meta keys, and DuckDB takes it',
    async (_, { lake }) => {
      // the narrow pass parses only the meta keys: a rule reading any other key fails there
      const t = tableSql(lake);
      const rule = lake.import;
      const meta = structureSql(rule.metaKeys.map((k) => [k, t.raw.get(k)!] as const));
      const steps = rule.derived.map(
        (d, i) => `d${i + 1} AS (SELECT *, ${d.expr} AS ${d.name} FROM ${i === 0 ? 'r0' : `d${i}`} r)`,
      );
      const last = steps.length === 0 ? 'r0' : `d${steps.length}`;
      const values = [rule.recognise, rule.problem, rule.unsupported ?? 'NULL', rule.naturalKey, ...rule.partitions];
      const instance = await duckdb.DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      try {
        await prepareConnection(conn);
        const rows = await conn.runAndReadAll(
          // the path hints the pipeline adds to every record (load.ts)
          `WITH r0 AS (SELECT *, NULL::VARCHAR AS hunt_path_region, NULL::VARCHAR AS hunt_path_account ` +
            `FROM (SELECT unnest(from_json('{}', ${meta}))))${steps.map((d) => `, ${d}`).join('')} ` +
            `SELECT ${values.map((v, i) => `${v} AS v${i}`).join(', ')} FROM ${last} r`,
        );
        // an empty record is not recognised
        expect(rows.getRows()[0]?.[0]).toBe(false);
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    },
  );

  test("each Security Lake table names its source's S3 folder, once, as AWS's source names are", () => {
    // AwsLogSourceName of the Security Lake API: the folders of a Security Lake bucket's aws/
    const aws = [
      'ROUTE53',
      'VPC_FLOW',
      'SH_FINDINGS',
      'CLOUD_TRAIL_MGMT',
      'LAMBDA_EXECUTION',
      'S3_DATA',
      'EKS_AUDIT',
      'WAF',
    ];
    const folders = REGISTRY.flatMap((s) => (s.lake.securityLakeFolder ? [s.lake.securityLakeFolder] : []));
    expect(distinct(folders)).toBe(true);
    expect([...folders].sort()).toEqual([...aws].sort());
    // every OCSF table is a Security Lake table: its folder is what an S3 import lists
    for (const s of REGISTRY) expect(s.lake.securityLakeFolder !== undefined, s.name).toBe(s.lake.format === 'ocsf');
  });

  test('derived values of the import rules do not collide across sources', () => {
    expect(distinct(REGISTRY.flatMap((s) => s.lake.import.derived.map((d) => d.name)))).toBe(true);
  });

  test('the lake, the planner and configuration list exactly the registered sources', () => {
    expect(TABLE_IDS).toEqual(REGISTRY.map((s) => s.lake.id));
    expect(LAKE_TABLES.map((t) => t.id)).toEqual(TABLE_IDS);
    expect(Object.keys(LOCAL_TABLES)).toEqual(TABLE_IDS);
    expect(SOURCES).toEqual(REGISTRY.flatMap((s) => s.sourcetypes));
    expect(Object.keys(LOCAL_LAKE).sort()).toEqual(SOURCES.map((s) => s.sourcetype).sort());
    const bound = REGISTRY.flatMap((s) => [s.athena.sourcetype, ...Object.keys(s.athena.defaults.more?.() ?? {})]);
    expect(Object.keys(ATHENA_DEFAULT).sort()).toEqual(bound.sort());
  });
});
