/**
 * Detect Spike in blocked Outbound Traffic from your AWS (ESCU, escu-more; Anomaly):
 *   `cloudwatchlogs_vpcflow` action=blocked (src_ip in RFC 1918) (dest_ip outside RFC 1918)
 *   [search <the same> | stats count by src_ip | inputlookup baseline... | ... | outputlookup ...
 *    | where isSpike=1 | table src_ip]
 *   | stats values(dest_ip) values(interface_id) as resourceId count dc(dest_ip) by src_ip
 * over Security Lake's VPC Flow table read under the add-on's aws:cloudwatchlogs:vpcflow names.
 * The subsearch keeps a baseline in a lookup (inputlookup/outputlookup, run in steps): the whole
 * search builds its baseline over hourly runs and fires on a spike; the outer search and the
 * subsearch's counting part are also tested on their own, cut from the detection's own text.
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
import type { Detection } from '../../../src/detections/model.js';
import { runWindow } from '../../../src/runner/run-window.js';
import { ATHENA_DEFAULT } from '../../../src/sources/bindings.js';
import { memoryLookups } from '../../../src/store/lookup-store.js';
import { prepare, type PrepareSettings } from '../../../src/translate/prepare.js';
import { translateSearch } from '../../../src/translate/translate.js';
import { shared } from '../../support/shared.js';
import { escuMoreMacros as macros, spikeDetection as detection, spikeSearches } from '../../support/escu-vpcflow.js';

const WINDOW = {
  earliest: DateTime.fromISO('2026-11-18T00:00:00Z', { zone: 'utc' }),
  latest: DateTime.fromISO('2026-11-19T00:00:00Z', { zone: 'utc' }),
};

const { outer, counting } = spikeSearches;

const SETTINGS: PrepareSettings = {
  macros: [],
  timezone: 'UTC',
  athenaStorage: ATHENA_DEFAULT,
  detectionsDir: shared('escu-more', 'detections'),
  lookupsDir: shared('escu-more', 'lookups'),
};

/**
 * The "Baseline of Blocked Outbound Connection" support search ESCU asks to run once, written
 * as ESCU's baselines are: each internal source's blocked outbound count as its first data point.
 */
const SEED: Detection = {
  ...detection,
  id: 'seed-blocked-outbound-baseline',
  name: 'Baseline of Blocked Outbound Connection',
  search:
    '`cloudwatchlogs_vpcflow` action=blocked (src_ip=10.0.0.0/8 OR src_ip=172.16.0.0/12 OR src_ip=192.168.0.0/16) (dest_ip!=10.0.0.0/8 AND dest_ip!=172.16.0.0/12 AND dest_ip!=192.168.0.0/16) | stats count as latestCount by src_ip | eval numDataPoints=1, avgBlockedConnections=latestCount, stdevBlockedConnections=0 | table src_ip latestCount numDataPoints avgBlockedConnections stdevBlockedConnections | outputlookup baseline_blocked_outbound_connections',
};

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
  await importRecords(dir, { ocsf: records });
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

  test('the whole search compiles for both dialects, in steps; every Athena step parses as Trino', () => {
    const trino = new TrinoSQL();
    for (const dialect of ['duckdb', 'athena'] as const) {
      const p = prepare(detection, macros, SETTINGS, dialect);
      expect(p.steps?.map((st) => [st.lookup, st.append])).toEqual([['baseline_blocked_outbound_connections', false]]);
      if (dialect === 'athena')
        for (const t of [...(p.steps ?? []).map((st) => st.translation), p.translation])
          expect(trino.validate(t.sql)).toEqual([]);
    }
  });

  test('a baseline seeded once builds up over hourly runs, and a burst of blocked connections spikes', async () => {
    const hourly = await lakeOf([
      flow(0, '10.0.1.5', '203.0.113.9'),
      ...Array.from({ length: 7 }, (_, h) => flow(60 * (h + 1) + 5, '10.0.1.5', '203.0.113.9')),
      ...Array.from({ length: 6 }, (_, i) => flow(8 * 60 + 10 + i, '10.0.1.5', '198.51.100.99')),
      // new in hour 8, no baseline: never a spike
      flow(8 * 60 + 20, '172.16.4.4', '198.51.100.7'),
    ]);
    try {
      const lookups = memoryLookups();
      const hourOf = (h: number) => ({
        earliest: DateTime.fromMillis(at(60 * h), { zone: 'utc' }),
        latest: DateTime.fromMillis(at(60 * (h + 1)), { zone: 'utc' }),
      });
      const seeded = await runWindow(
        hourly.engine,
        prepare(SEED, macros, SETTINGS, 'duckdb'),
        hourOf(0),
        'adhoc',
        undefined,
        0,
        lookups,
      );
      expect(seeded.status, seeded.error).toBe('succeeded');
      const run = prepare(detection, macros, SETTINGS, 'duckdb');
      const found: Record<string, unknown>[][] = [];
      for (let h = 1; h <= 8; h++) {
        const r = await runWindow(hourly.engine, run, hourOf(h), 'adhoc', undefined, 0, lookups);
        expect(r.status, r.error).toBe('succeeded');
        found.push(r.results);
      }
      // one blocked connection an hour is the norm: no spike
      expect(found.slice(0, 7).every((rows) => rows.length === 0)).toBe(true);
      // hour 8: six against an average of one, with nine data points (> 5)
      expect(found[7]).toEqual([
        {
          src_ip: '10.0.1.5',
          dest_ip: ['198.51.100.99'],
          resourceId: ['eni-0a1'],
          numberOfBlockedConnections: 6,
          uniqueDestConnections: 1,
        },
      ]);
    } finally {
      await hourly.close();
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
