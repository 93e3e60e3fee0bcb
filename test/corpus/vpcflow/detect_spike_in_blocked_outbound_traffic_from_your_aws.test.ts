/**
 * Detect Spike in blocked Outbound Traffic from your AWS (ESCU, escu-more; Anomaly):
 *   `cloudwatchlogs_vpcflow` action=blocked (src_ip in RFC 1918) (dest_ip outside RFC 1918)
 *   [search <the same> | stats count by src_ip | inputlookup baseline... | ... | outputlookup ...
 *    | where isSpike=1 | table src_ip]
 *   | stats values(dest_ip) values(interface_id) as resourceId count dc(dest_ip) by src_ip
 * over Security Lake's VPC Flow table read under the add-on's aws:cloudwatchlogs:vpcflow names.
 * The subsearch keeps a baseline in a lookup (inputlookup/outputlookup): until hunt has lookups
 * the whole search is refused for them, so the outer search and the subsearch's counting part
 * are tested here on their own, cut from the detection's own text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { vpcFlowRecord, type Flow } from '../../../src/demo/vpc-flow-record.js';
import { DuckdbEngine } from '../../../src/engines/duckdb/engine.js';
import { importRecords } from '../../../src/lake/import.js';
import { toResultRows } from '../../../src/runner/results.js';
import { bindParams } from '../../../src/sql/params.js';
import { translateSearch } from '../../../src/translate/translate.js';
import { escuMoreMacros as macros, spikeDetection as detection, spikeSearches } from '../../support/escu-vpcflow.js';

const WINDOW = {
  earliest: DateTime.fromISO('2026-11-18T00:00:00Z', { zone: 'utc' }),
  latest: DateTime.fromISO('2026-11-19T00:00:00Z', { zone: 'utc' }),
};

const { outer, counting } = spikeSearches;

const at = (minute: number): number => Date.parse('2026-11-18T10:00:00Z') + minute * 60_000;
const flow = (minute: number, src: string, dst: string, over: Partial<Flow> = {}) =>
  vpcFlowRecord({
    timeMs: at(minute),
    account: '210987654321',
    region: 'us-east-1',
    interfaceId: 'eni-0a1',
    src,
    dst,
    srcPort: 40000 + minute,
    dstPort: 4444,
    protocol: 6,
    packets: 2,
    bytes: 120,
    action: 'REJECT',
    direction: 'egress',
    ...over,
  });

const FIRES = [
  flow(1, '10.0.1.5', '203.0.113.9'),
  flow(2, '10.0.1.5', '203.0.113.9'),
  flow(3, '10.0.1.5', '198.51.100.99', { interfaceId: 'eni-0b2' }),
  flow(4, '172.16.4.4', '198.51.100.7'),
  flow(5, '192.168.1.1', '192.0.2.1'),
];
const NEAR_MISSES = [
  flow(6, '10.0.1.5', '203.0.113.9', { action: 'ACCEPT' }), // allowed
  flow(7, '10.0.1.5', '10.9.9.9'), // internal destination
  flow(8, '10.0.1.5', '172.20.0.1'), // internal destination (172.16.0.0/12)
  flow(9, '203.0.113.50', '10.0.1.5', { direction: 'ingress' }), // from outside
  flow(10, '172.32.0.1', '203.0.113.9'), // just outside 172.16.0.0/12
  flow(11, '11.0.0.1', '203.0.113.9'), // public source
];

async function lakeOf(records: object[]): Promise<{ engine: DuckdbEngine; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-vpcflow-'));
  await importRecords(dir, { 'ocsf-vpc-flow': records });
  const engine = await DuckdbEngine.open(dir);
  return {
    engine,
    close: async () => {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function run(engine: DuckdbEngine, search: string): Promise<Record<string, unknown>[]> {
  const t = translateSearch(search, { dialect: 'duckdb', macros, zone: 'UTC' });
  const result = await engine.query({ sql: t.sql, params: bindParams(t.slots, WINDOW) });
  return toResultRows(result.rows, t.fields);
}

describe(detection.name, () => {
  let lake: Awaited<ReturnType<typeof lakeOf>>;
  beforeAll(async () => {
    lake = await lakeOf([...FIRES, ...NEAR_MISSES]);
  });
  afterAll(() => lake.close());

  test('the whole search: refused only for its lookups until they land, then compiles for both dialects', () => {
    // once inputlookup/outputlookup exist (branch lookups) the same test checks the whole search
    for (const dialect of ['duckdb', 'athena'] as const) {
      let sql: string;
      try {
        sql = translateSearch(detection.search, { dialect, macros, zone: 'UTC' }).sql;
      } catch (e) {
        expect(String(e)).toMatch(/unsupported command `(inputlookup|outputlookup)`/);
        continue;
      }
      if (dialect === 'athena') expect(new TrinoSQL().validate(sql)).toEqual([]);
    }
  });

  test('the outer search and the counting part compile for both dialects; Athena parses as Trino', () => {
    const trino = new TrinoSQL();
    for (const search of [outer, counting]) {
      expect(translateSearch(search, { dialect: 'duckdb', macros, zone: 'UTC' }).sql).toContain(
        '"security_lake_vpc_flow_2_0"',
      );
      const athena = translateSearch(search, { dialect: 'athena', macros, zone: 'UTC' });
      expect(athena.sql).toContain('"amazon_security_lake_table_us_east_1_vpc_flow_2_0"');
      expect(trino.validate(athena.sql)).toEqual([]);
    }
  });

  test('fires: blocked connections from internal addresses to outside ones, per source', async () => {
    expect(await run(lake.engine, outer)).toEqual([
      {
        src_ip: '10.0.1.5',
        dest_ip: ['198.51.100.99', '203.0.113.9'],
        resourceId: ['eni-0a1', 'eni-0b2'],
        numberOfBlockedConnections: 3,
        uniqueDestConnections: 2,
      },
      {
        src_ip: '172.16.4.4',
        dest_ip: ['198.51.100.7'],
        resourceId: ['eni-0a1'],
        numberOfBlockedConnections: 1,
        uniqueDestConnections: 1,
      },
      {
        src_ip: '192.168.1.1',
        dest_ip: ['192.0.2.1'],
        resourceId: ['eni-0a1'],
        numberOfBlockedConnections: 1,
        uniqueDestConnections: 1,
      },
    ]);
    expect(await run(lake.engine, counting)).toEqual([
      { src_ip: '10.0.1.5', numberOfBlockedConnections: 3 },
      { src_ip: '172.16.4.4', numberOfBlockedConnections: 1 },
      { src_ip: '192.168.1.1', numberOfBlockedConnections: 1 },
    ]);
  });

  test('no fire: allowed, internal, inbound and public-source flows', async () => {
    const quiet = await lakeOf(NEAR_MISSES);
    try {
      expect(await run(quiet.engine, outer)).toEqual([]);
      expect(await run(quiet.engine, counting)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
