/**
 * The demo's VPC flow logs: deterministic, in Security Lake's VPC Flow table, and the planted
 * spike is what the ESCU detection's base search finds in its hour (ordinary hours find only
 * the rare blocked NTP call, one connection).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateDemoData, VPC_FLOW_SPIKE } from '../../src/demo/index.js';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { importRecords } from '../../src/lake/import.js';
import { toResultRows } from '../../src/runner/results.js';
import { bindParams } from '../../src/sql/params.js';
import { translateSearch } from '../../src/translate/translate.js';
import { escuMoreMacros, spikeSearches } from '../support/escu-vpcflow.js';

const NOW = DateTime.fromISO('2026-11-20T12:00:00Z', { zone: 'utc' });
const data = generateDemoData({ now: NOW, days: 7 });
const SPIKE_HOUR = DateTime.fromISO('2026-11-18T14:00:00Z', { zone: 'utc' });

describe('hunt demo: VPC flow logs', () => {
  let dir: string;
  let engine: DuckdbEngine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hunt-demo-vpc-'));
    const summary = await importRecords(dir, { ocsf: data.vpcFlow });
    expect((summary as unknown as Record<string, { added: number }>).vpcFlow?.added).toBe(data.vpcFlow.length);
    engine = await DuckdbEngine.open(dir);
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (earliest: DateTime, hours: number) => {
    const t = translateSearch(spikeSearches.outer, { dialect: 'duckdb', macros: escuMoreMacros, zone: 'UTC' });
    const window = { earliest, latest: earliest.plus({ hours }) };
    return toResultRows((await engine.query({ sql: t.sql, params: bindParams(t.slots, window) })).rows, t.fields);
  };

  test('the same options give the same flows', () => {
    expect(generateDemoData({ now: NOW, days: 7 }).vpcFlow).toEqual(data.vpcFlow);
    expect(data.vpcFlow.length).toBeGreaterThan(1000);
  });

  test('the spike hour: the planted node, every connection, both destinations', async () => {
    const rows = await run(SPIKE_HOUR, 1);
    expect(rows.find((r) => r.src_ip === VPC_FLOW_SPIKE.node)).toMatchObject({
      dest_ip: expect.arrayContaining([...VPC_FLOW_SPIKE.destinations]),
      uniqueDestConnections: 2,
    });
    const planted = rows.find((r) => r.src_ip === VPC_FLOW_SPIKE.node)?.numberOfBlockedConnections as number;
    expect(planted).toBeGreaterThanOrEqual(VPC_FLOW_SPIKE.connections);
  });

  test('over the week, every other source has at most a few blocked connections out', async () => {
    const rows = await run(NOW.minus({ days: 7 }), 24 * 7);
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows.filter((x) => x.src_ip !== VPC_FLOW_SPIKE.node)) {
      expect(r.numberOfBlockedConnections as number).toBeLessThan(VPC_FLOW_SPIKE.connections / 4);
      expect(String(r.src_ip)).toMatch(/^10\./);
    }
  });
});
