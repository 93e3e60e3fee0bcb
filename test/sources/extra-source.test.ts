/**
 * Adding a source is a folder and a registry line: here a toy flow-log source is defined in the
 * test (from the registry's own types) and added to the registry, and nothing else changes. The
 * importer recognises, partitions and dedups its records, the lake opens a view over them, a
 * search names its sourcetype, and configuration accepts its `sources:` key and binds its
 * Athena table.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { describeAdded, importFiles } from '../../src/lake/import.js';
import { SOURCES } from '../../src/sources/sources.js';
import { bindParams } from '../../src/sql/params.js';
import { translateSearch } from '../../src/translate/translate.js';
import { configFiles } from '../support/config-files.js';
import { macrosWith } from '../support/hunt.js';
import { ctEvent, filesUnder, tempDirs, writeText } from '../lake/helpers.js';

vi.mock('../../src/sources/registry.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/sources/registry.js')>();
  const { flowSource } = await import('./flow-source.js');
  return { ...original, REGISTRY: [...original.REGISTRY, flowSource] };
});

const tmp = tempDirs();
const window = {
  earliest: DateTime.fromISO('2026-11-18T00:00:00Z', { zone: 'utc' }),
  latest: DateTime.fromISO('2026-11-19T00:00:00Z', { zone: 'utc' }),
};

const flow = (id: string, at: string, src: string, action: string, bytes: number): string =>
  JSON.stringify({ flow_id: id, time: Date.parse(at), srcaddr: src, dstaddr: '10.0.0.9', action, bytes });

describe('a source added by a registry line only', () => {
  let lake: string;
  let engine: DuckdbEngine;
  let summary: Awaited<ReturnType<typeof importFiles>>;

  beforeAll(async () => {
    const dir = await tmp();
    lake = join(dir, 'lake');
    const file = await writeText(
      dir,
      'flows.ndjson',
      [
        flow('f1', '2026-11-18T10:00:00Z', '198.51.100.7', 'REJECT', 120),
        flow('f2', '2026-11-18T11:00:00Z', '198.51.100.7', 'REJECT', 80),
        flow('f3', '2026-11-18T12:00:00Z', '203.0.113.5', 'ACCEPT', 900),
        flow('f1', '2026-11-18T10:00:00Z', '198.51.100.7', 'REJECT', 120), // a repeat
        JSON.stringify({ flow_id: 'bad', time: 'noon', srcaddr: 'x' }),
        JSON.stringify(ctEvent({ eventTime: '2026-11-18T09:00:00Z' })),
      ].join('\n'),
    );
    summary = await importFiles(lake, [file]);
    engine = await DuckdbEngine.open(lake);
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('the importer classifies, checks, partitions and dedups its records', async () => {
    const tables = summary as unknown as Record<string, { added: number; duplicates: number }>;
    expect(tables.flow).toEqual({ added: 3, duplicates: 1 });
    expect(tables.cloudtrail).toEqual({ added: 1, duplicates: 0 });
    expect(describeAdded(summary)).toMatch(/^cloudtrail: 1 added, .*; flow log: 3 added, 1 already present$/);
    expect(summary.files[0]).toMatchObject({ kind: 'mixed', records: 5, skipped: 1 });
    expect(summary.files[0]!.problems).toEqual(['line 5: time "noon" is not epoch milliseconds']);
    const files = (await filesUnder(lake)).filter((f) => f.startsWith('test_flow/'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^test_flow\/day=2026-11-18\/part-.*\.parquet$/);
  });

  test('a search names its sourcetype and runs on the local lake', async () => {
    expect(SOURCES.map((s) => s.sourcetype)).toContain('test:flow');
    const t = translateSearch('sourcetype=test:flow action=REJECT | stats count sum(bytes) as bytes by srcaddr', {
      dialect: 'duckdb',
      macros: macrosWith(),
      zone: 'UTC',
    });
    expect(t.sql).toContain('"test_flow"');
    const result = await engine.query({ sql: t.sql, params: bindParams(t.slots, window) });
    expect(result.rows).toHaveLength(1);
    expect(Object.values(result.rows[0]!).map(String)).toEqual(expect.arrayContaining(['198.51.100.7', '2', '200']));
  });

  test('configuration takes its `sources:` key, and Athena reads its configured table', () => {
    const files = configFiles('extra-source');
    const config = files.load('sources:\n  test_flow:\n    database: flows\n    table: vpc_flow\n');
    expect(config.athenaStorage['test:flow']?.tables.map((t) => t.name)).toEqual([['flows', 'vpc_flow']]);
    expect(files.refusal('sources:\n  test_flow:\n    table: Not-A-Name\n')).toMatch(/sources\.test_flow\.table/);
    const t = translateSearch('sourcetype=test:flow | stats count', {
      dialect: 'athena',
      macros: macrosWith(),
      zone: 'UTC',
      storage: config.athenaStorage,
    });
    expect(t.sql).toContain('"flows"."vpc_flow"');
  });
});
